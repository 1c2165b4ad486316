/**
 * @module Routes see their schemas as types: with the TypeBox type provider, a route's `params`,
 * `querystring`, `body` and `response` declarations (contract/) type `request` and the reply, so a
 * handler needs no generic argument and no cast, and returning a shape the schema does not
 * declare fails to compile. Validation stays Fastify's own Ajv (same options, same error bodies).
 */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';

export type Api = ReturnType<typeof typed>;

export function typed(app: FastifyInstance) {
  return app.withTypeProvider<TypeBoxTypeProvider>();
}

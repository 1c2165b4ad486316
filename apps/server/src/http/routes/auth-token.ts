/**
 * @module DELETE /auth/token: an API token ends itself (`steward logout` with a service token).
 * Like logging out of a session, it needs no grant: a credential may always give itself up; it
 * cannot touch any other token. Revoked at once and audited by the token directory.
 */
import type { FastifyInstance } from 'fastify';
import { ValidationError } from '@steward/core';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors } from '../schemas.js';

export function authTokenRoutes(app: FastifyInstance, kernel: Kernel): void {
  app.delete(
    '/auth/token',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke the API token this request carries (a session ends with POST /auth/logout)',
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      const { actor } = contextOf(request);
      if (actor.tokenId === undefined)
        throw new ValidationError('this request carries no API token', [
          { path: 'authorization', message: 'a session ends with POST /auth/logout' },
        ]);
      await kernel.tokens.revoke(actor.tokenId, actor);
      void reply.status(204);
    },
  );
}

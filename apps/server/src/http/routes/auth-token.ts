/**
 * @module DELETE /auth/token: an API token ends itself (`steward logout` with a service token).
 * Like logging out of a session, it needs no grant: a credential may always give itself up; it
 * cannot touch any other token. Revoked at once and audited (kernel.accounts.tokens.revokeOwn).
 */
import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors, NoContent } from '../contract/common.js';

export function authTokenRoutes(app: FastifyInstance, kernel: Kernel): void {
  app.delete(
    '/auth/token',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke the API token this request carries (a session ends with POST /auth/logout)',
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await kernel.accounts.tokens.revokeOwn(contextOf(request));
      void reply.status(204);
    },
  );
}

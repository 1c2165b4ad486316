/** @module Health checks: the only routes besides login that answer anonymously. They reveal no data. */
import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../../kernel.js';

export function healthRoutes(app: FastifyInstance, kernel: Kernel): void {
  app.get(
    '/healthz',
    { config: { public: true }, schema: { tags: ['health'], summary: 'The process is alive', security: [] } },
    () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      config: { public: true },
      schema: { tags: ['health'], summary: 'The store and the audit log answer', security: [] },
    },
    async (_request, reply) => {
      const ready = await kernel.ready();
      void reply.status(ready ? 200 : 503);
      return { status: ready ? 'ready' : 'unavailable' };
    },
  );
}

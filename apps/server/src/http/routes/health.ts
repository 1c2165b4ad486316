/** @module Health checks: the only routes besides login that answer anonymously. They reveal no data. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Kernel } from '../../kernel.js';
import { typed } from '../typed.js';

const Health = Type.Object({ status: Type.String() });

export function healthRoutes(app: FastifyInstance, kernel: Kernel): void {
  const api = typed(app);
  api.get(
    '/healthz',
    {
      config: { public: true },
      schema: { tags: ['health'], summary: 'The process is alive', security: [], response: { 200: Health } },
    },
    () => ({ status: 'ok' }),
  );
  api.get(
    '/readyz',
    {
      config: { public: true },
      schema: {
        tags: ['health'],
        summary: 'The store and the audit log answer',
        security: [],
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      const ready = await kernel.ready();
      void reply.status(ready ? 200 : 503);
      return { status: ready ? 'ready' : 'unavailable' };
    },
  );
}

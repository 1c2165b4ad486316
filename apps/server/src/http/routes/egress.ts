/** @module /egress: the registry of outbound destinations and their BAA status (admin). */
import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors } from '../contract/common.js';
import { Destination, DestinationList, NewDestination } from '../contract/config.js';
import { typed } from '../typed.js';

export function egressRoutes(app: FastifyInstance, kernel: Kernel): void {
  const api = typed(app);
  api.get(
    '/egress',
    {
      schema: {
        tags: ['egress'],
        summary: 'List registered outbound destinations',
        response: { 200: DestinationList, ...errors },
      },
    },
    async (request) => {
      await kernel.policy.enforce(contextOf(request), 'egress.manage', {});
      return { items: await kernel.egress.list() };
    },
  );

  api.post(
    '/egress',
    {
      schema: {
        tags: ['egress'],
        summary: 'Register an outbound destination',
        body: NewDestination,
        response: { 201: Destination, ...errors },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      await kernel.policy.enforce(ctx, 'egress.manage', {});
      const created = await kernel.egress.register(ctx.actor, request.body);
      void reply.status(201);
      return created;
    },
  );
}

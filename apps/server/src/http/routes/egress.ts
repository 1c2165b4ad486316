/** @module /egress: the registry of outbound destinations and their BAA status (admin). */
import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors } from '../contract/common.js';
import { Destination, DestinationList, NewDestination } from '../contract/config.js';
import { typed } from '../typed.js';

export function egressRoutes(app: FastifyInstance, kernel: Pick<Kernel, 'egressAdmin'>): void {
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
    async (request) => ({ items: await kernel.egressAdmin.list(contextOf(request)) }),
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
      const created = await kernel.egressAdmin.register(contextOf(request), request.body);
      void reply.status(201);
      return created;
    },
  );
}

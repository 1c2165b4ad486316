/** @module /egress: the registry of outbound destinations and their BAA status (admin). */
import type { FastifyInstance } from 'fastify';
import type { NewDestination } from '@steward/governance';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors } from '../schemas.js';

const destination = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    kind: { type: 'string' },
    baseUrl: { type: 'string' },
    baaOnRecord: { type: 'boolean' },
    baaReference: { type: 'string' },
    allowPrivateNetwork: { type: 'boolean' },
  },
} as const;

export function egressRoutes(app: FastifyInstance, kernel: Kernel): void {
  app.get(
    '/egress',
    {
      schema: {
        tags: ['egress'],
        summary: 'List registered outbound destinations',
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: destination } } }, ...errors },
      },
    },
    async (request) => {
      await kernel.policy.enforce(contextOf(request), 'egress.manage', {});
      return { items: await kernel.egress.list() };
    },
  );

  app.post<{ Body: NewDestination }>(
    '/egress',
    {
      schema: {
        tags: ['egress'],
        summary: 'Register an outbound destination',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'kind', 'baseUrl', 'baaOnRecord'],
          properties: {
            name: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' },
            kind: { type: 'string', enum: ['ehr', 'messaging', 'ai', 'other'] },
            baseUrl: { type: 'string', minLength: 8, maxLength: 2000 },
            baaOnRecord: { type: 'boolean' },
            baaReference: { type: 'string', maxLength: 500 },
            allowPrivateNetwork: { type: 'boolean' },
          },
        },
        response: { 201: destination, ...errors },
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

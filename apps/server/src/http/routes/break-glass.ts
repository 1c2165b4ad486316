/** @module /break-glass: start emergency access (eligible users), list and review it (compliance). */
import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors, idParams, siteCode } from '../schemas.js';

const episode = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    userId: { type: 'string' },
    username: { type: 'string' },
    site: { type: 'string' },
    reason: { type: 'string' },
    startedAt: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time' },
    reviewedAt: { type: 'string', format: 'date-time' },
    reviewedBy: { type: 'string' },
  },
} as const;

export function breakGlassRoutes(app: FastifyInstance, kernel: Kernel): void {
  app.post<{ Body: { site: string; reason: string; minutes?: number } }>(
    '/break-glass',
    {
      schema: {
        tags: ['break-glass'],
        summary: 'Start time-boxed emergency access at a site (reason required; loudly audited)',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['site', 'reason'],
          properties: {
            site: siteCode,
            reason: { type: 'string', minLength: 10, maxLength: 2000 },
            minutes: { type: 'integer', minimum: 1, maximum: 60 },
          },
        },
        response: { 201: episode, ...errors },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const started = await kernel.breakGlass.start(ctx.actor, request.body);
      void reply.status(201);
      return started;
    },
  );

  app.get<{ Querystring: { unreviewed?: 'true' | 'false' } }>(
    '/break-glass',
    {
      schema: {
        tags: ['break-glass'],
        summary: 'List break-glass episodes for review',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { unreviewed: { type: 'string', enum: ['true', 'false'] } },
        },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: episode } } }, ...errors },
      },
    },
    async (request) => {
      await kernel.policy.enforce(contextOf(request), 'break_glass.review', {});
      return { items: await kernel.breakGlass.list({ unreviewedOnly: request.query.unreviewed === 'true' }) };
    },
  );

  app.post<{ Params: { id: string }; Body: { note: string } }>(
    '/break-glass/:id/review',
    {
      schema: {
        tags: ['break-glass'],
        summary: 'Record the compliance review of an episode',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['note'],
          properties: { note: { type: 'string', minLength: 1, maxLength: 4000 } },
        },
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      await kernel.policy.enforce(ctx, 'break_glass.review', {});
      await kernel.breakGlass.review(ctx.actor, request.params.id, request.body.note);
      void reply.status(204);
    },
  );
}

/** @module /break-glass: start emergency access (eligible users), list and review it (compliance). */
import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors, IdParams, NoContent } from '../contract/common.js';
import {
  BreakGlassBody,
  BreakGlassEpisode,
  BreakGlassList,
  BreakGlassQuery,
  BreakGlassReviewBody,
} from '../contract/auth.js';
import { typed } from '../typed.js';

export function breakGlassRoutes(app: FastifyInstance, kernel: Pick<Kernel, 'breakGlassService'>): void {
  const api = typed(app);
  api.post(
    '/break-glass',
    {
      schema: {
        tags: ['break-glass'],
        summary: 'Start time-boxed emergency access at a site (reason required; loudly audited)',
        body: BreakGlassBody,
        response: { 201: BreakGlassEpisode, ...errors },
      },
    },
    async (request, reply) => {
      const started = await kernel.breakGlassService.start(contextOf(request), request.body);
      void reply.status(201);
      return started;
    },
  );

  api.get(
    '/break-glass',
    {
      schema: {
        tags: ['break-glass'],
        summary: 'List break-glass episodes for review',
        querystring: BreakGlassQuery,
        response: { 200: BreakGlassList, ...errors },
      },
    },
    async (request) => ({
      items: await kernel.breakGlassService.list(contextOf(request), {
        unreviewedOnly: request.query.unreviewed === 'true',
      }),
    }),
  );

  api.post(
    '/break-glass/:id/review',
    {
      schema: {
        tags: ['break-glass'],
        summary: 'Record the compliance review of an episode',
        params: IdParams,
        body: BreakGlassReviewBody,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await kernel.breakGlassService.review(contextOf(request), request.params.id, request.body.note);
      void reply.status(204);
    },
  );
}

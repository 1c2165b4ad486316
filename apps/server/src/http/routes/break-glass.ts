/**
 * @module /break-glass: start emergency access (eligible users), list and review it (compliance),
 * with the accesses made under an episode and their patients by name and birth date for the
 * reviewer (ADR 0021: the one compliance view that shows them; the display is an audited read).
 */
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '@steward/core';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors, IdParams, NoContent } from '../contract/common.js';
import {
  BreakGlassAccesses,
  BreakGlassAccessesQuery,
  BreakGlassBody,
  BreakGlassEpisode,
  BreakGlassList,
  BreakGlassQuery,
  BreakGlassReviewBody,
} from '../contract/auth.js';
import { typed } from '../typed.js';

export function breakGlassRoutes(
  app: FastifyInstance,
  kernel: Pick<Kernel, 'breakGlassService' | 'auditService' | 'patientLabels'>,
): void {
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

  api.get(
    '/break-glass/:id/accesses',
    {
      schema: {
        tags: ['break-glass'],
        summary:
          'The accesses made under an episode, oldest first, with their patients by name and birth date (for its review; audited)',
        params: IdParams,
        querystring: BreakGlassAccessesQuery,
        response: { 200: BreakGlassAccesses, ...errors },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      // break_glass.review first (the list enforces it), then the audit trail (audit.read).
      const episode = (await kernel.breakGlassService.list(ctx)).find((e) => e.id === request.params.id);
      if (episode === undefined) throw new NotFoundError('break-glass episode');
      const page = await kernel.auditService.query(ctx, {
        breakGlass: episode.id,
        limit: '200',
        ...(request.query.after !== undefined ? { after: request.query.after } : {}),
      });
      const accesses = page.items.filter((e) => !e.event.startsWith('break_glass.'));
      const patientIds = [...new Set(accesses.flatMap((e) => e.patientIds))];
      const labels = await kernel.patientLabels.forBreakGlassReview(ctx, episode, patientIds);
      const byId = new Map(patientIds.map((id, i) => [id, labels[i]!]));
      return {
        episode,
        items: accesses.map((e) => ({ ...e, patients: e.patientIds.map((id) => byId.get(id) ?? { id }) })),
        ...(page.next !== undefined ? { next: page.next } : {}),
      };
    },
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

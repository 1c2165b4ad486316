/**
 * @module /followups and /reports/followups: recheck follow-ups (from the workflows' state: order
 * and appointment references, stages, times, flags; no demographics) and their figures. Both
 * need `phi.search` at the site (the references still point at one patient's chart) and are
 * audited as searches.
 *
 * /followups/:id/timeline: one follow-up's sequence: the workflow's history (events, timers,
 * replies, proposals) as codes, references and times, the messages sent for it from the local
 * outbox (channel, template, language, status, times; the text only with `bodies=true`), its
 * replies, and what is next (reminders scheduled, window end, booking state). Message templates
 * and languages are sealed with the bodies, so this needs `phi.read` at the follow-up's site
 * (out of scope answers not-found) and is audited as a read. The governed act is the workflows
 * package's FollowupService; this file is the HTTP shape.
 */
import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors, IdParams } from '../contract/common.js';
import {
  FollowupFigures,
  FollowupFiguresQuery,
  FollowupPage,
  FollowupQuery,
  FollowupTimeline,
  TimelineQuery,
} from '../contract/followups.js';
import { typed } from '../typed.js';
import { labelWorkflowItems } from '../item-labels.js';

export type { FollowupTimeline } from '../contract/followups.js';

export function followupRoutes(
  app: FastifyInstance,
  kernel: Pick<Kernel, 'followups' | 'patientLabels' | 'roster' | 'workflowPatients'>,
): void {
  const api = typed(app);
  api.get(
    '/followups',
    {
      schema: {
        tags: ['followups'],
        summary: 'Recheck follow-ups at a site: stage, window, appointment, next reminder, flags; page by `after`',
        querystring: FollowupQuery,
        response: { 200: FollowupPage, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      const ctx = contextOf(request);
      const page = await kernel.followups.list(ctx, {
        site: q.site,
        ...(q.stage !== undefined ? { stage: q.stage } : {}),
        ...(q.overdue !== undefined ? { overdue: q.overdue === 'true' } : {}),
        ...(q.status !== undefined ? { status: q.status } : {}),
        ...(q.after !== undefined ? { after: q.after } : {}),
        ...(q.limit !== undefined ? { limit: Number(q.limit) } : {}),
      });
      return { ...page, items: await labelWorkflowItems(kernel, ctx, page.items, (f) => f.id) };
    },
  );

  api.get(
    '/reports/followups',
    {
      schema: {
        tags: ['followups', 'reports'],
        summary: 'Follow-up figures: counts by stage, time in stage, overdue, no-show and fulfilled rates',
        querystring: FollowupFiguresQuery,
        response: { 200: FollowupFigures, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      return kernel.followups.figures(contextOf(request), {
        site: q.site,
        ...(q.since !== undefined ? { since: q.since } : {}),
      });
    },
  );

  api.get(
    '/followups/:id/timeline',
    {
      schema: {
        tags: ['followups'],
        summary: "One follow-up's timeline: history, messages sent, replies, and what is next",
        params: IdParams,
        querystring: TimelineQuery,
        response: { 200: FollowupTimeline, ...errors },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const timeline = await kernel.followups.timeline(ctx, request.params.id, {
        bodies: request.query.bodies === 'true',
      });
      const [followup] = await labelWorkflowItems(kernel, ctx, [timeline.followup], (f) => f.id);
      return { ...timeline, followup: followup! };
    },
  );
}

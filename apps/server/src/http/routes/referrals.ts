/**
 * @module /referrals and /reports/referrals: the referral worklist (stage, due time, overdue,
 * escalation, leakage) and its figures (counts by stage, time in stage, overdue, closure rate,
 * leakage by reason). Both need `phi.search` at the site asked for, or at every site without one.
 * Items are references and codes only (ServiceRequest/Appointment ids, stages, times).
 *
 * /referrals/:workflowId: one referral with its stage transitions and the workflow's history of
 * inputs (events, timers, proposal results) as codes, references and times. It needs
 * `phi.search` at the referral's site (out of scope answers not-found, so ids are not probed)
 * and is audited as a read. The governed act (decide, read, audit) is the workflows package's
 * ReferralService; this file is the HTTP shape.
 */
import type { FastifyInstance } from 'fastify';
import type { LeakReason } from '@steward/workflows';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors } from '../contract/common.js';
import {
  FiguresQuery,
  ReferralDetail,
  ReferralFigures,
  ReferralPage,
  ReferralQuery,
  WorkflowIdParams,
} from '../contract/referrals.js';
import { typed } from '../typed.js';
import { labelWorkflowItems } from '../item-labels.js';

export type { ReferralDetail } from '../contract/referrals.js';

export function referralRoutes(
  app: FastifyInstance,
  kernel: Pick<Kernel, 'referrals' | 'patientLabels' | 'roster' | 'workflowPatients'>,
): void {
  const api = typed(app);

  api.get(
    '/referrals',
    {
      schema: {
        tags: ['referrals'],
        summary:
          'Referrals, what needs action first (overdue, most overdue first; then soonest due; ended last): stage, due time, overdue, escalation, leakage; page by cursor',
        querystring: ReferralQuery,
        response: { 200: ReferralPage, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      const ctx = contextOf(request);
      const page = await kernel.referrals.list(ctx, {
        ...(q.site !== undefined ? { site: q.site } : {}),
        ...(q.stage !== undefined ? { stage: q.stage } : {}),
        ...(q.overdue !== undefined ? { overdue: q.overdue === 'true' } : {}),
        ...(q.leaked !== undefined ? { leaked: leakedFilter(q.leaked) } : {}),
        ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
        ...(q.limit !== undefined ? { limit: Number(q.limit) } : {}),
      });
      return { ...page, items: await labelWorkflowItems(kernel, ctx, page.items, (r) => r.workflowId) };
    },
  );

  api.get(
    '/reports/referrals',
    {
      schema: {
        tags: ['referrals'],
        summary: 'Referral figures for referrals started since a time: stages, time in stage, closure, leakage',
        querystring: FiguresQuery,
        response: { 200: ReferralFigures, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      return kernel.referrals.figures(contextOf(request), {
        ...(q.site !== undefined ? { site: q.site } : {}),
        ...(q.since !== undefined ? { since: new Date(q.since) } : {}),
      });
    },
  );

  api.get(
    '/referrals/:workflowId',
    {
      schema: {
        tags: ['referrals'],
        summary: 'One referral: its stages with times and the events, timers and proposals behind them',
        params: WorkflowIdParams,
        response: { 200: ReferralDetail, ...errors },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const detail = await kernel.referrals.detail(ctx, request.params.workflowId);
      const [labelled] = await labelWorkflowItems(kernel, ctx, [detail], (r) => r.workflowId);
      return labelled!;
    },
  );
}

function leakedFilter(v: 'true' | 'false' | LeakReason): boolean | LeakReason {
  return v === 'true' ? true : v === 'false' ? false : v;
}

/**
 * @module /referrals and /reports/referrals: the referral worklist (stage, due time, overdue,
 * escalation, leakage) and its figures (counts by stage, time in stage, overdue, closure rate,
 * leakage by reason). Both need `phi.search` at the site asked for, or at every site without one.
 * Items are references and codes only (ServiceRequest/Appointment ids, stages, times).
 *
 * /referrals/:workflowId: one referral with its stage transitions and the workflow's history of
 * inputs (events, timers, proposal results) as codes, references and times. It needs
 * `phi.search` at the referral's site (out of scope answers not-found, so ids are not probed)
 * and is audited as a read.
 */
import type { FastifyInstance } from 'fastify';
import { NotFoundError, type RequestContext } from '@steward/core';
import {
  listReferrals,
  REFERRAL_WORKFLOW,
  referralStages,
  reportReferrals,
  searchReferrals,
  type LeakReason,
  type ReferralState,
} from '@steward/workflows';
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
  type ReferralHistoryEntry,
  type ReferralStageChange,
} from '../contract/referrals.js';
import { typed } from '../typed.js';
import { detailRead, effectOutcome, stepBase, str, workflowSteps, type StoredStep } from './workflow-detail.js';

export type { ReferralDetail } from '../contract/referrals.js';

export function referralRoutes(app: FastifyInstance, kernel: Pick<Kernel, 'db' | 'policy' | 'audit'>): void {
  const deps = { db: kernel.db, policy: kernel.policy };
  const api = typed(app);

  api.get(
    '/referrals',
    {
      schema: {
        tags: ['referrals'],
        summary: 'Referrals, newest first: stage, due time, overdue, escalation, leakage; page by cursor',
        querystring: ReferralQuery,
        response: { 200: ReferralPage, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      return searchReferrals(deps, contextOf(request), {
        ...(q.site !== undefined ? { site: q.site } : {}),
        ...(q.stage !== undefined ? { stage: q.stage } : {}),
        ...(q.overdue !== undefined ? { overdue: q.overdue === 'true' } : {}),
        ...(q.leaked !== undefined ? { leaked: leakedFilter(q.leaked) } : {}),
        ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
        ...(q.limit !== undefined ? { limit: Number(q.limit) } : {}),
      });
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
      return reportReferrals(deps, contextOf(request), {
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
    async (request) => readReferral(kernel, contextOf(request), request.params.workflowId),
  );
}

function leakedFilter(v: 'true' | 'false' | LeakReason): boolean | LeakReason {
  return v === 'true' ? true : v === 'false' ? false : v;
}

async function readReferral(
  kernel: Pick<Kernel, 'db' | 'policy' | 'audit'>,
  ctx: RequestContext,
  workflowId: string,
): Promise<ReferralDetail> {
  const { row: item, decision } = await kernel.policy.visible(
    ctx,
    'phi.search',
    'referral',
    (await listReferrals(kernel.db, { workflowId, limit: 1 })).items[0],
    (r) => ({ ...(r.site !== null ? { site: r.site } : {}), entity: { kind: 'Referral', id: workflowId } }),
  );
  const state = (
    await kernel.db.query<{ state: ReferralState }>(
      'select state from workflow_instances where id = $1 and type = $2',
      [workflowId, REFERRAL_WORKFLOW],
    )
  ).rows[0]?.state;
  if (state === undefined) throw new NotFoundError('referral');
  const history = (await workflowSteps(kernel.db, workflowId)).map((r) => historyEntry(r, state));
  await kernel.audit.append(
    detailRead(ctx, decision, {
      kind: 'Referral',
      id: workflowId,
      site: item.site,
      fields: ['stages', 'history', 'proposals'],
    }),
  );
  return {
    ...item,
    priority: state.priority,
    due: state.due,
    performers: state.performers.map((p) => ({ kind: p.kind, ref: p.ref })),
    performerInNetwork: state.performerInNetwork,
    appointmentStart: state.appointmentStart,
    appointmentInNetwork: state.appointmentInNetwork,
    requestCompleted: state.requestCompleted,
    missedAppointments: state.missedAppointments,
    endedAt: state.endedAt,
    proposals: state.proposals,
    stages: stageChanges(state, history),
    history,
  };
}

function historyEntry(stored: StoredStep, state: ReferralState): ReferralHistoryEntry {
  const input = stored.input;
  const base = {
    ...stepBase(stored),
    eventId: null,
    eventType: null,
    occurredAt: null,
    status: null,
    resource: null,
    tag: null,
    proposalId: null,
  };
  const p = (input.payload ?? {}) as Record<string, unknown>;
  switch (input.kind) {
    case 'start':
      return {
        ...base,
        eventId: str(p['eventId']),
        eventType: 'referral.created',
        occurredAt: str(p['occurredAt']),
        status: str(p['status']),
        resource: str(p['serviceRequest']),
      };
    case 'signal':
      return {
        ...base,
        eventId: str(p['eventId']),
        eventType: str(p['eventType']),
        occurredAt: str(p['occurredAt']),
        status: str(p['status']),
        resource: str(p['ref']) ?? (input.name === 'referral' ? state.serviceRequest : null),
      };
    case 'timer':
      return { ...base, occurredAt: input.payload.dueAt };
    case 'effect':
      return { ...base, ...effectOutcome(input) };
  }
}

/** The stage entries of the state, each with the event behind it (found in the history by id). */
function stageChanges(state: ReferralState, history: readonly ReferralHistoryEntry[]): ReferralStageChange[] {
  const byEvent = new Map(history.filter((h) => h.eventId !== null).map((h) => [h.eventId, h]));
  return state.history.map((h, i) => {
    const prev = i > 0 ? state.history[i - 1] : undefined;
    const change =
      prev === undefined
        ? 'entered'
        : h.stage === prev.stage
          ? 'ended'
          : referralStages.indexOf(h.stage) < referralStages.indexOf(prev.stage)
            ? 'back'
            : 'entered';
    const e = h.eventId !== null ? byEvent.get(h.eventId) : undefined;
    return {
      stage: h.stage,
      at: h.at,
      change,
      eventId: h.eventId,
      eventType: e?.eventType ?? null,
      resource: e?.resource ?? null,
    };
  });
}

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
  leakReasons,
  listReferrals,
  REFERRAL_WORKFLOW,
  referralStages,
  reportReferrals,
  searchReferrals,
  type LeakReason,
  type ReferralListItem,
  type ReferralStage,
  type ReferralState,
  type WorkflowInput,
} from '@steward/workflows';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors, siteCode, uuidPattern } from '../schemas.js';
import { detailRead, effectOutcome, stepBase, str, workflowSteps, type StoredStep } from './workflow-detail.js';

const nullableString = { type: ['string', 'null'] } as const;
const stageOrNull = { type: ['string', 'null'], enum: [...referralStages, null] } as const;

const item = {
  type: 'object',
  properties: {
    workflowId: { type: 'string' },
    correlationKey: { type: 'string' },
    status: { type: 'string', enum: ['running', 'completed', 'failed'] },
    site: nullableString,
    connectionId: nullableString,
    serviceRequest: nullableString,
    stage: { type: 'string', enum: [...referralStages] },
    stageEnteredAt: nullableString,
    awaiting: stageOrNull,
    dueAt: nullableString,
    overdue: stageOrNull,
    escalated: { type: 'boolean' },
    leaked: { type: ['string', 'null'], enum: [...leakReasons, null] },
    owner: nullableString,
    appointment: nullableString,
    proposalIds: { type: 'array', items: { type: 'string' } },
    // Why it is tracked (the referral rule that matched) and how it ended (closed by what, or why not).
    recognisedBy: {
      type: ['object', 'null'],
      properties: { rule: { type: 'string' }, origin: { type: 'string' }, description: { type: 'string' } },
    },
    ending: {
      type: ['object', 'null'],
      properties: { how: { type: 'string' }, by: nullableString, detail: nullableString },
    },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

const nullableBoolean = { type: ['boolean', 'null'] } as const;
const detail = {
  type: 'object',
  properties: {
    ...item.properties,
    priority: nullableString,
    due: { type: 'object', additionalProperties: { type: 'string' } },
    performers: {
      type: 'array',
      items: { type: 'object', properties: { kind: { type: 'string' }, ref: nullableString } },
    },
    performerInNetwork: nullableBoolean,
    appointmentStart: nullableString,
    appointmentInNetwork: nullableBoolean,
    requestCompleted: { type: 'boolean' },
    missedAppointments: { type: 'integer' },
    endedAt: nullableString,
    proposals: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          tag: { type: 'string' },
          stage: { type: 'string' },
          action: { type: 'string' },
          proposalId: nullableString,
          status: nullableString,
        },
      },
    },
    stages: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          stage: { type: 'string' },
          at: { type: 'string' },
          change: { type: 'string', enum: ['entered', 'back', 'ended'] },
          eventId: nullableString,
          eventType: nullableString,
          resource: nullableString,
        },
      },
    },
    history: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          step: { type: 'integer' },
          at: { type: 'string' },
          input: { type: 'string', enum: ['start', 'signal', 'timer', 'effect'] },
          name: { type: 'string' },
          eventId: nullableString,
          eventType: nullableString,
          occurredAt: nullableString,
          status: nullableString,
          resource: nullableString,
          tag: nullableString,
          proposalId: nullableString,
        },
      },
    },
  },
} as const;

const nullableNumber = { type: ['number', 'null'] } as const;
const perStage = (schema: object) => ({
  type: 'object',
  properties: Object.fromEntries(referralStages.map((s) => [s, schema])),
});
const figures = {
  type: 'object',
  properties: {
    site: nullableString,
    since: nullableString,
    total: { type: 'integer' },
    byStage: perStage({ type: 'integer' }),
    timeInStage: perStage({
      type: 'object',
      properties: { count: { type: 'integer' }, medianHours: nullableNumber, p90Hours: nullableNumber },
    }),
    overdue: { type: 'integer' },
    escalated: { type: 'integer' },
    closed: { type: 'integer' },
    closureRate: nullableNumber,
    leakage: {
      type: 'object',
      properties: {
        count: { type: 'integer' },
        rate: nullableNumber,
        byReason: {
          type: 'object',
          properties: Object.fromEntries(
            leakReasons.map((l) => [
              l,
              { type: 'object', properties: { count: { type: 'integer' }, rate: nullableNumber } },
            ]),
          ),
        },
      },
    },
  },
} as const;

interface ListQuery {
  site?: string;
  stage?: ReferralStage;
  overdue?: 'true' | 'false';
  leaked?: 'true' | 'false' | LeakReason;
  cursor?: string;
  limit?: string;
}

export function referralRoutes(app: FastifyInstance, kernel: Pick<Kernel, 'db' | 'policy' | 'audit'>): void {
  const deps = { db: kernel.db, policy: kernel.policy };

  app.get<{ Querystring: ListQuery }>(
    '/referrals',
    {
      schema: {
        tags: ['referrals'],
        summary: 'Referrals, newest first: stage, due time, overdue, escalation, leakage; page by cursor',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            site: siteCode,
            stage: { type: 'string', enum: [...referralStages] },
            overdue: { type: 'string', enum: ['true', 'false'] },
            leaked: {
              type: 'string',
              enum: ['true', 'false', ...leakReasons],
              description: 'true: leaked for any reason; false: not leaked; or one reason',
            },
            cursor: { type: 'string', maxLength: 300, pattern: '^[A-Za-z0-9_-]+$' },
            limit: { type: 'string', pattern: '^[1-9]\\d{0,2}$', description: '1-200, default 50' },
          },
        },
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: item }, next: { type: 'string' } } },
          ...errors,
        },
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

  app.get<{ Querystring: { site?: string; since?: string } }>(
    '/reports/referrals',
    {
      schema: {
        tags: ['referrals'],
        summary: 'Referral figures for referrals started since a time: stages, time in stage, closure, leakage',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            site: siteCode,
            since: { type: 'string', format: 'date-time', description: 'ISO 8601 instant with offset' },
          },
        },
        response: { 200: figures, ...errors },
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

  app.get<{ Params: { workflowId: string } }>(
    '/referrals/:workflowId',
    {
      schema: {
        tags: ['referrals'],
        summary: 'One referral: its stages with times and the events, timers and proposals behind them',
        params: {
          type: 'object',
          additionalProperties: false,
          required: ['workflowId'],
          properties: { workflowId: { type: 'string', pattern: uuidPattern } },
        },
        response: { 200: detail, ...errors },
      },
    },
    async (request) => readReferral(kernel, contextOf(request), request.params.workflowId),
  );
}

function leakedFilter(v: 'true' | 'false' | LeakReason): boolean | LeakReason {
  return v === 'true' ? true : v === 'false' ? false : v;
}

/** One step of a referral's workflow history, as codes, references and times. */
export interface ReferralHistoryEntry {
  readonly step: number;
  /** When the engine decided the step. */
  readonly at: string;
  readonly input: WorkflowInput['kind'];
  /** The signal, timer or effect name (`task`, `due:received`, `proposal.draft`). */
  readonly name: string;
  readonly eventId: string | null;
  readonly eventType: string | null;
  /** The EHR's time of the event, or a timer's due time. */
  readonly occurredAt: string | null;
  readonly status: string | null;
  /** The resource the input is about (`ServiceRequest/…`, `Appointment/…`). */
  readonly resource: string | null;
  readonly tag: string | null;
  readonly proposalId: string | null;
}

export interface ReferralStageChange {
  readonly stage: ReferralStage;
  readonly at: string;
  /** entered: a new stage; back: a missed or cancelled appointment; ended: cancelled in this stage. */
  readonly change: 'entered' | 'back' | 'ended';
  readonly eventId: string | null;
  readonly eventType: string | null;
  readonly resource: string | null;
}

export interface ReferralDetail extends ReferralListItem {
  readonly priority: string | null;
  readonly due: Readonly<Record<string, string>>;
  readonly performers: readonly { readonly kind: string; readonly ref: string | null }[];
  readonly performerInNetwork: boolean | null;
  readonly appointmentStart: string | null;
  readonly appointmentInNetwork: boolean | null;
  readonly requestCompleted: boolean;
  readonly missedAppointments: number;
  readonly endedAt: string | null;
  readonly proposals: readonly ReferralState['proposals'][number][];
  readonly stages: readonly ReferralStageChange[];
  readonly history: readonly ReferralHistoryEntry[];
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

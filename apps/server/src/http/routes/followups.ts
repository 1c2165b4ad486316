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
 * (out of scope answers not-found) and is audited as a read.
 */
import type { FastifyInstance } from 'fastify';
import { NotFoundError, type Clock, type RequestContext } from '@steward/core';
import { sourceOf, type AuditLog, type PolicyDecisionPoint } from '@steward/governance';
import type { Database } from '@steward/store';
import {
  FOLLOWUP,
  followupFigures,
  followupStages,
  listFollowups,
  type FollowupItem,
  type FollowupStage,
  type FollowupState,
  type WorkflowInput,
} from '@steward/workflows';
import type { LocalOutbox } from '@steward/messaging';
import { contextOf } from '../authenticate.js';
import { errors, siteCode, uuidPattern } from '../schemas.js';
import { detailRead, effectOutcome, stepBase, str, workflowSteps, type StoredStep } from './workflow-detail.js';

/** What these routes need of the kernel. */
export interface FollowupRouteDeps {
  readonly db: Database;
  readonly policy: PolicyDecisionPoint;
  readonly audit: Pick<AuditLog, 'append'>;
  readonly clock: Clock;
  readonly outbox: Pick<LocalOutbox, 'thread'>;
}

const isoDate = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}(T[0-9:.]+(Z|[+-]\\d{2}:\\d{2}))?$' } as const;

const item = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    correlationKey: { type: 'string' },
    status: { type: 'string' },
    site: { type: 'string', nullable: true },
    connectionId: { type: 'string' },
    orderRef: { type: 'string' },
    stage: { type: 'string' },
    stageAt: { type: 'string', nullable: true },
    window: {
      type: 'object',
      nullable: true,
      properties: { start: { type: 'string' }, end: { type: 'string' } },
    },
    appointmentRef: { type: 'string', nullable: true },
    appointmentStart: { type: 'string', nullable: true },
    nextReminderAt: { type: 'string', nullable: true },
    confirmation: { type: 'string', nullable: true },
    overdue: { type: 'boolean' },
    optedOut: { type: 'boolean' },
    counts: { type: 'object', additionalProperties: { type: 'integer' } },
    proposals: { type: 'integer' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
  },
} as const;

const nullable = { type: ['string', 'null'] } as const;
const timeline = {
  type: 'object',
  properties: {
    followup: item,
    asOf: { type: 'string' },
    reminders: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          offsetDays: { type: 'number' },
          dueAt: { type: 'string' },
          status: { type: 'string' },
        },
      },
    },
    proposals: {
      type: 'array',
      items: {
        type: 'object',
        properties: { tag: { type: 'string' }, proposalId: nullable, status: { type: 'string' } },
      },
    },
    messages: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          channel: { type: 'string' },
          status: { type: 'string' },
          proposalId: nullable,
          notBefore: { type: 'string' },
          createdAt: { type: 'string' },
          template: { type: 'string' },
          language: { type: 'string' },
          subject: { type: 'string' },
          body: { type: 'string' },
        },
      },
    },
    replies: {
      type: 'array',
      items: {
        type: 'object',
        properties: { at: { type: 'string' }, intent: { type: 'string' }, messageId: nullable },
      },
    },
    history: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          step: { type: 'integer' },
          at: { type: 'string' },
          input: { type: 'string' },
          name: { type: 'string' },
          eventId: nullable,
          eventType: nullable,
          occurredAt: nullable,
          status: nullable,
          resource: nullable,
          intent: nullable,
          messageId: nullable,
          tag: nullable,
          proposalId: nullable,
        },
      },
    },
  },
} as const;

interface ListQuery {
  site: string;
  stage?: FollowupStage;
  overdue?: 'true' | 'false';
  status?: 'running' | 'completed' | 'failed';
  after?: string;
  limit?: string;
}

async function searched(
  deps: FollowupRouteDeps,
  ctx: RequestContext,
  site: string,
  entity: string,
  query: Record<string, string | undefined>,
): Promise<void> {
  const decision = await deps.policy.enforce(ctx, 'phi.search', { site });
  await deps.audit.append({
    actor: ctx.actor,
    event: 'phi.search',
    action: 'R',
    outcome: 'success',
    entity: { kind: entity, id: '*' },
    site,
    purposeOfUse: decision.purposeOfUse,
    source: sourceOf(ctx),
    query: Object.fromEntries(Object.entries(query).filter((e): e is [string, string] => e[1] !== undefined)),
  });
}

export function followupRoutes(app: FastifyInstance, deps: FollowupRouteDeps): void {
  app.get<{ Querystring: ListQuery }>(
    '/followups',
    {
      schema: {
        tags: ['followups'],
        summary: 'Recheck follow-ups at a site: stage, window, appointment, next reminder, flags; page by `after`',
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['site'],
          properties: {
            site: siteCode,
            stage: { type: 'string', enum: [...followupStages] },
            overdue: { type: 'string', enum: ['true', 'false'] },
            status: { type: 'string', enum: ['running', 'completed', 'failed'] },
            after: { type: 'string', pattern: uuidPattern },
            limit: { type: 'string', pattern: '^[1-9]\\d{0,2}$', description: '1-500, default 50' },
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
      await searched(deps, contextOf(request), q.site, 'Followup', { ...q });
      const limit = q.limit !== undefined ? Number(q.limit) : 50;
      const items = await listFollowups(deps.db, {
        site: q.site,
        limit,
        ...(q.stage !== undefined ? { stage: q.stage } : {}),
        ...(q.overdue !== undefined ? { overdue: q.overdue === 'true' } : {}),
        ...(q.status !== undefined ? { status: q.status } : {}),
        ...(q.after !== undefined ? { after: q.after } : {}),
      });
      const last = items.at(-1);
      return { items, ...(items.length === limit && last !== undefined ? { next: last.id } : {}) };
    },
  );

  app.get<{ Querystring: { site: string; since?: string } }>(
    '/reports/followups',
    {
      schema: {
        tags: ['followups', 'reports'],
        summary: 'Follow-up figures: counts by stage, time in stage, overdue, no-show and fulfilled rates',
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['site'],
          properties: { site: siteCode, since: isoDate },
        },
        response: { 200: { type: 'object', additionalProperties: true }, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      await searched(deps, contextOf(request), q.site, 'FollowupReport', { ...q });
      return followupFigures(deps.db, {
        site: q.site,
        now: deps.clock.now(),
        ...(q.since !== undefined ? { since: new Date(q.since) } : {}),
      });
    },
  );

  app.get<{ Params: { id: string }; Querystring: { bodies?: 'true' | 'false' } }>(
    '/followups/:id/timeline',
    {
      schema: {
        tags: ['followups'],
        summary: "One follow-up's timeline: history, messages sent, replies, and what is next",
        params: {
          type: 'object',
          additionalProperties: false,
          required: ['id'],
          properties: { id: { type: 'string', pattern: uuidPattern } },
        },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            bodies: { type: 'string', enum: ['true', 'false'], description: "true: include the messages' text" },
          },
        },
        response: { 200: timeline, ...errors },
      },
    },
    async (request) => readTimeline(deps, contextOf(request), request.params.id, request.query.bodies === 'true'),
  );
}

/** One input of a follow-up's history, as codes, references and times. */
export interface FollowupStep {
  readonly step: number;
  readonly at: string;
  readonly input: WorkflowInput['kind'];
  /** Signal, timer or effect name (`appointment`, `reply`, `reminder-1-7d`, `proposal.draft`). */
  readonly name: string;
  readonly eventId: string | null;
  readonly eventType: string | null;
  /** The EHR's time of the event, a reply's time, or a timer's due time. */
  readonly occurredAt: string | null;
  readonly status: string | null;
  readonly resource: string | null;
  /** A reply's intent (confirm, cancel, reschedule). */
  readonly intent: string | null;
  readonly messageId: string | null;
  readonly tag: string | null;
  readonly proposalId: string | null;
}

export interface FollowupTimeline {
  readonly followup: FollowupItem;
  /** The server's time, to tell past from upcoming. */
  readonly asOf: string;
  readonly reminders: FollowupState['reminders'];
  readonly proposals: FollowupState['proposals'];
  readonly messages: Awaited<ReturnType<LocalOutbox['thread']>>;
  readonly replies: readonly { readonly at: string; readonly intent: string; readonly messageId: string | null }[];
  readonly history: readonly FollowupStep[];
}

async function readTimeline(
  deps: FollowupRouteDeps,
  ctx: RequestContext,
  id: string,
  bodies: boolean,
): Promise<FollowupTimeline> {
  const { row: followup, decision } = await deps.policy.visible(
    ctx,
    'phi.read',
    'follow-up',
    (await listFollowups(deps.db, { id, limit: 1 }))[0],
    (f) => ({ ...(f.site !== null ? { site: f.site } : {}), entity: { kind: 'Followup', id } }),
  );
  const state = (
    await deps.db.query<{ state: FollowupState }>('select state from workflow_instances where id = $1 and type = $2', [
      id,
      FOLLOWUP,
    ])
  ).rows[0]?.state;
  if (state === undefined) throw new NotFoundError('follow-up');
  const history = (await workflowSteps(deps.db, id)).map(stepOf);
  const messages =
    followup.site !== null
      ? await deps.outbox.thread(ctx, { site: followup.site, correlationKey: followup.correlationKey, bodies })
      : [];
  await deps.audit.append(
    detailRead(ctx, decision, {
      kind: 'Followup',
      id,
      site: followup.site,
      fields: ['history', 'reminders', 'replies', 'messages'],
    }),
  );
  return {
    followup,
    asOf: deps.clock.now().toISOString(),
    reminders: state.reminders,
    proposals: state.proposals,
    messages,
    replies: history
      .filter((h) => h.input === 'signal' && h.name === 'reply' && h.intent !== null)
      .map((h) => ({ at: h.occurredAt ?? h.at, intent: h.intent ?? '', messageId: h.messageId })),
    history,
  };
}

function stepOf(stored: StoredStep): FollowupStep {
  const input = stored.input;
  const base: FollowupStep = {
    ...stepBase(stored),
    eventId: null,
    eventType: null,
    occurredAt: null,
    status: null,
    resource: null,
    intent: null,
    messageId: null,
    tag: null,
    proposalId: null,
  };
  const p = (input.payload ?? {}) as Record<string, unknown>;
  const event = (p['event'] ?? {}) as Record<string, unknown>;
  const fromEvent = {
    eventId: str(event['eventId']),
    eventType: str(event['type']),
    occurredAt: str(event['occurredAt']),
  };
  switch (input.kind) {
    case 'start':
      return { ...base, ...fromEvent, status: 'active', resource: str(p['orderRef']) };
    case 'timer':
      return { ...base, occurredAt: input.payload.dueAt };
    case 'effect':
      return { ...base, ...effectOutcome(input) };
    case 'signal':
      switch (input.name) {
        case 'appointment':
          return { ...base, ...fromEvent, status: str(p['status']), resource: str(p['appointmentRef']) };
        case 'order':
          return { ...base, ...fromEvent, status: str(p['status']) };
        case 'reply':
          return { ...base, occurredAt: str(p['at']), intent: str(p['intent']), messageId: str(p['messageId']) };
        case 'proposal-outcome':
          return { ...base, status: str(p['status']), proposalId: str(p['proposalId']), tag: str(p['action']) };
        default:
          return base;
      }
  }
}

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
import { FOLLOWUP, followupFigures, listFollowups, type FollowupState } from '@steward/workflows';
import type { LocalOutbox } from '@steward/messaging';
import { contextOf } from '../authenticate.js';
import { errors, IdParams } from '../contract/common.js';
import {
  FollowupFigures,
  FollowupFiguresQuery,
  FollowupPage,
  FollowupQuery,
  FollowupTimeline,
  TimelineQuery,
  type FollowupStep,
} from '../contract/followups.js';
import { typed } from '../typed.js';
import { detailRead, effectOutcome, stepBase, str, workflowSteps, type StoredStep } from './workflow-detail.js';

export type { FollowupTimeline } from '../contract/followups.js';

/** What these routes need of the kernel. */
export interface FollowupRouteDeps {
  readonly db: Database;
  readonly policy: PolicyDecisionPoint;
  readonly audit: Pick<AuditLog, 'append'>;
  readonly clock: Clock;
  readonly outbox: Pick<LocalOutbox, 'thread'>;
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
      await searched(deps, contextOf(request), q.site, 'FollowupReport', { ...q });
      return followupFigures(deps.db, {
        site: q.site,
        now: deps.clock.now(),
        ...(q.since !== undefined ? { since: new Date(q.since) } : {}),
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
    async (request) => readTimeline(deps, contextOf(request), request.params.id, request.query.bodies === 'true'),
  );
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

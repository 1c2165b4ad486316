/**
 * @module /followups and /reports/followups: recheck follow-ups (from the workflows' state: order
 * and appointment references, stages, times, flags; no demographics) and their figures. Both
 * need `phi.search` at the site (the references still point at one patient's chart) and are
 * audited as searches.
 */
import type { FastifyInstance } from 'fastify';
import type { Clock, RequestContext } from '@steward/core';
import type { AuditLog, PolicyDecisionPoint } from '@steward/governance';
import type { Database } from '@steward/store';
import { followupFigures, followupStages, listFollowups, type FollowupStage } from '@steward/workflows';
import { contextOf } from '../authenticate.js';
import { errors, siteCode, uuidPattern } from '../schemas.js';

/** What these routes need of the kernel. */
export interface FollowupRouteDeps {
  readonly db: Database;
  readonly policy: PolicyDecisionPoint;
  readonly audit: Pick<AuditLog, 'append'>;
  readonly clock: Clock;
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
    source: {
      ...(ctx.sourceAddress !== undefined ? { address: ctx.sourceAddress } : {}),
      ...(ctx.requestId !== undefined ? { requestId: ctx.requestId } : {}),
    },
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
}

/**
 * @module /referrals and /reports/referrals: the referral worklist (stage, due time, overdue,
 * escalation, leakage) and its figures (counts by stage, time in stage, overdue, closure rate,
 * leakage by reason). Both need `phi.search` at the site asked for, or at every site without one.
 * Items are references and codes only (ServiceRequest/Appointment ids, stages, times).
 */
import type { FastifyInstance } from 'fastify';
import { leakReasons, referralStages, reportReferrals, searchReferrals, type ReferralStage } from '@steward/workflows';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors, siteCode } from '../schemas.js';

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
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
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
  cursor?: string;
  limit?: string;
}

export function referralRoutes(app: FastifyInstance, kernel: Pick<Kernel, 'db' | 'policy'>): void {
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
}

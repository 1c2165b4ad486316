/**
 * @module /reports/operations: the operations dashboards' figures in one answer: referral
 * closure and leakage per week, time in referral stage, follow-up no-shows by service line
 * (`phi.search`), decisions and commits by hour of day and the review queue's age by priority
 * (`review.read`). Sections the caller may not see are null and listed in `withheld`. Aggregates
 * only: no ids of patients or records. Audited as a search.
 */
import type { FastifyInstance } from 'fastify';
import { referralStages } from '@steward/workflows';
import type { Kernel } from '../../kernel.js';
import { operationsReport } from '../../reports/index.js';
import { contextOf } from '../authenticate.js';
import { errors, siteCode } from '../schemas.js';

const rate = { type: ['number', 'null'] } as const;
const count = { type: 'integer' } as const;
const nullableArray = (item: object) => ({ type: ['array', 'null'], items: item }) as const;

const report = {
  type: 'object',
  properties: {
    site: { type: ['string', 'null'] },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    zone: { type: 'string' },
    generatedAt: { type: 'string', format: 'date-time' },
    withheld: { type: 'array', items: { type: 'string', enum: ['phi.search', 'review.read'] } },
    referralWeeks: nullableArray({
      type: 'object',
      properties: {
        week: { type: 'string', description: 'the Monday starting the week, YYYY-MM-DD in the zone' },
        started: count,
        closed: count,
        leaked: count,
        closureRate: rate,
        leakageRate: rate,
      },
    }),
    timeInStage: nullableArray({
      type: 'object',
      properties: {
        stage: { type: 'string', enum: [...referralStages] },
        count,
        medianHours: rate,
        p90Hours: rate,
      },
    }),
    noShows: nullableArray({
      type: 'object',
      properties: { serviceLine: { type: 'string' }, followups: count, booked: count, noShows: count, rate },
    }),
    throughput: nullableArray({
      type: 'object',
      properties: { hour: count, reviewed: count, autoApproved: count, committed: count },
    }),
    queueAge: nullableArray({
      type: 'object',
      properties: {
        priority: count,
        total: count,
        under1h: count,
        from1to4h: count,
        from4to24h: count,
        from1to3d: count,
        over3d: count,
      },
    }),
  },
} as const;

interface OperationsQuerystring {
  site?: string;
  from?: string;
  to?: string;
  zone?: string;
}

export function operationsRoutes(
  app: FastifyInstance,
  kernel: Pick<Kernel, 'db' | 'policy' | 'audit' | 'clock'>,
): void {
  app.get<{ Querystring: OperationsQuerystring }>(
    '/reports/operations',
    {
      schema: {
        tags: ['reports'],
        summary:
          'Operations figures: referral closure and leakage by week, time in stage, no-shows, throughput, queue age',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            site: siteCode,
            from: { type: 'string', format: 'date-time', description: 'inclusive; default 12 weeks before to' },
            to: { type: 'string', format: 'date-time', description: 'exclusive; default now' },
            zone: {
              type: 'string',
              maxLength: 64,
              pattern: '^[A-Za-z][A-Za-z0-9_+/-]*$',
              description: 'IANA time zone for weeks and hours of day; default UTC',
            },
          },
        },
        response: { 200: report, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      return operationsReport(kernel, contextOf(request), {
        ...(q.site !== undefined ? { site: q.site } : {}),
        ...(q.from !== undefined ? { from: new Date(q.from) } : {}),
        ...(q.to !== undefined ? { to: new Date(q.to) } : {}),
        ...(q.zone !== undefined ? { zone: q.zone } : {}),
      });
    },
  );
}

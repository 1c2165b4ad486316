/**
 * @module /reports/operations: the operations dashboards' figures in one answer: referral
 * closure and leakage per week, time in referral stage, follow-up no-shows by service line
 * (`phi.search`), decisions and commits by hour of day and the review queue's age by priority
 * (`review.read`). Sections the caller may not see are null and listed in `withheld`. Aggregates
 * only: no ids of patients or records. Audited as a search.
 */
import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../../kernel.js';
import { operationsReport } from '../../reports/index.js';
import { contextOf } from '../authenticate.js';
import { errors } from '../contract/common.js';
import { OperationsQuery, OperationsReport } from '../contract/operations.js';
import { typed } from '../typed.js';

export function operationsRoutes(
  app: FastifyInstance,
  kernel: Pick<Kernel, 'db' | 'policy' | 'audit' | 'clock' | 'sites'>,
): void {
  typed(app).get(
    '/reports/operations',
    {
      schema: {
        tags: ['reports'],
        summary:
          'Operations figures: referral closure and leakage by week, time in stage, no-shows, throughput, queue age',
        querystring: OperationsQuery,
        response: { 200: OperationsReport, ...errors },
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

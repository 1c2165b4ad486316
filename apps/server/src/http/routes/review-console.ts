/**
 * @module What the review screen needs beyond the queue: the EHR's current state beside a
 * proposal (read live, audited), and bulk approval of a selection where policy allows. Bulk
 * approval approves each item exactly as the single route does (bound to the hash the reviewer
 * saw, refused for the drafter, under the action type's approval policy) and then commits it; it
 * refuses irreversible proposals (a message once sent cannot be recalled), which must each be
 * opened and approved on their own.
 */
import type { FastifyInstance } from 'fastify';
import { isStewardError } from '@steward/core';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors, IdParams } from '../contract/common.js';
import { BULK_APPROVE_MAX, BulkApproveAnswer, BulkApproveBody, EhrState, type BulkResult } from '../contract/review.js';
import { typed } from '../typed.js';
import { commitApproved } from './review.js';

export function reviewConsoleRoutes(app: FastifyInstance, kernel: Kernel): void {
  const api = typed(app);
  api.get(
    '/review/:id/ehr-state',
    {
      schema: {
        tags: ['review'],
        summary:
          "The EHR's current state beside a proposal: its target, the patient, the evidence (read live; audited)",
        params: IdParams,
        response: { 200: EhrState, ...errors },
      },
    },
    async (request) => kernel.ehrState.read(contextOf(request), request.params.id),
  );

  api.post(
    '/review/bulk-approve',
    {
      schema: {
        tags: ['review'],
        summary: `Approve up to ${BULK_APPROVE_MAX} reversible proposals, each bound to the hash seen, then commit each`,
        body: BulkApproveBody,
        response: { 200: BulkApproveAnswer, ...errors },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const results: BulkResult[] = [];
      // One by one, in the order given: each approval is its own audited decision.
      for (const item of request.body.items) {
        try {
          const summary = await kernel.proposals.summaryFor(ctx, item.id);
          if (!summary.reversible) {
            results.push({
              id: item.id,
              error: {
                code: 'FORBIDDEN',
                message: 'an irreversible proposal is approved on its own, not in bulk: open it to approve',
              },
            });
            continue;
          }
          const approved = await kernel.proposals.approve(ctx, item.id, { contentHash: item.contentHash });
          results.push({ id: item.id, outcome: await commitApproved(kernel, ctx, approved) });
        } catch (e) {
          if (!isStewardError(e)) throw e;
          results.push({ id: item.id, error: { code: e.code, message: e.message } });
        }
      }
      return { results };
    },
  );
}

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
import { errors, idParams, uuidPattern } from '../schemas.js';
import { commitApproved, outcome, type Outcome } from './review.js';

const entry = {
  type: 'object',
  properties: {
    reference: { type: 'string' },
    resource: { type: 'object', additionalProperties: true },
    versionId: { type: 'string' },
    missing: { type: 'string' },
  },
} as const;

/** The most proposals one bulk request approves: a page of the queue. */
export const BULK_APPROVE_MAX = 100;

interface BulkResult {
  readonly id: string;
  readonly outcome?: Outcome;
  readonly error?: { readonly code: string; readonly message: string };
}

export function reviewConsoleRoutes(app: FastifyInstance, kernel: Kernel): void {
  app.get<{ Params: { id: string } }>(
    '/review/:id/ehr-state',
    {
      schema: {
        tags: ['review'],
        summary:
          "The EHR's current state beside a proposal: its target, the patient, the evidence (read live; audited)",
        params: idParams,
        response: {
          200: {
            type: 'object',
            properties: {
              proposalId: { type: 'string' },
              target: entry,
              patient: entry,
              evidence: { type: 'array', items: entry },
              readAt: { type: 'string', format: 'date-time' },
            },
          },
          ...errors,
        },
      },
    },
    async (request) => kernel.ehrState.read(contextOf(request), request.params.id),
  );

  app.post<{ Body: { items: { id: string; contentHash: string }[] } }>(
    '/review/bulk-approve',
    {
      schema: {
        tags: ['review'],
        summary: `Approve up to ${BULK_APPROVE_MAX} reversible proposals, each bound to the hash seen, then commit each`,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['items'],
          properties: {
            items: {
              type: 'array',
              minItems: 1,
              maxItems: BULK_APPROVE_MAX,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['id', 'contentHash'],
                properties: {
                  id: { type: 'string', pattern: uuidPattern },
                  contentHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
                },
              },
            },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              results: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'string' },
                    outcome,
                    error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } },
                  },
                },
              },
            },
          },
          ...errors,
        },
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

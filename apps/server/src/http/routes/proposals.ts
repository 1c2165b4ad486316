/**
 * @module /proposals: proposals from outside (issue 18, ADR 0017). An agent or automation service
 * account drafts one (`POST /proposals`, through the review desk's own drafting: the same checks,
 * review, hash-bound approval and applier as Steward's workflows; never auto-approved), reads one
 * back with its outcome (`GET /proposals/:id`: the drafting account, or whoever may read the review
 * queue at its site; anyone else gets the 404 of a missing id) and lists its own by last change
 * (`GET /proposals`). Reviewing stays under /review, which the agent role cannot reach.
 */
import type { FastifyInstance } from 'fastify';
import {
  OUTSIDE_REASON_CODE,
  statusesOfOutcome,
  type DrafterView,
  type ProposalOutcomeName,
  type ProposalStatus,
} from '@steward/proposals';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors, IdParams } from '../contract/common.js';
import { DraftedPage, DraftedProposal, DraftedQuery, draftBody } from '../contract/proposals.js';
import { typed } from '../typed.js';

export function proposalRoutes(app: FastifyInstance, kernel: Kernel): void {
  const api = typed(app);
  // The action types a draft may name: the kernel's registry, an extension's included.
  const DraftBody = draftBody(kernel.actions);

  api.post(
    '/proposals',
    {
      schema: {
        tags: ['proposals'],
        summary:
          'Draft a proposal for review as an agent or automation service: 201 when drafted, 200 for a retry of the same draft key and content',
        body: DraftBody,
        response: { 200: DraftedProposal, 201: DraftedProposal, ...errors },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const { proposal, created } = await kernel.outsideDrafts.draft(contextOf(request), {
        action: b.action,
        ...(b.connectionId !== undefined ? { connectionId: b.connectionId } : {}),
        site: b.site,
        workflow: b.workflow,
        patient: { ehrId: b.patient.ehrId, identifiers: b.patient.identifiers },
        target: b.target.id !== undefined ? { resourceType: b.target.resourceType, id: b.target.id } : b.target,
        ...(b.baseVersion !== undefined ? { baseVersion: b.baseVersion } : {}),
        payload: b.payload,
        evidence: {
          eventIds: b.evidence.eventIds ?? [],
          resources: b.evidence.resources ?? [],
          reasonCode: b.evidence.reasonCode ?? OUTSIDE_REASON_CODE,
        },
        rationale: b.rationale,
        draftKey: b.draftKey,
        ...(b.priority !== undefined ? { priority: b.priority } : {}),
        ...(b.dueAt !== undefined ? { dueAt: new Date(b.dueAt) } : {}),
      });
      void reply.status(created ? 201 : 200);
      return withLinks(proposal);
    },
  );

  api.get(
    '/proposals/:id',
    {
      schema: {
        tags: ['proposals'],
        summary:
          'A proposal with its outcome (pending-review, approved, rejected with the reason, written, verified, conflicted with the rebased revision, rolled-back, failed)',
        params: IdParams,
        response: { 200: DraftedProposal, ...errors },
      },
    },
    async (request) => withLinks(await kernel.outsideDrafts.get(contextOf(request), request.params.id)),
  );

  api.get(
    '/proposals',
    {
      schema: {
        tags: ['proposals'],
        summary: "The calling service's own proposals, by last change (pass `next` to follow what changes)",
        querystring: DraftedQuery,
        response: { 200: DraftedPage, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      // Both filters: the statuses that are in each.
      const byStatus = q.status !== undefined ? (q.status.split(',') as ProposalStatus[]) : undefined;
      const byOutcome =
        q.outcome !== undefined
          ? (q.outcome.split(',') as ProposalOutcomeName[]).flatMap((o) => statusesOfOutcome(o))
          : undefined;
      const statuses =
        byStatus !== undefined && byOutcome !== undefined
          ? byStatus.filter((s) => byOutcome.includes(s))
          : (byStatus ?? byOutcome);
      const page = await kernel.outsideDrafts.list(contextOf(request), {
        ...(statuses !== undefined ? { statuses: [...new Set(statuses)] } : {}),
        ...(q.since !== undefined ? { since: new Date(q.since) } : {}),
        ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
        ...(q.limit !== undefined ? { limit: Number(q.limit) } : {}),
      });
      return { items: page.items.map(withLinks), ...(page.next !== undefined ? { next: page.next } : {}) };
    },
  );
}

/** The proposal with links to itself and the revisions before and after it. */
function withLinks(p: DrafterView): DraftedProposal {
  return {
    ...p,
    links: {
      self: `/proposals/${p.id}`,
      ...(p.supersededBy !== undefined ? { next: `/proposals/${p.supersededBy}` } : {}),
      ...(p.supersedes !== undefined ? { previous: `/proposals/${p.supersedes}` } : {}),
    },
  };
}

/**
 * @module /review and /approval-policies: the review queue, a proposal opened for review, and
 * the reviewer's decisions. Approving binds to the content hash the reviewer saw and then commits
 * through the applier at once (two steps: an approval that stands even when the commit cannot
 * happen now, say while the EHR is down; the answer says which). A conflict at commit answers the
 * new revision, rebased and back in review. Channel actions (messages) stay approved here: the
 * server's applier, which holds `message.send`, sends them (a reviewer does not).
 */
import type { FastifyInstance } from 'fastify';
import { isStewardError, type RequestContext } from '@steward/core';
import {
  reviewablePatient,
  type ActionRendering,
  type CommitResult,
  type ProposalStatus,
  type ProposalSummary,
} from '@steward/proposals';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors, IdParams } from '../contract/common.js';
import {
  ApprovalPolicy,
  ApproveBody,
  AssignBody,
  EditBody,
  Outcome,
  PolicyBody,
  PolicyList,
  ProposalDetail,
  ProposalSummary as Summary,
  policyParams,
  QueuePage,
  queueQuery,
  RejectBody,
  RetryBody,
  RollbackBody,
} from '../contract/review.js';
import { typed } from '../typed.js';
import { labelProposals } from '../item-labels.js';

export function reviewRoutes(app: FastifyInstance, kernel: Kernel): void {
  const api = typed(app);
  // The action types a request may name: the kernel's registry, an extension's included.
  const QueueQuery = queueQuery(kernel.actions);
  const PolicyParams = policyParams(kernel.actions);
  api.get(
    '/review',
    {
      schema: {
        tags: ['review'],
        summary: 'The review queue: most urgent first, then due time; filter and page by cursor',
        querystring: QueueQuery,
        response: { 200: QueuePage, ...errors },
      },
    },
    async (request) => {
      const q = request.query;
      const ctx = contextOf(request);
      const page = await kernel.proposals.list(ctx, {
        ...(q.status !== undefined ? { status: q.status.split(',') as ProposalStatus[] } : {}),
        ...(q.site !== undefined ? { site: q.site } : {}),
        ...(q.workflow !== undefined ? { workflow: q.workflow } : {}),
        ...(q.patientId !== undefined ? { patientId: q.patientId } : {}),
        ...(q.patientIdentifier !== undefined ? { patientIdentifier: token(q.patientIdentifier) } : {}),
        ...(q.actionType !== undefined ? { actionType: q.actionType } : {}),
        ...(q.assignee !== undefined ? { assignee: q.assignee } : {}),
        ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
        ...(q.limit !== undefined ? { limit: Number(q.limit) } : {}),
      });
      return { ...page, items: await labelProposals(kernel, ctx, page.items) };
    },
  );

  api.get(
    '/review/:id',
    {
      schema: {
        tags: ['review'],
        summary: 'A proposal opened for review: payload, patient, evidence, conflict diff, history (audited read)',
        params: IdParams,
        response: { 200: ProposalDetail, ...errors },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const got = await kernel.proposals.get(ctx, request.params.id);
      // The masked MRN comes from the chart numbers only (never an SSN's or a licence's last four).
      const [detail] = await labelProposals(kernel, ctx, [got], (d) => reviewablePatient(d.patient).identifiers);
      // Minimum necessary on the screen: record numbers, not SSN, passport or licence numbers.
      return {
        ...detail!,
        rendering: renderingOf(kernel, got.action, got.payload),
        form: kernel.actions.fields(got.action),
        patient: reviewablePatient(got.patient),
      };
    },
  );

  api.post(
    '/review/:id/approve',
    {
      schema: {
        tags: ['review'],
        summary: 'Approve exactly the content with this hash, then commit it (412 if the content is not what was seen)',
        params: IdParams,
        body: ApproveBody,
        response: { 200: Outcome, ...errors },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const approved = await kernel.proposals.approve(ctx, request.params.id, request.body);
      return commitApproved(kernel, ctx, approved);
    },
  );

  api.post(
    '/review/:id/reject',
    {
      schema: {
        tags: ['review'],
        summary: 'Reject a proposal, with a reason (sealed: it may mention the patient)',
        params: IdParams,
        body: RejectBody,
        response: { 200: Summary, ...errors },
      },
    },
    async (request) => kernel.proposals.reject(contextOf(request), request.params.id, request.body.reason),
  );

  api.post(
    '/review/:id/edit',
    {
      schema: {
        tags: ['review'],
        summary: 'Replace the payload: a new revision, pending review by someone else',
        params: IdParams,
        body: EditBody,
        response: { 200: Summary, ...errors },
      },
    },
    async (request) => kernel.proposals.edit(contextOf(request), request.params.id, request.body.payload),
  );

  api.post(
    '/review/:id/assign',
    {
      schema: {
        tags: ['review'],
        summary: 'Assign a proposal to a reviewer, or unassign it with null',
        params: IdParams,
        body: AssignBody,
        response: { 200: Summary, ...errors },
      },
    },
    async (request) => kernel.proposals.assign(contextOf(request), request.params.id, request.body.assigneeId),
  );

  api.post(
    '/review/:id/rollback',
    {
      schema: {
        tags: ['review'],
        summary:
          'Undo a committed change with a compensating write, saying why (refused, with the reason, when irreversible)',
        params: IdParams,
        body: RollbackBody,
        response: { 200: Outcome, ...errors },
      },
    },
    async (request) =>
      toOutcome(
        await kernel.applier.rollback(contextOf(request), request.params.id, { reason: request.body.reason.trim() }),
      ),
  );

  api.post(
    '/review/:id/retry',
    {
      schema: {
        tags: ['review'],
        summary:
          'Commit again a proposal that failed for a passing reason (same content, same approval; 409 if not the content seen)',
        params: IdParams,
        body: RetryBody,
        response: { 200: Outcome, ...errors },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const r = await kernel.applier.retry(ctx, request.params.id, request.body);
      return commitApproved(kernel, ctx, r.proposal);
    },
  );

  api.get(
    '/approval-policies',
    {
      schema: {
        tags: ['review'],
        summary: 'The approval policies in force, one per action type that has one',
        response: { 200: PolicyList, ...errors },
      },
    },
    async (request) => {
      const items = await kernel.approvalPolicies.list(contextOf(request));
      const names = await kernel.roster.actorNames(items.map((p) => p.setBy.id));
      return { items: items.map((p) => ({ ...p, setBy: { ...p.setBy, name: names.get(p.setBy.id) } })) };
    },
  );

  api.put(
    '/approval-policies/:actionType',
    {
      schema: {
        tags: ['review'],
        summary: 'Set how proposals of one action type are approved: auto, or review (by the named roles)',
        params: PolicyParams,
        body: PolicyBody,
        response: { 200: ApprovalPolicy, ...errors },
      },
    },
    async (request) =>
      kernel.approvalPolicies.set(contextOf(request), {
        actionType: request.params.actionType,
        mode: request.body.mode,
        ...(request.body.roles !== undefined ? { roles: request.body.roles } : {}),
      }),
  );
}

/**
 * Commits a proposal just approved. The approval is already durable, so a commit that cannot
 * happen now answers 200 with the proposal still approved and the error, rather than failing the
 * whole request: the reviewer's decision stands and the applier (or `retry`) commits it later.
 */
export async function commitApproved(kernel: Kernel, ctx: RequestContext, approved: ProposalSummary): Promise<Outcome> {
  if (approved.status !== 'approved') return { status: approved.status, proposal: approved };
  if (kernel.actions.has(approved.action) && kernel.actions.isChannel(approved.action))
    return {
      status: approved.status,
      proposal: approved,
      error: {
        code: 'EHR_NOT_SUPPORTED',
        retryable: false,
        message: `${approved.action} is sent by Steward's messaging applier, not by the reviewer: the approval is kept and the message goes out while the server runs`,
      },
    };
  try {
    return toOutcome(await kernel.applier.commit(ctx, approved.id));
  } catch (e) {
    if (!isStewardError(e)) throw e;
    return {
      status: approved.status,
      proposal: approved,
      error: { code: e.code, retryable: e.retryable, message: e.message },
    };
  }
}

/**
 * How a proposal reads for its reviewer, by its action's `render`. An action no longer registered
 * (an extension since removed) still opens, by its type alone, so the reviewer can reject it.
 */
export function renderingOf(
  kernel: Kernel,
  action: string,
  payload: Readonly<Record<string, unknown>>,
): ActionRendering {
  return kernel.actions.has(action) ? kernel.actions.render(action, payload) : { title: action, lines: [] };
}

function toOutcome(r: CommitResult): Outcome {
  return {
    status: r.status,
    proposal: r.proposal,
    ...(r.next !== undefined ? { next: r.next } : {}),
    ...(r.error !== undefined ? { error: r.error } : {}),
  };
}

/** `system|value` (validated by the schema) as an identifier. */
function token(t: string): { system: string; value: string } {
  const bar = t.indexOf('|');
  return { system: t.slice(0, bar), value: t.slice(bar + 1) };
}

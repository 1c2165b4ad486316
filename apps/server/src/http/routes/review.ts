/**
 * @module /review and /approval-policies: the review queue, a proposal opened for review, and
 * the reviewer's decisions. Approving binds to the content hash the reviewer saw and then commits
 * through the applier at once (two steps: an approval that stands even when the commit cannot
 * happen now, say while the EHR is down; the answer says which). A conflict at commit answers the
 * new revision, rebased and back in review. Channel actions (messages) stay approved here: the
 * server's applier, which holds `message.send`, sends them (a reviewer does not).
 */
import type { FastifyInstance } from 'fastify';
import { isStewardError, roles as allRoles, type RequestContext, type Role } from '@steward/core';
import { roleAllows } from '@steward/governance';
import {
  actionTypes,
  isChannelAction,
  proposalStatuses,
  reviewablePatient,
  type ActionType,
  type CommitResult,
  type ProposalStatus,
  type ProposalSummary,
} from '@steward/proposals';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors, idParams, siteCode, uuidPattern } from '../schemas.js';

const statusList = `^(${proposalStatuses.join('|')})(,(${proposalStatuses.join('|')}))*$`;
const actor = {
  type: 'object',
  properties: { kind: { type: 'string' }, id: { type: 'string' } },
} as const;
const errorSummary = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    retryable: { type: 'boolean' },
    message: { type: 'string' },
    // The applier's own retries of a passing failure: how many, the next, and whether it gave up.
    attempts: { type: 'integer' },
    nextAttemptAt: { type: 'string', format: 'date-time' },
    exhausted: { type: 'boolean' },
  },
} as const;

/** A proposal as the queue lists it: ids and codes, no PHI. */
export const summary = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    lineageId: { type: 'string' },
    revision: { type: 'integer' },
    status: { type: 'string', enum: [...proposalStatuses] },
    action: { type: 'string', enum: [...actionTypes] },
    connectionId: { type: 'string' },
    site: { type: 'string' },
    workflow: { type: 'string' },
    correlationId: { type: 'string' },
    patientId: { type: 'string' },
    target: { type: 'object', properties: { resourceType: { type: 'string' }, id: { type: 'string' } } },
    baseVersion: { type: 'string' },
    contentHash: { type: 'string' },
    reasonCode: { type: 'string' },
    draftedBy: actor,
    priority: { type: 'integer' },
    dueAt: { type: 'string', format: 'date-time' },
    assigneeId: { type: 'string' },
    reversible: { type: 'boolean' },
    irreversibleReason: { type: 'string' },
    policyVersion: { type: 'integer' },
    approvedBy: actor,
    approvedAt: { type: 'string', format: 'date-time' },
    supersedes: { type: 'string' },
    supersededBy: { type: 'string' },
    committed: { type: 'object', properties: { id: { type: 'string' }, version: { type: 'string' } } },
    error: errorSummary,
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

/** Opened for review: the summary with what would be written, for whom, why, what changed, and its history. */
const detail = {
  type: 'object',
  properties: {
    ...summary.properties,
    payload: { type: 'object', additionalProperties: true },
    patient: { type: 'object', additionalProperties: true },
    evidence: { type: 'object', additionalProperties: true },
    diff: { type: 'object', additionalProperties: true },
    rejection: { type: 'string' },
    history: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          seq: { type: 'integer' },
          revision: { type: 'integer' },
          from: { type: 'string' },
          to: { type: 'string' },
          actor,
          reasonCode: { type: 'string' },
          at: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
} as const;

/** The outcome of a decision that writes: the final status, the proposal, and after a conflict its new revision. */
export const outcome = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: [...proposalStatuses] },
    proposal: summary,
    next: summary,
    error: errorSummary,
  },
} as const;

const policy = {
  type: 'object',
  properties: {
    version: { type: 'integer' },
    actionType: { type: 'string' },
    mode: { type: 'string' },
    roles: { type: 'array', items: { type: 'string' } },
    setBy: actor,
    setAt: { type: 'string', format: 'date-time' },
  },
} as const;

/** The roles an approval policy may name: those that may decide reviews. */
const deciderRoles = allRoles.filter((r) => roleAllows(r, 'review.decide'));

interface QueueQuerystring {
  status?: string;
  site?: string;
  workflow?: string;
  patientId?: string;
  patientIdentifier?: string;
  actionType?: ActionType;
  assignee?: string;
  cursor?: string;
  limit?: string;
}

export interface Outcome {
  readonly status: ProposalStatus;
  readonly proposal: ProposalSummary;
  readonly next?: ProposalSummary;
  readonly error?: { readonly code: string; readonly retryable: boolean; readonly message?: string };
}

export function reviewRoutes(app: FastifyInstance, kernel: Kernel): void {
  app.get<{ Querystring: QueueQuerystring }>(
    '/review',
    {
      schema: {
        tags: ['review'],
        summary: 'The review queue: most urgent first, then due time; filter and page by cursor',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', pattern: statusList, description: 'comma-separated; default pending_review' },
            site: siteCode,
            workflow: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' },
            patientId: { type: 'string', pattern: uuidPattern },
            patientIdentifier: {
              type: 'string',
              maxLength: 300,
              pattern: '^[^|]+\\|[^|]+$',
              description: 'a FHIR token, system|value (the MRN and its system)',
            },
            actionType: { type: 'string', enum: [...actionTypes] },
            assignee: { type: 'string', pattern: uuidPattern },
            cursor: { type: 'string', maxLength: 300, pattern: '^[A-Za-z0-9_-]+$' },
            limit: { type: 'string', pattern: '^[1-9]\\d{0,2}$', description: '1-200, default 50' },
          },
        },
        response: {
          200: { type: 'object', properties: { items: { type: 'array', items: summary }, next: { type: 'string' } } },
          ...errors,
        },
      },
    },
    async (request) => {
      const q = request.query;
      return kernel.proposals.list(contextOf(request), {
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
    },
  );

  app.get<{ Params: { id: string } }>(
    '/review/:id',
    {
      schema: {
        tags: ['review'],
        summary: 'A proposal opened for review: payload, patient, evidence, conflict diff, history (audited read)',
        params: idParams,
        response: { 200: detail, ...errors },
      },
    },
    async (request) => {
      const detail = await kernel.proposals.get(contextOf(request), request.params.id);
      // Minimum necessary on the screen: record numbers, not SSN, passport or licence numbers.
      return { ...detail, patient: reviewablePatient(detail.patient) };
    },
  );

  app.post<{ Params: { id: string }; Body: { contentHash: string } }>(
    '/review/:id/approve',
    {
      schema: {
        tags: ['review'],
        summary: 'Approve exactly the content with this hash, then commit it (412 if the content is not what was seen)',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['contentHash'],
          properties: { contentHash: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'SHA-256, hex' } },
        },
        response: { 200: outcome, ...errors },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const approved = await kernel.proposals.approve(ctx, request.params.id, request.body);
      return commitApproved(kernel, ctx, approved);
    },
  );

  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/review/:id/reject',
    {
      schema: {
        tags: ['review'],
        summary: 'Reject a proposal, with a reason (sealed: it may mention the patient)',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['reason'],
          properties: { reason: { type: 'string', minLength: 1, maxLength: 2000 } },
        },
        response: { 200: summary, ...errors },
      },
    },
    async (request) => kernel.proposals.reject(contextOf(request), request.params.id, request.body.reason),
  );

  app.post<{ Params: { id: string }; Body: { payload: Record<string, unknown> } }>(
    '/review/:id/edit',
    {
      schema: {
        tags: ['review'],
        summary: 'Replace the payload: a new revision, pending review by someone else',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['payload'],
          // The payload is a FHIR resource or a message, checked by the desk for its action type.
          properties: { payload: { type: 'object', additionalProperties: true } },
        },
        response: { 200: summary, ...errors },
      },
    },
    async (request) => kernel.proposals.edit(contextOf(request), request.params.id, request.body.payload),
  );

  app.post<{ Params: { id: string }; Body: { assigneeId: string | null } }>(
    '/review/:id/assign',
    {
      schema: {
        tags: ['review'],
        summary: 'Assign a proposal to a reviewer, or unassign it with null',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['assigneeId'],
          properties: { assigneeId: { anyOf: [{ type: 'string', pattern: uuidPattern }, { type: 'null' }] } },
        },
        response: { 200: summary, ...errors },
      },
    },
    async (request) => kernel.proposals.assign(contextOf(request), request.params.id, request.body.assigneeId),
  );

  app.post<{ Params: { id: string } }>(
    '/review/:id/rollback',
    {
      schema: {
        tags: ['review'],
        summary: 'Undo a committed change with a compensating write (refused, with the reason, when irreversible)',
        params: idParams,
        response: { 200: outcome, ...errors },
      },
    },
    async (request) => toOutcome(await kernel.applier.rollback(contextOf(request), request.params.id)),
  );

  app.post<{ Params: { id: string } }>(
    '/review/:id/retry',
    {
      schema: {
        tags: ['review'],
        summary: 'Commit again a proposal that failed for a passing reason (same content, same approval)',
        params: idParams,
        response: { 200: outcome, ...errors },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      const r = await kernel.applier.retry(ctx, request.params.id);
      return commitApproved(kernel, ctx, r.proposal);
    },
  );

  app.get(
    '/approval-policies',
    {
      schema: {
        tags: ['review'],
        summary: 'The approval policies in force, one per action type that has one',
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: policy } } }, ...errors },
      },
    },
    async (request) => ({ items: await kernel.approvalPolicies.list(contextOf(request)) }),
  );

  app.put<{ Params: { actionType: ActionType }; Body: { mode: 'auto' | 'review'; roles?: Role[] } }>(
    '/approval-policies/:actionType',
    {
      schema: {
        tags: ['review'],
        summary: 'Set how proposals of one action type are approved: auto, or review (by the named roles)',
        params: {
          type: 'object',
          additionalProperties: false,
          required: ['actionType'],
          properties: { actionType: { type: 'string', enum: [...actionTypes] } },
        },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['mode'],
          properties: {
            mode: { type: 'string', enum: ['auto', 'review'] },
            roles: { type: 'array', maxItems: deciderRoles.length, items: { type: 'string', enum: [...deciderRoles] } },
          },
        },
        response: { 200: policy, ...errors },
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
  if (isChannelAction(approved.action))
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

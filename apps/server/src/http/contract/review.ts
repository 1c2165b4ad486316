/** @module The review queue's shapes: proposals as listed and opened, decisions, approval policies. */
import { Type, type Static } from 'typebox';
import { roles as allRoles } from '@steward/core';
import { roleAllows } from '@steward/governance';
import { proposalStatuses, reviewActions, type ActionRegistry } from '@steward/proposals';
import {
  DateTime,
  JsonBody,
  JsonObject,
  List,
  Maybe,
  Page,
  PatientLabel,
  SiteCode,
  Strict,
  Uuid,
  uuidPattern,
} from './common.js';

export const ProposalStatus = Type.Enum(proposalStatuses);
/**
 * An action type as a request names it: one the server's action registry holds (the built-in ones
 * and its extensions'), so the document a server serves lists exactly what it accepts.
 */
export function actionTypeOf(actions: ActionRegistry) {
  return Type.Enum(actions.types(), { description: 'an action type registered on this server' });
}
/** An action type as an answer carries it: any registered one, an extension's included. */
export const ActionName = Type.String({ description: 'the action type (built-in or an extension’s)' });
const statusList = `^(${proposalStatuses.join('|')})(,(${proposalStatuses.join('|')}))*$`;

/** Who acted; `name` (a username or service account name) where the answer names it. */
export const Actor = Type.Object({ kind: Type.String(), id: Type.String(), name: Maybe(Type.String()) });

export const ProposalError = Type.Object({
  code: Type.String(),
  retryable: Type.Boolean(),
  message: Maybe(Type.String()),
  // The applier's own retries of a passing failure: how many, the next, and whether it gave up.
  attempts: Maybe(Type.Integer()),
  nextAttemptAt: Maybe(DateTime),
  exhausted: Maybe(Type.Boolean()),
});

/** How the action reads for a reviewer, from its definition's `render` (an extension's included). */
export const ActionRendering = Type.Object({
  title: Type.String(),
  lines: List(Type.String()),
});

/** A decision a person can take on a proposal. */
export const ReviewAction = Type.Enum(reviewActions);

/** A proposal as the queue lists it, with the patient as the reader may see it and its change in one line. */
export const ProposalSummary = Type.Object({
  id: Type.String(),
  lineageId: Type.String(),
  revision: Type.Integer(),
  status: ProposalStatus,
  action: ActionName,
  connectionId: Maybe(Type.String()),
  site: Type.String(),
  workflow: Maybe(Type.String()),
  correlationId: Maybe(Type.String()),
  patientId: Maybe(Type.String()),
  /** The patient as the reader may see it (name, birth date, masked MRN by role), on the queue and opened. */
  patientLabel: Maybe(PatientLabel),
  target: Type.Object({ resourceType: Type.String(), id: Maybe(Type.String()) }),
  baseVersion: Maybe(Type.String()),
  contentHash: Type.String(),
  reasonCode: Type.String(),
  draftedBy: Actor,
  priority: Type.Integer(),
  dueAt: Maybe(DateTime),
  assigneeId: Maybe(Type.String()),
  assigneeName: Maybe(Type.String()),
  reversible: Type.Boolean(),
  irreversibleReason: Maybe(Type.String()),
  policyVersion: Maybe(Type.Integer()),
  approvedBy: Maybe(Actor),
  approvedAt: Maybe(DateTime),
  supersedes: Maybe(Type.String()),
  supersededBy: Maybe(Type.String()),
  committed: Maybe(Type.Object({ id: Maybe(Type.String()), version: Maybe(Type.String()) })),
  error: Maybe(ProposalError),
  createdAt: DateTime,
  updatedAt: DateTime,
  /**
   * What the reader may do with it now, decided by the rule the decision routes enforce (site
   * permission, never approving one's own draft or edit, the approval policy's roles, its status).
   */
  allowedActions: Maybe(List(ReviewAction)),
  /** The change as its action renders it (on the queue). */
  change: Maybe(ActionRendering),
  /** True when an outside service drafted it over the API (ADR 0017): a person approves it, never a policy. */
  draftedOutside: Maybe(Type.Boolean()),
});
export type ProposalSummary = Static<typeof ProposalSummary>;

export const HistoryEntry = Type.Object({
  seq: Type.Integer(),
  revision: Type.Integer(),
  from: Maybe(Type.String()),
  to: Type.String(),
  actor: Actor,
  reasonCode: Maybe(Type.String()),
  at: DateTime,
});

/** One field of the edit form, from the action's definition (`fields` of `defineAction`). */
export const ActionField = Type.Object({
  path: Type.String({ description: 'slash-separated path in the payload, e.g. note/0/text' }),
  label: Type.String(),
  kind: Type.Enum(['text', 'long-text', 'choice', 'date-time']),
  options: Maybe(List(Type.String())),
  help: Maybe(Type.String()),
});

/** Opened for review: the summary with what would be written, for whom, why, what changed, and its history. */
export const ProposalDetail = Type.Object({
  ...ProposalSummary.properties,
  rendering: ActionRendering,
  payload: JsonObject,
  patient: JsonObject,
  evidence: JsonObject,
  diff: Maybe(JsonObject),
  rejection: Maybe(Type.String()),
  rollbackReason: Maybe(Type.String()),
  /** The drafter's reasoning (an outside service's), shown beside the evidence. */
  rationale: Maybe(Type.String()),
  /** The fields a reviewer edits in a form (none: the action declares none, JSON only). */
  form: List(ActionField),
  history: List(HistoryEntry),
});

/** The outcome of a decision that writes: the final status, the proposal, and after a conflict its new revision. */
export const Outcome = Type.Object({
  status: ProposalStatus,
  proposal: ProposalSummary,
  next: Maybe(ProposalSummary),
  error: Maybe(ProposalError),
});
export type Outcome = Static<typeof Outcome>;

export const ApprovalPolicy = Type.Object({
  version: Type.Integer(),
  actionType: Type.String(),
  mode: Type.String(),
  roles: List(Type.String()),
  setBy: Actor,
  setAt: DateTime,
});

/** The roles an approval policy may name: those that may decide reviews. */
const deciderRoles = allRoles.filter((r) => roleAllows(r, 'review.decide'));

/** The queue's filters; `actionType` is one the server's registry holds. */
export const queueQuery = (actions: ActionRegistry) =>
  Strict({
    status: Type.Optional(Type.String({ pattern: statusList, description: 'comma-separated; default pending_review' })),
    site: Type.Optional(SiteCode),
    workflow: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' })),
    patientId: Type.Optional(Uuid),
    patientIdentifier: Type.Optional(
      Type.String({
        maxLength: 300,
        pattern: '^[^|]+\\|[^|]+$',
        description: 'a FHIR token, system|value (the MRN and its system)',
      }),
    ),
    actionType: Type.Optional(actionTypeOf(actions)),
    assignee: Type.Optional(Uuid),
    cursor: Type.Optional(Type.String({ maxLength: 300, pattern: '^[A-Za-z0-9_-]+$' })),
    limit: Type.Optional(Type.String({ pattern: '^[1-9]\\d{0,2}$', description: '1-200, default 50' })),
  });
export const QueuePage = Page(ProposalSummary);

export const ApproveBody = Strict({
  contentHash: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256, hex' }),
});
export const RejectBody = Strict({ reason: Type.String({ minLength: 1, maxLength: 2000 }) });
export const RollbackBody = Strict({ reason: Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S' }) });
export const RetryBody = Strict({
  contentHash: Type.Optional(
    Type.String({ pattern: '^[0-9a-f]{64}$', description: 'the content seen (SHA-256, hex)' }),
  ),
});
// The payload is a FHIR resource or a message, checked by the desk for its action type.
export const EditBody = Strict({ payload: JsonBody });
export const AssignBody = Strict({
  assigneeId: Type.Union([Type.String({ pattern: uuidPattern }), Type.Null()]),
});

export const policyParams = (actions: ActionRegistry) => Strict({ actionType: actionTypeOf(actions) });
export const PolicyBody = Strict({
  mode: Type.Enum(['auto', 'review']),
  roles: Type.Optional(Type.Array(Type.Enum(deciderRoles), { maxItems: deciderRoles.length })),
});
export const PolicyList = Type.Object({ items: List(ApprovalPolicy) });

/** A resource as the EHR holds it now, or why there is none. */
export const EhrStateEntry = Type.Object({
  reference: Type.String(),
  resource: Maybe(JsonObject),
  versionId: Maybe(Type.String()),
  missing: Maybe(Type.String()),
});
export const EhrState = Type.Object({
  proposalId: Type.String(),
  target: Maybe(EhrStateEntry),
  patient: Maybe(EhrStateEntry),
  evidence: List(EhrStateEntry),
  readAt: DateTime,
});

/** The most proposals one bulk request approves: a page of the queue. */
export const BULK_APPROVE_MAX = 100;
export const BulkApproveBody = Strict({
  items: Type.Array(Strict({ id: Uuid, contentHash: Type.String({ pattern: '^[0-9a-f]{64}$' }) }), {
    minItems: 1,
    maxItems: BULK_APPROVE_MAX,
  }),
});
export const BulkResult = Type.Object({
  id: Type.String(),
  outcome: Maybe(Outcome),
  error: Maybe(Type.Object({ code: Type.String(), message: Type.String() })),
});
export type BulkResult = Static<typeof BulkResult>;
export const BulkApproveAnswer = Type.Object({ results: List(BulkResult) });

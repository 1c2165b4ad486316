/**
 * The proposal: one change Steward would make to the system of record or one message it would
 * send to a patient, held for review. What is written is exactly what was approved: an approval
 * binds to the content hash, and any edit or rebase makes a new revision that needs approving again.
 */
import type { EhrIdentifier } from '@steward/core';
import type { ProposalOutcome } from './proposal-outcome.js';

/**
 * What a proposal does: the type of a registered action (`defineAction`, packages/proposals/src/actions).
 * The built-in ones are `builtinActions.types()`; a deployment registers its own, so this is any string the
 * registry knows, checked when a proposal is drafted.
 */
export type ActionType = string;
/** An action written to the EHR through the one EHR writer (a registered action with `commit.via: 'ehr'`). */
export type EhrActionType = ActionType;
/** An action that reaches a patient by a channel (messaging) and does not touch the EHR. */
export type ChannelActionType = ActionType;

export const proposalStatuses = [
  'drafted',
  'pending_review',
  'approved',
  'rejected',
  'committed',
  'verified',
  'conflicted',
  'failed',
  'rolled_back',
  'superseded',
] as const;
export type ProposalStatus = (typeof proposalStatuses)[number];

/** The patient a proposal is for. `ehrId` and two identifiers feed the EHR writer's wrong-chart guard. */
export interface ProposalPatient {
  /** Steward's patient id, when Steward has matched the patient. */
  readonly stewardId?: string;
  readonly ehrId: string;
  readonly identifiers: readonly EhrIdentifier[];
}

/** Why a proposal exists: the events and data that led to it. Ids and codes, no free text. */
export interface Evidence {
  readonly eventIds: readonly string[];
  /** FHIR-style references (`Appointment/123`). */
  readonly resources: readonly string[];
  /** A short machine code (`no-show-follow-up`), never PHI. */
  readonly reasonCode: string;
}

export interface ProposalActor {
  readonly kind: 'user' | 'service' | 'policy';
  readonly id: string;
}

export interface ProposalTarget {
  readonly resourceType: string;
  /** Undefined for a create until it is committed. */
  readonly id?: string;
}

/** A field that changed in the EHR between the version a proposal was based on and the current one. */
export interface DiffEntry {
  /** A JSON pointer (`/participant/0/status`). */
  readonly path: string;
  readonly op: 'add' | 'remove' | 'replace';
  readonly base?: unknown;
  readonly current?: unknown;
}

export interface ConflictDiff {
  readonly baseVersion: string | undefined;
  readonly currentVersion: string | undefined;
  readonly changes: readonly DiffEntry[];
}

/** What a drafter (a workflow, a person) asks for. */
export interface ProposalDraft {
  readonly action: ActionType;
  /** The EHR connection; required for EHR actions. */
  readonly connectionId?: string;
  readonly site: string;
  readonly workflow?: string;
  readonly correlationId?: string;
  /** The same key drafts the same proposal once (a workflow retrying its step). */
  readonly draftKey?: string;
  readonly patient: ProposalPatient;
  readonly target: ProposalTarget;
  /** The EHR version the payload was based on; required for updates. */
  readonly baseVersion?: string;
  /** What would be written: a FHIR resource for EHR actions, the message for channel ones. */
  readonly payload: Readonly<Record<string, unknown>>;
  readonly evidence: Evidence;
  /** 1 (most urgent) to 5. Default 3. */
  readonly priority?: number;
  readonly dueAt?: Date;
  /** False when the change cannot be undone; then `irreversibleReason` says why, before approval. */
  readonly reversible?: boolean;
  readonly irreversibleReason?: string;
  /**
   * Why, in the drafter's own words (an outside model's reasoning): free text shown to the
   * reviewer beside the evidence. It may name the patient, so it is sealed at rest like the payload.
   */
  readonly rationale?: string;
}

/**
 * What an outside drafter (an agent or automation service over the API, ADR 0017) asks for: a
 * draft in a named workflow, with its reasoning and its own idempotency key. Never auto-approved.
 */
export interface OutsideDraft extends Omit<ProposalDraft, 'correlationId' | 'draftKey' | 'rationale' | 'workflow'> {
  /** The workflow it drafts in: its grant must cover it (the request's workflow is this one). */
  readonly workflow: string;
  /**
   * The drafter's idempotency key: the same key with the same content drafts once, a different
   * content under it is refused. Stored as `agent:<account id>:<key>` (draft key and correlation
   * id), so two accounts' keys never meet.
   */
  readonly draftKey: string;
  /** Why it proposes this (free text, sealed at rest, at most 8,000 characters). */
  readonly rationale: string;
}

/** A proposal as its outside drafter follows it: ids, codes and times, and the outcome in platform words. */
export interface DrafterView {
  readonly id: string;
  readonly lineageId: string;
  readonly revision: number;
  readonly status: ProposalStatus;
  readonly outcome: ProposalOutcome;
  readonly action: ActionType;
  readonly connectionId: string | undefined;
  readonly site: string;
  readonly workflow: string | undefined;
  /** The drafter's own key (as it sent it), on every revision of the lineage. */
  readonly draftKey: string | undefined;
  readonly target: ProposalTarget;
  readonly baseVersion: string | undefined;
  readonly contentHash: string;
  readonly reasonCode: string;
  /** The revision this one replaced (an edit, a rebase after a conflict). */
  readonly supersedes: string | undefined;
  /** The revision that replaced this one. */
  readonly supersededBy: string | undefined;
  readonly approvedAt: Date | undefined;
  readonly committed: { readonly id: string | undefined; readonly version: string | undefined } | undefined;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The decisions a person can take on a proposal (which ones a viewer may: `allowedActionsOf`). */
export const reviewActions = ['approve', 'reject', 'edit', 'assign', 'rollback', 'retry'] as const;
export type ReviewAction = (typeof reviewActions)[number];

/** A proposal as the queue lists it: ids and codes only, no PHI. */
export interface ProposalSummary {
  readonly id: string;
  readonly lineageId: string;
  readonly revision: number;
  readonly status: ProposalStatus;
  readonly action: ActionType;
  readonly connectionId: string | undefined;
  readonly site: string;
  readonly workflow: string | undefined;
  readonly correlationId: string | undefined;
  readonly patientId: string | undefined;
  readonly target: ProposalTarget;
  readonly baseVersion: string | undefined;
  readonly contentHash: string;
  readonly reasonCode: string;
  readonly draftedBy: ProposalActor;
  readonly priority: number;
  readonly dueAt: Date | undefined;
  readonly assigneeId: string | undefined;
  readonly reversible: boolean;
  readonly irreversibleReason: string | undefined;
  readonly policyVersion: number | undefined;
  readonly approvedBy: ProposalActor | undefined;
  readonly approvedAt: Date | undefined;
  readonly supersedes: string | undefined;
  readonly supersededBy: string | undefined;
  readonly committed: { readonly id: string | undefined; readonly version: string | undefined } | undefined;
  readonly error: ProposalError | undefined;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** What the reader may do with it now (the queue and an opened proposal carry it; decided by `refusalOf`). */
  readonly allowedActions?: readonly ReviewAction[];
  /** How the change reads in one line (its action's `render`), on the queue; opened from the sealed body. */
  readonly change?: { readonly title: string; readonly lines: readonly string[] };
  /** Present (true) when an outside service drafted its lineage over the API (ADR 0017): a person must approve it. */
  readonly draftedOutside?: true;
}

/** Why a proposal failed, and whether the applier will try it again by itself. */
export interface ProposalError {
  readonly code: string;
  /** The reason may pass (the EHR unavailable, rate limited, timed out): the same write may be tried again. */
  readonly retryable: boolean;
  /** Failed tries of the current approval. */
  readonly attempts: number;
  /** When the applier tries again by itself; absent when it will not. */
  readonly nextAttemptAt?: Date;
  /** A passing failure the applier stopped retrying after its last attempt: it waits for a person. */
  readonly exhausted: boolean;
}

export interface HistoryEntry {
  readonly seq: number;
  readonly revision: number;
  readonly from: ProposalStatus | undefined;
  readonly to: ProposalStatus;
  readonly actor: ProposalActor;
  readonly reasonCode: string | undefined;
  readonly at: Date;
}

/** A proposal opened for review: the summary with its sealed parts decrypted. */
export interface ProposalDetail extends ProposalSummary {
  readonly payload: Readonly<Record<string, unknown>>;
  readonly patient: ProposalPatient;
  readonly evidence: Evidence;
  readonly diff: ConflictDiff | undefined;
  readonly rejection: string | undefined;
  /** Why a person rolled the written change back (sealed like a rejection). */
  readonly rollbackReason?: string;
  /** The drafter's own reasoning (an outside drafter's; sealed), shown beside the evidence. */
  readonly rationale?: string;
  readonly history: readonly HistoryEntry[];
}

/** Rows of the proposals tables and their mapping to the model. No SQL that touches data here. */
import type { ActionType, HistoryEntry, ProposalActor, ProposalStatus, ProposalSummary } from '../model/index.js';

/** Stands in for "no due time" so the queue's keyset order needs no null handling. */
export const NO_DUE_TIME = new Date('9999-12-31T00:00:00.000Z');

export interface ProposalRow {
  id: string;
  lineage_id: string;
  revision: number;
  supersedes: string | null;
  superseded_by: string | null;
  status: ProposalStatus;
  action_type: ActionType;
  connection_id: string | null;
  site: string;
  workflow: string | null;
  correlation_id: string | null;
  draft_key: string | null;
  patient_id: string | null;
  patient_key: Uint8Array | null;
  target_type: string;
  target_id: string | null;
  base_version: string | null;
  content_hash: string;
  body_enc: Uint8Array;
  reason_code: string;
  drafted_by_kind: ProposalActor['kind'];
  drafted_by_id: string;
  priority: number;
  due_at: Date;
  assignee_id: string | null;
  reversible: boolean;
  irreversible_reason: string | null;
  policy_version: string | number | null;
  approved_by_kind: ProposalActor['kind'] | null;
  approved_by_id: string | null;
  approved_hash: string | null;
  approved_at: Date | null;
  rejection_enc: Uint8Array | null;
  /** Why a person rolled the written change back (sealed), migration 041. */
  rollback_reason_enc: Uint8Array | null;
  diff_enc: Uint8Array | null;
  prior_enc: Uint8Array | null;
  prior_version: string | null;
  committed_id: string | null;
  committed_version: string | null;
  rolled_back_version: string | null;
  error_code: string | null;
  error_retryable: boolean | null;
  /** Failed tries of the current approval. */
  attempts: number;
  /** When the applier tries a passing failure again; null when it will not (permanent, or exhausted). */
  next_attempt_at: Date | null;
  /** Until when a writer holds its claim to write this approved proposal (migration 054); null when none does. */
  writing_until: Date | null;
  /** The service account that drafted the lineage over the API (ADR 0017); null for Steward's own drafts. Migration 046. */
  outside_drafter_id: string | null;
  /** The drafter's reasoning (sealed), migration 046. */
  rationale_enc: Uint8Array | null;
  created_at: Date;
  updated_at: Date;
}

export interface HistoryRow {
  seq: string | number;
  revision: number;
  from_status: ProposalStatus | null;
  to_status: ProposalStatus;
  actor_kind: ProposalActor['kind'];
  actor_id: string;
  reason_code: string | null;
  at: Date;
}

const u = <T>(v: T | null): T | undefined => v ?? undefined;

export function toSummary(r: ProposalRow): ProposalSummary {
  return {
    id: r.id,
    lineageId: r.lineage_id,
    revision: r.revision,
    status: r.status,
    action: r.action_type,
    connectionId: u(r.connection_id),
    site: r.site,
    workflow: u(r.workflow),
    correlationId: u(r.correlation_id),
    patientId: u(r.patient_id),
    target: r.target_id === null ? { resourceType: r.target_type } : { resourceType: r.target_type, id: r.target_id },
    baseVersion: u(r.base_version),
    contentHash: r.content_hash,
    reasonCode: r.reason_code,
    draftedBy: { kind: r.drafted_by_kind, id: r.drafted_by_id },
    priority: r.priority,
    dueAt: r.due_at.getTime() === NO_DUE_TIME.getTime() ? undefined : r.due_at,
    assigneeId: u(r.assignee_id),
    reversible: r.reversible,
    irreversibleReason: u(r.irreversible_reason),
    policyVersion: r.policy_version === null ? undefined : Number(r.policy_version),
    approvedBy:
      r.approved_by_kind === null || r.approved_by_id === null
        ? undefined
        : { kind: r.approved_by_kind, id: r.approved_by_id },
    approvedAt: u(r.approved_at),
    supersedes: u(r.supersedes),
    supersededBy: u(r.superseded_by),
    committed:
      r.committed_id === null && r.committed_version === null
        ? undefined
        : { id: u(r.committed_id), version: u(r.committed_version) },
    error:
      r.error_code === null
        ? undefined
        : {
            code: r.error_code,
            retryable: r.error_retryable === true,
            attempts: r.attempts,
            ...(r.next_attempt_at !== null ? { nextAttemptAt: r.next_attempt_at } : {}),
            // A passing failure the applier stopped retrying: it waits for a person.
            exhausted: r.error_retryable === true && r.next_attempt_at === null,
          },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...(r.outside_drafter_id !== null ? { draftedOutside: true as const } : {}),
  };
}

export function toHistory(r: HistoryRow): HistoryEntry {
  return {
    seq: Number(r.seq),
    revision: r.revision,
    from: u(r.from_status),
    to: r.to_status,
    actor: { kind: r.actor_kind, id: r.actor_id },
    reasonCode: u(r.reason_code),
    at: r.at,
  };
}

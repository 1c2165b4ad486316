/**
 * @module A proposal's outcome in the platform's words, for whoever drafted it from outside (an
 * agent polling `GET /proposals/:id`, an event sent to a subscriber). One mapping from the state
 * machine's statuses, here, so the API, the events and the SDK say the same thing.
 */
import type { ProposalStatus } from './proposal.js';

export const proposalOutcomes = [
  'pending-review',
  'approved',
  'rejected',
  'written',
  'verified',
  'conflicted',
  'superseded',
  'rolled-back',
  'failed',
] as const;
/**
 * - `pending-review`: waiting for a person (drafted, or in the queue).
 * - `approved`: a person (or, for Steward's own drafts, a policy) approved it; not written yet.
 * - `rejected`: a reviewer said no, with a reason.
 * - `written`: committed to the EHR or sent; not yet read back.
 * - `verified`: read back from the EHR as written (a message: delivered).
 * - `conflicted`: the EHR changed since the version it was based on; nothing was written, and a
 *   revision rebased on the current version is back in review (`nextId`).
 * - `superseded`: a reviewer edited it; the edited revision (`nextId`) is reviewed instead.
 * - `rolled-back`: written, then undone by a person (with a reason).
 * - `failed`: the write failed; `error` says why and whether Steward retries it by itself.
 */
export type ProposalOutcomeName = (typeof proposalOutcomes)[number];

/** The outcome of one revision of a proposal. */
export interface ProposalOutcome {
  readonly outcome: ProposalOutcomeName;
  /**
   * The drafter has its answer: the revision will not move again by itself. False while it waits
   * for review, for the applier (approved, written and not read back) or for an automatic retry of
   * a passing failure. A person may still roll back a verified change or retry a failure.
   */
  readonly settled: boolean;
  /**
   * `rejected`: the reviewer's reason; `rolled-back`: why it was undone — when the caller passed it.
   * Free text a person wrote: it may name the patient (sealed at rest), so it goes only where PHI may.
   */
  readonly reason?: string;
  /** `conflicted`, `superseded`: the id of the revision that replaced this one. */
  readonly nextId?: string;
  /** `failed`: the error's code, whether it may pass, and whether Steward will try again by itself. */
  readonly error?: { readonly code: string; readonly retryable: boolean; readonly willRetry: boolean };
}

const byStatus: Readonly<Record<ProposalStatus, ProposalOutcomeName>> = {
  drafted: 'pending-review',
  pending_review: 'pending-review',
  approved: 'approved',
  rejected: 'rejected',
  committed: 'written',
  verified: 'verified',
  conflicted: 'conflicted',
  superseded: 'superseded',
  rolled_back: 'rolled-back',
  failed: 'failed',
};

const settledOutcomes: ReadonlySet<ProposalOutcomeName> = new Set([
  'rejected',
  'verified',
  'conflicted',
  'superseded',
  'rolled-back',
]);

/** The outcome word of a status (what the history table's `to_status` means to a drafter). */
export function outcomeOfStatus(status: ProposalStatus): ProposalOutcomeName {
  return byStatus[status];
}

/** The statuses one outcome word stands for (a filter by outcome). */
export function statusesOfOutcome(outcome: ProposalOutcomeName): ProposalStatus[] {
  return (Object.keys(byStatus) as ProposalStatus[]).filter((s) => byStatus[s] === outcome);
}

/**
 * The outcome of a proposal revision: its status in platform words, whether it is settled, and
 * what goes with it — the revision that replaced it, the failure, and (only when `opened` passes
 * them, since they are PHI) the rejection or rollback reason.
 */
export function proposalOutcome(
  proposal: {
    readonly status: ProposalStatus;
    readonly supersededBy?: string | undefined;
    readonly error?: { readonly code: string; readonly retryable: boolean; readonly nextAttemptAt?: Date } | undefined;
  },
  opened: { readonly rejection?: string | undefined; readonly rollbackReason?: string | undefined } = {},
): ProposalOutcome {
  const outcome = outcomeOfStatus(proposal.status);
  const willRetry = proposal.status === 'failed' && proposal.error?.nextAttemptAt !== undefined;
  const reason =
    outcome === 'rejected' ? opened.rejection : outcome === 'rolled-back' ? opened.rollbackReason : undefined;
  return {
    outcome,
    settled: settledOutcomes.has(outcome) || (outcome === 'failed' && !willRetry),
    ...(reason !== undefined ? { reason } : {}),
    ...((outcome === 'conflicted' || outcome === 'superseded') && proposal.supersededBy !== undefined
      ? { nextId: proposal.supersededBy }
      : {}),
    ...(outcome === 'failed' && proposal.error !== undefined
      ? { error: { code: proposal.error.code, retryable: proposal.error.retryable, willRetry } }
      : {}),
  };
}

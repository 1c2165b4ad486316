/**
 * @module A proposal's status as the platform's outcome word (issue 18): what subscribers and
 * outside drafters are told. One place, so the proposals-in work can replace it with its own.
 * `drafted` and `superseded` are not outcomes (a draft is pending review at once; an edit's new
 * revision says pending-review itself).
 */
import type { ProposalStatus } from '@steward/proposals';

export const proposalOutcomes = [
  'pending-review',
  'approved',
  'rejected',
  'written',
  'verified',
  'conflicted',
  'rolled-back',
  'failed',
] as const;
export type ProposalOutcome = (typeof proposalOutcomes)[number];

const byStatus: Readonly<Partial<Record<ProposalStatus, ProposalOutcome>>> = {
  pending_review: 'pending-review',
  approved: 'approved',
  rejected: 'rejected',
  committed: 'written',
  verified: 'verified',
  conflicted: 'conflicted',
  rolled_back: 'rolled-back',
  failed: 'failed',
};

/** The outcome word of a status, or undefined for a status that is no outcome. */
export function proposalOutcomeOf(status: ProposalStatus): ProposalOutcome | undefined {
  return byStatus[status];
}

/**
 * The proposal state machine, as data. The store refuses any other move, and every move is made
 * with `update … where status = <from>`, so two reviewers (or a reviewer and the applier) racing
 * on one proposal cannot both win.
 */
import { ConflictError } from '@steward/core';
import type { ProposalStatus } from './proposal.js';

export const transitions: Readonly<Record<ProposalStatus, readonly ProposalStatus[]>> = {
  drafted: ['pending_review', 'approved'],
  pending_review: ['approved', 'rejected', 'superseded'],
  // approved → superseded: an approved change edited before it was committed needs approving again.
  approved: ['committed', 'conflicted', 'failed', 'superseded'],
  committed: ['verified', 'failed', 'rolled_back'],
  verified: ['rolled_back'],
  // A retryable failure goes back to approved (same content, same approval); any other is edited.
  failed: ['approved', 'superseded'],
  // A conflict is rebased into a new revision at once (superseded_by); the conflicted one stays as the record.
  conflicted: [],
  rejected: [],
  rolled_back: [],
  superseded: [],
};

export function canMove(from: ProposalStatus, to: ProposalStatus): boolean {
  return transitions[from].includes(to);
}

export function assertMove(from: ProposalStatus, to: ProposalStatus): void {
  if (!canMove(from, to)) throw new ConflictError('VERSION_CONFLICT', `a proposal cannot go from ${from} to ${to}`);
}

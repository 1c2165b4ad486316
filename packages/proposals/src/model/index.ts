/** @module The proposal model: states and their allowed moves, the content hash, conflict diffs. */
export { proposalStatuses, reviewActions } from './proposal.js';
export type {
  ActionType,
  EhrActionType,
  ChannelActionType,
  ProposalStatus,
  ProposalPatient,
  Evidence,
  ProposalActor,
  ProposalTarget,
  DiffEntry,
  ConflictDiff,
  ProposalDraft,
  OutsideDraft,
  DrafterView,
  ProposalSummary,
  ProposalError,
  HistoryEntry,
  ProposalDetail,
  ReviewAction,
} from './proposal.js';
export { transitions, canMove, assertMove } from './transitions.js';
export { contentHash } from './content-hash.js';
export type { HashedContent } from './content-hash.js';
export { diffResources, rebase } from './resource-diff.js';
export { proposalOutcomes, proposalOutcome, outcomeOfStatus, statusesOfOutcome } from './proposal-outcome.js';
export type { ProposalOutcome, ProposalOutcomeName } from './proposal-outcome.js';

/** @module The effects workflows ask for (drafting proposals) and the signal that tells them how a proposal ended. */
export { draftProposal, draftProposalHandler, proposalOutcome, patientGuard } from './draft-proposal.js';
export type {
  DraftRequest,
  DraftProposalDeps,
  ChartReads,
  DraftedProposal,
  ProposalOutcomeSignal,
} from './draft-proposal.js';

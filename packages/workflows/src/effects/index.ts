/** @module The effects workflows ask for: drafting proposals. */
export { draftProposalHandler } from './draft-proposal.js';
export type { DraftRequest, DraftProposalDeps } from './draft-proposal.js';

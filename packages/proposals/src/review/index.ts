/** @module Review: drafting, the queue, approving (bound to the content hash, never by the drafter), rejecting, editing; approval policies. */
export { ProposalDesk, reviseRow } from './proposal-desk.js';
export type { ApproveInput, QueueQuery, QueuePage } from './proposal-desk.js';
export { ApprovalPolicies } from './approval-policies.js';
export { OutsideDrafts, outsideKeyOf, viewOf, OUTSIDE_REASON_CODE } from './outside-drafts.js';
export type { DrafterQuery, DrafterPage } from './outside-drafts.js';
export { MAX_RATIONALE } from './draft-check.js';
export type { ApprovalPolicyInput, ApprovalPolicy } from './approval-policies.js';
export { actionsOf, actorOf, clockOf, patientIdsOf, proposalEntry } from './review-context.js';
export type { EvidenceEvents, ProposalDeps, SealedBody } from './review-context.js';
export { unsentable } from '../actions/index.js';
export { allowedActionsOf, refusalOf, viewerRights } from './allowed-actions.js';
export type { Refusal, ViewerRights } from './allowed-actions.js';

/** @module Review: drafting, the queue, approving (bound to the content hash, never by the drafter), rejecting, editing; approval policies. */
export { ProposalDesk, reviseRow } from './proposal-desk.js';
export type { ApproveInput, QueueQuery, QueuePage } from './proposal-desk.js';
export { ApprovalPolicies } from './approval-policies.js';
export type { ApprovalPolicyInput, ApprovalPolicy } from './approval-policies.js';
export { actionsOf, actorOf, clockOf, patientIdsOf, proposalEntry } from './review-context.js';
export type { ProposalDeps, SealedBody } from './review-context.js';
export { unsentable } from '../actions/index.js';
export { allowedActionsOf, refusalOf, viewerRights } from './allowed-actions.js';
export type { Refusal, ViewerRights } from './allowed-actions.js';

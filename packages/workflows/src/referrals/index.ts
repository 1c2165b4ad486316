/** @module Referral tracking to loop closure: the workflow, its event route, and its list and figures. */
export {
  referralWorkflow,
  referralWorkflowWith,
  referralWorkflowV1,
  referralWorkflowV1With,
  referralHandoffPolicies,
  referralOverdueKind,
  HANDOFF_TASK_SYSTEM,
} from './referral-workflow.js';
export type { ReferralWorkflowOptions } from './referral-workflow.js';
export {
  referralRoute,
  createReferralRoute,
  referralKey,
  identifierLink,
  identifierLinks,
  closingOutputTypes,
} from './referral-route.js';
export type { ReferralRouteOptions } from './referral-route.js';
export {
  REFERRAL_WORKFLOW,
  referralStages,
  leakReasons,
  isReferralStage,
  defaultReferralTiming,
  defaultNetworkRule,
  inNetwork,
  referralLetter,
} from './referral-model.js';
export type {
  ReferralStage,
  LeakReason,
  ReferralState,
  ReferralTiming,
  NetworkRule,
  ParticipantNote,
  ReferralStartPayload,
  ReferralSignalPayload,
  Recognition,
  ReferralEnding,
  ReferralCalendar,
  HandoffNote,
} from './referral-model.js';
export { listReferrals, referralFigures } from './referral-queries.js';
export { searchReferrals, reportReferrals } from './referral-reads.js';
export type { ReferralReadDeps } from './referral-reads.js';
export type {
  ReferralListFilter,
  ReferralListItem,
  ReferralPage,
  ReferralFigureFilter,
  ReferralFigures,
  StageTime,
} from './referral-queries.js';

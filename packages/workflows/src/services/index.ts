/** @module The workflows' governed services: each method takes the request context and decides, reads and audits. */
export { ReferralService } from './referral-service.js';
export type {
  ReferralServiceDeps,
  ReferralDetail,
  ReferralHistoryEntry,
  ReferralStageChange,
  ReferralDirectory,
  ReferralItem,
  ReferralItemPage,
} from './referral-service.js';
export { FollowupService } from './followup-service.js';
export type {
  FollowupServiceDeps,
  FollowupThreads,
  FollowupMessage,
  FollowupListQuery,
  FollowupPage,
  FollowupView,
  FollowupFiguresQuery,
  FollowupStep,
  FollowupTimeline,
} from './followup-service.js';
export type { ParticipantDirectory } from './participant-names.js';
export { EventFlagService } from './event-flag-service.js';
export type { EventFlagServiceDeps, FlaggedEventPage } from './event-flag-service.js';
export { workflowPatients, workflowPatientsByKey } from './workflow-patients.js';

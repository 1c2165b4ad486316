/** @module Proposals: what automation would write, reviewed by a person or an approved policy before it is committed. */
export {
  defineAction,
  ActionRegistry,
  builtinActions,
  builtinActionDefinitions,
  messagePayload,
  appointmentStatus,
  taskCreate,
  taskUpdate,
  serviceRequestStatus,
  documentReferenceDraft,
  communicationSend,
  reminderSend,
} from './actions/index.js';
export type {
  ActionDefinition,
  ActionField,
  ActionRendering,
  EhrCommit,
  ChannelCommitSpec,
  PayloadOf,
} from './actions/index.js';
export {
  proposalStatuses,
  reviewActions,
  transitions,
  canMove,
  contentHash,
  diffResources,
  rebase,
  proposalOutcomes,
  proposalOutcome,
  outcomeOfStatus,
  statusesOfOutcome,
} from './model/index.js';
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
  ProposalOutcome,
  ProposalOutcomeName,
  ProposalSummary,
  ProposalError,
  HistoryEntry,
  ProposalDetail,
  ReviewAction,
  HashedContent,
} from './model/index.js';
export {
  ProposalDesk,
  ApprovalPolicies,
  OutsideDrafts,
  outsideKeyOf,
  OUTSIDE_REASON_CODE,
  MAX_RATIONALE,
} from './review/index.js';
export type {
  DrafterQuery,
  DrafterPage,
  ApproveInput,
  QueueQuery,
  QueuePage,
  ApprovalPolicyInput,
  ApprovalPolicy,
  EvidenceEvents,
  ProposalDeps,
} from './review/index.js';
export { ProposalApplier, EhrStateReader, InMemoryEhr, reviewablePatient } from './commit/index.js';
export type {
  ChannelCommit,
  ProposalCommitter,
  CommitResult,
  ApplierOptions,
  RetryPolicy,
  EhrPort,
  EhrResource,
  EhrState,
  EhrStateEntry,
} from './commit/index.js';
export { throughputByHour, queueAge, queueAgeBuckets, proposalStates, proposalChangesSince } from './store/index.js';
export type { ProposalState, ProposalChange } from './store/index.js';
export type { HourThroughput, QueueAgeRow, QueueAgeBucket, QueueWindow } from './store/index.js';
export { IncidentDesk, breachClock, renderIncidentReport, NOTIFY_DAYS, LARGE_BREACH } from './incidents/index.js';
export type {
  OpenIncidentInput,
  IncidentOrigin,
  IncidentStatus,
  ContainmentStatus,
  Containment,
  BreachClock,
  Incident,
  AffectedPatient,
  ScopedEntry,
  ScopedProposal,
  IncidentReport,
} from './incidents/index.js';

/** @module @steward/core: domain vocabulary, errors and small utilities. No I/O. */
export {
  errorCodes,
  errorInfo,
  StewardError,
  UserError,
  OperationalError,
  UnexpectedError,
  ValidationError,
  NotFoundError,
  ForbiddenError,
  AuthenticationError,
  ConflictError,
  ConfigError,
  isStewardError,
  toStewardError,
} from './errors.js';
export type { ErrorCode, ErrorCause, ErrorDetail, CodeOf } from './errors.js';
export { systemClock, ManualClock } from './clock.js';
export type { Clock } from './clock.js';
export { roles, purposesOfUse } from './actor.js';
export type { Role, PurposeOfUse, Actor, ActorKind, RequestContext } from './actor.js';
export { newId, newSecret } from './ids.js';
export { identifierKey } from './patient.js';
export type { MinimumDemographics, PatientDemographics, PatientIdentifier } from './patient.js';
export { ehrEventFlagCodes, ehrEventTypes, isEhrEventType } from './ehr-events.js';
export type {
  EhrEventType,
  EhrEventChannel,
  EhrEventInput,
  EhrEvent,
  EhrEventFacts,
  EhrCoding,
  EhrIdentifier,
  PatientRef,
  ParticipantRef,
  AppointmentStatus,
  AppointmentFacts,
  ReferralStatus,
  ReferralFacts,
  TaskStatus,
  TaskFacts,
  EncounterFacts,
  DocumentFacts,
  OrderFacts,
  ResultFacts,
  PatientFacts,
  MergeFacts,
  EhrEventFlag,
  EhrEventFlagCode,
} from './ehr-events.js';
export type {
  AttentionItem,
  AttentionList,
  DeadLetter,
  InboundFlag,
  InboundJournal,
  InboundMessage,
  ReceiveOutcome,
} from './inbound-journal.js';
export { s } from './schema.js';
export type { Schema, OptionalSchema, Infer, ObjectOf, JsonValue } from './schema.js';
export { inQuietHours, minutesOf, type QuietHours } from './quiet-hours.js';

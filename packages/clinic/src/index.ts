/**
 * @module The clinic model (issue 15): who the patients are across every identifier, the sites with
 * their own clocks, the directory of people, places and services, and the staff by name. Below the
 * EHR adapters, which resolve what they receive into it, and above governance, which guards it.
 */
export { PatientIndex } from './patients/index.js';
export type { PatientIndexDeps, PatientSummary, PatientQuery } from './patients/index.js';
export { DemographicsLearner } from './patients/index.js';
export type {
  DemographicsFailure,
  DemographicsLearnerOptions,
  DemographicsRound,
  PatientDemographicsReader,
  ReadPatient,
} from './patients/index.js';
export { PatientReviews } from './patients/index.js';
export type { PatientReview, PatientReviewsDeps } from './patients/index.js';
export { PatientLabels, displayFieldsFor, maskMrn, patientDisplayFields } from './patients/index.js';
export type {
  PatientLabel,
  PatientLabelsDeps,
  LabelRequest,
  DisplayViewer,
  PatientDisplayField,
} from './patients/index.js';

export {
  BusinessCalendar,
  SiteRegistry,
  defaultBusinessHours,
  defaultQuietHours,
  isValidZone,
  siteCode,
  siteProblems,
  weekdays,
  type BusinessHours,
  type OpeningHours,
  type Site,
  type SiteAudit,
  type SiteClock,
  type SiteInput,
  type SiteListing,
  type SiteReference,
  type SiteRegistryDeps,
  type SiteStaffCheck,
  type Weekday,
} from './sites/index.js';
export {
  directoryKinds,
  directoryFactsFromFhir,
  DirectoryLearner,
  DirectoryService,
  unresolvedParticipant,
  isDirectoryKind,
  participantFacts,
  participantsOf,
} from './directory/index.js';
export type {
  DirectoryEntry,
  DirectoryFacts,
  DirectoryKind,
  DirectoryResourceReader,
  DirectorySearch,
  NetworkMark,
  ParticipantQuery,
  ParticipantView,
} from './directory/index.js';
export { OnCallRotas, StaffService, poolName } from './staff/index.js';
export type {
  OnCallRota,
  OnCallRotasDeps,
  OnCallShift,
  OnCallShiftInput,
  Pool,
  PoolMembership,
  StaffAudit,
  StaffInput,
  StaffMember,
  StaffName,
  StaffServiceDeps,
} from './staff/index.js';

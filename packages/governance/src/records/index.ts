/** @module PHI records behind policy, audit and encryption: the only way to PHI rows. */
export { RecordStore } from './record-store.js';
export type { StoredRecord, NewRecord, TransactionalAudit } from './record-store.js';
export { EhrJournal } from './ehr-journal.js';
export type { JournalConnection } from './ehr-journal.js';
export { EhrJournalRetention } from './ehr-retention.js';
export { eventOrigins, eventPatients, patientEventIds } from './ehr-patients.js';
export type { EhrRetentionOptions } from './ehr-retention.js';
export type {
  PatientLookup,
  PatientResolver,
  KnownPatients,
  PatientKeyCheck,
  PatientSighting,
  SightingDemographics,
  ResolvableEvent,
  ResolvableSubject,
} from './patient-resolver.js';

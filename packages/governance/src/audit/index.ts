/** @module The tamper-evident audit log: writer, verifier, queries and FHIR AuditEvent export. */
export { auditEvents } from './audit-entry.js';
export type { AuditEvent, AuditAction, AuditOutcome, AuditEntryInput, AuditSink } from './audit-entry.js';
export { AuditLog } from './audit-log.js';
export type { AuditLogOptions } from './audit-log.js';
export { verifyAuditLog } from './verify.js';
export type { VerifyOptions, VerifyProgress } from './verify.js';
export { ChainVerifier, entryTuple } from './chain-verifier.js';
export type {
  VerifyResult,
  VerifySuccess,
  VerifyFailure,
  VerifyProblem,
  ChainVerifierOptions,
  StoredEntryRow,
  StoredEntryTuple,
  StoredCheckpointRow,
  StoredSigningKey,
} from './chain-verifier.js';
export { queryAudit, iterateAudit, decodeEntry } from './query.js';
export type { AuditFilter, AuditQuery, AuditRecord, AuditPage } from './query.js';
export { exportFhirAuditEvents, toFhirAuditEvents } from './fhir-export.js';
export { AuditService } from './audit-service.js';
export type {
  AuditServiceDeps,
  AuditAccessPolicy,
  AuditPatientLookup,
  AuditTrailWriter,
  AuditSearch,
  AuditSearchPage,
  AuditAnswerPage,
  AuditVerification,
  AuditExportLines,
} from './audit-service.js';
export type { ExportOptions } from './fhir-export.js';
export { canonicalJson, chainHash, checkpointMessage, entryText, GENESIS_HASH } from './audit-chain.js';
export type { CanonicalEntry } from './audit-chain.js';
export { keyFingerprint } from './signing-key.js';
export { readWitnesses } from './witness.js';
export type { AuditWitness, WitnessedCheckpoint, WitnessReading } from './witness.js';
export { FileAuditWitness, readWitnessText } from './file-witness.js';
export { SyslogAuditWitness } from './syslog-witness.js';

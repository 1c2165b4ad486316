/** @module @steward/governance: identity, policy, audit, encryption, egress and logs, wrapped around every store. */
export {
  KeyRing,
  normalizeForIndex,
  EnvMasterKeyProvider,
  InMemoryMasterKeyProvider,
  FileMasterKeyProvider,
  MASTER_KEY_BYTES,
  masterKeyIdOf,
  masterKeysInUse,
  rotateKeys,
} from './crypto/index.js';
export type {
  FieldCipher,
  MasterKeyProvider,
  MasterKeyVersion,
  FileMasterKeyOptions,
  DataKeyPurpose,
  DataKeyStatus,
  RotateOptions,
  RotationProgress,
  RotationReport,
} from './crypto/index.js';
export {
  auditEvents,
  AuditLog,
  verifyAuditLog,
  ChainVerifier,
  queryAudit,
  iterateAudit,
  decodeEntry,
  exportFhirAuditEvents,
  toFhirAuditEvents,
  canonicalJson,
  chainHash,
  checkpointMessage,
  entryText,
  GENESIS_HASH,
  keyFingerprint,
} from './audit/index.js';
export type {
  AuditEvent,
  AuditAction,
  AuditOutcome,
  AuditEntryInput,
  AuditSink,
  AuditLogOptions,
  VerifyOptions,
  VerifyProgress,
  VerifyResult,
  VerifySuccess,
  VerifyFailure,
  VerifyProblem,
  AuditFilter,
  AuditQuery,
  AuditRecord,
  AuditPage,
  ExportOptions,
} from './audit/index.js';
export {
  PasswordHasher,
  checkPasswordPolicy,
  passwordPolicy,
  generateTotpSecret,
  totpUri,
  totpCode,
  UserDirectory,
  ServiceAccountDirectory,
  ApiTokens,
  SessionManager,
  LoginThrottle,
  Reauthenticator,
  Authenticator,
} from './identity/index.js';
export type {
  UserSummary,
  TotpEnrolment,
  ServiceAccount,
  IssuedToken,
  TokenSummary,
  LoginResult,
  SessionConfig,
  ReauthProof,
  ReauthMethod,
} from './identity/index.js';
export {
  actions,
  phiActions,
  breakGlassActions,
  rolePermissions,
  roleAllows,
  GrantStore,
  validateGrant,
  BreakGlassStore,
  BREAK_GLASS_MAX_MINUTES,
  PolicyDecisionPoint,
  sourceOf,
  selfServiceScope,
} from './policy/index.js';
export type { Action, Grant, NewGrant, BreakGlassEpisode, Decision, Scope, AccessScope } from './policy/index.js';
export { RecordStore, EhrJournal } from './records/index.js';
export type { StoredRecord, NewRecord, TransactionalAudit, JournalConnection } from './records/index.js';
export { EgressRegistry, normalizeBaseUrl, isUnder, isPrivateAddress } from './egress/index.js';
export type { EgressDestination, NewDestination, DestinationKind, Resolver } from './egress/index.js';
export { createLogger, redactPaths, serializeError } from './logging/index.js';
export type { Logger, LoggerConfig } from './logging/index.js';

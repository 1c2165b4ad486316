/** @module Retention: per-kind retention policies, legal holds, and the purge that applies them. */
export { retentionKinds, isRetentionKind, auditFloorDays, floorDays, defaultDays } from './retention-kinds.js';
export type { RetentionKind, HeldPatient, PurgeRequest, PurgeCount, RetentionPurger } from './retention-kinds.js';
export { RetentionPolicies } from './retention-policies.js';
export type { RetentionPolicy, RetentionDeps, RetentionAudit } from './retention-policies.js';
export { LegalHolds } from './legal-holds.js';
export type { LegalHold, LegalHoldInput } from './legal-holds.js';
export { RetentionPurge } from './retention-purge.js';
export type { PurgeReport, KindReport, KindOutcome, PurgeOptions } from './retention-purge.js';

/** @module What the run record is built over: the store, the key ring, policy, the audit log, a clock. */
import type { Clock } from '@steward/core';
import type { Database } from '@steward/store';
import type { AuditPatientLookup, FieldCipher, PolicyDecisionPoint, TransactionalAudit } from '@steward/governance';

export interface RunDeps {
  readonly db: Database;
  readonly cipher: FieldCipher;
  readonly policy: PolicyDecisionPoint;
  readonly audit: TransactionalAudit;
  readonly clock?: Clock;
  /** Resolves the list's `patient` term (MRN, EHR id, name); without it the term is a Steward id. */
  readonly patients?: AuditPatientLookup;
}

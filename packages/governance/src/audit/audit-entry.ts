/**
 * @module What an audit entry says: the ASTM E2147 fields (when, who, which patient, what action,
 * which data, from where, why) plus Steward's event type and outcome.
 */
import type { Actor, PurposeOfUse, RequestContext } from '@steward/core';

export const auditEvents = [
  'phi.read',
  'phi.search',
  'phi.create',
  'phi.update',
  'phi.delete',
  'phi.export',
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'auth.session_expired',
  'auth.token_created',
  'auth.token_revoked',
  'auth.token_rejected',
  'access.denied',
  'break_glass.start',
  'break_glass.use',
  'break_glass.review',
  'admin.user_changed',
  'admin.grant_changed',
  'admin.service_account_changed',
  'config.changed',
  'egress.allowed',
  'egress.denied',
  'keys.rotated',
  'audit.verified',
  'audit.queried',
  'audit.exported',
  'ehr.received',
  'ehr.dead_letter',
  'ehr.written',
  'ehr.connection_changed',
  'proposal.drafted',
  'proposal.approved',
  'proposal.rejected',
  'proposal.committed',
  'proposal.verified',
  'proposal.conflicted',
  'proposal.failed',
  'proposal.rolled_back',
  'proposal.assigned',
  'approval_policy.changed',
  'workflow.failed',
  'contacts.imported',
  'contacts.exported',
  'retention.policy_changed',
  'retention.hold_changed',
  'retention.purged',
  'incident.opened',
  'incident.changed',
  'incident.reported',
  // A run of the screen executor (started, finished) and each step it took (issue 17).
  'automation.run',
  'automation.step',
  // The automation account's sealed EHR credentials opened for one run (the run named, never the secret).
  'automation.credentials_opened',
  // A call to an AI provider through an egress destination (issue 18): who, patient, destination, never content.
  'ai.called',
] as const;
export type AuditEvent = (typeof auditEvents)[number];

/** FHIR AuditEvent.action: Create, Read, Update, Delete, Execute. */
export type AuditAction = 'C' | 'R' | 'U' | 'D' | 'E';
export type AuditOutcome = 'success' | 'denied' | 'failure';

export interface AuditEntryInput {
  readonly actor: Pick<Actor, 'kind' | 'id' | 'name' | 'authMethod'>;
  readonly event: AuditEvent;
  readonly action: AuditAction;
  readonly outcome: AuditOutcome;
  /** Steward patient ids the operation touched. Ids only, never demographics. */
  readonly patientIds?: readonly string[];
  /** Which data: the record kind and id, and its version after a write. */
  readonly entity?: { readonly kind: string; readonly id: string; readonly version?: number };
  /** Which data elements were read or written (field names, not values). */
  readonly fields?: readonly string[];
  readonly site?: string;
  readonly workflow?: string;
  readonly purposeOfUse?: PurposeOfUse;
  readonly breakGlassId?: string;
  readonly source?: { readonly address?: string; readonly requestId?: string };
  /** Search or query parameters. They may hold PHI, so they are stored encrypted. */
  readonly query?: Readonly<Record<string, string>>;
  /** A short machine reason (`token_revoked`, `outside_scope`). Never PHI. */
  readonly reason?: string;
  /**
   * SHA-256 digests (lowercase hex) of sealed content the entry vouches for, by name (an automation
   * step's `screenshot` and `value`): the content stays sealed in its own table, its digest is in
   * the chain, so a changed or swapped ciphertext is found by opening and hashing it again.
   */
  readonly digests?: Readonly<Record<string, string>>;
}

/** Where audit entries go. `append` resolves once the entry is durable, and rejects otherwise. */
export interface AuditSink {
  append(entry: AuditEntryInput): Promise<{ readonly seq: number }>;
}

/** Where a request came from, as an audit entry's `source` records it. */
export function sourceOf(ctx: RequestContext): { address?: string; requestId?: string } {
  return {
    ...(ctx.sourceAddress !== undefined ? { address: ctx.sourceAddress } : {}),
    ...(ctx.requestId !== undefined ? { requestId: ctx.requestId } : {}),
  };
}

/** @module The shapes of `GET /audit/events` and `GET /audit/verify`, and the event codes to suggest. */

export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  /** The actor's `name` is also sent; the audit screen shows kind and id only. */
  readonly actor: { readonly kind: string; readonly id: string };
  readonly event: string;
  readonly action: string;
  readonly outcome: 'success' | 'denied' | 'failure';
  readonly patientIds: readonly string[];
  readonly entity?: { readonly kind: string; readonly id: string; readonly version?: number };
  readonly site?: string;
  readonly workflow?: string;
  readonly purposeOfUse?: string;
  readonly breakGlassId?: string;
  readonly reason?: string;
}

export interface AuditPage {
  readonly items: readonly AuditEntry[];
  /** Pass as `after` for the next page; absent on the last. */
  readonly next?: number;
}

export type VerifyAnswer = {
  readonly checkedAt: string;
  readonly entries: number;
  /** The last entry known good (seq 0, time null: nothing verified). */
  readonly verifiedTo: { readonly seq: number; readonly at: string | null };
} & (
  | { readonly ok: true; readonly headSeq: number; readonly checkpoints: number; readonly unsealedEntries: number }
  | { readonly ok: false; readonly firstBadSeq: number; readonly problem: string; readonly message: string }
);

/** The audit event codes (packages/governance audit-entry.ts), offered as suggestions. */
export const auditEventCodes = [
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
] as const;

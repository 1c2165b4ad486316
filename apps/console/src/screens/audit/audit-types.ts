/** @module The shapes of `GET /audit/events` and `GET /audit/verify`. */

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

/**
 * @module What Steward keeps and for how long: the kinds of stored data a retention policy names,
 * each kind's default period and its floor. Without a policy a kind is kept (nothing is purged
 * until a compliance officer sets one), except the audit log, whose default is six years.
 */
import type { PatientIdentifier } from '@steward/core';
import type { Sql } from '@steward/store';

export const retentionKinds = [
  /** EHR inbound messages (raw HL7 v2 / FHIR) and the normalized events made from them. */
  'ehr-messages',
  /** Sealed message bodies in the local outbox (filed and due before the cut-off). */
  'message-bodies',
  /** Notes on contacts and relationships in the contact graph. */
  'contact-notes',
  /** Exports: streamed to the caller, not stored by Steward today; a policy is recorded for when they are. */
  'exports',
  /** Screenshots of automated EHR screens: the sealed screenshots of automation runs' steps. */
  'screenshots',
  /** Run artefacts of automation: the sealed values runs entered or read (the steps themselves stay). */
  'run-artefacts',
  /** Webhook dead letters neither replayed nor delivered (usually kept longer than `events-out`). */
  'event-dead-letters',
  /**
   * Events out: delivered webhook rows, and outbox events no subscription still needs (purged after
   * `event-dead-letters` in a run, so an event whose dead letter just went goes in the same run).
   */
  'events-out',
  /** Intake documents (issue 19): the sealed bytes, page images, text and fields of received files (what arrived and where it went stay). */
  'intake-documents',
  /** The audit log: kept at least six years and never purged by the application (see `auditFloorDays`). */
  'audit-log',
] as const;
export type RetentionKind = (typeof retentionKinds)[number];

export function isRetentionKind(value: string): value is RetentionKind {
  return (retentionKinds as readonly string[]).includes(value);
}

/** HIPAA's documentation retention (45 CFR 164.316(b)(2)): six years, counting two leap days. */
export const auditFloorDays = 6 * 365 + 2;

/** The shortest period a policy may set per kind: the audit log's six years; a day for the rest. */
export function floorDays(kind: RetentionKind): number {
  return kind === 'audit-log' ? auditFloorDays : 1;
}

/** The period in force when no policy was set: the audit log's six years; the rest are kept. */
export function defaultDays(kind: RetentionKind): number | undefined {
  return kind === 'audit-log' ? auditFloorDays : undefined;
}

/** A patient whose data a legal hold keeps: any of the ways stored rows name a patient. */
export interface HeldPatient {
  /** Steward's patient id (records, proposals, message bodies and audit entries name it). */
  readonly stewardId?: string;
  /** The EHR's Patient id (EHR events without identifiers are keyed by it). */
  readonly ehrId?: string;
  /** Identifiers (system|value): EHR events are keyed by a blind index of their first one. */
  readonly identifiers?: readonly PatientIdentifier[];
}

/** What one kind's purger is asked to do, in the purge's transaction. */
export interface PurgeRequest {
  /** Rows stored before this instant are expired. */
  readonly before: Date;
  /** Patients under an active legal hold: their rows are kept whatever their age. */
  readonly held: readonly HeldPatient[];
  /** Most rows deleted in one run (the next run goes on); keeps one transaction bounded. */
  readonly limit: number;
}

export interface PurgeCount {
  readonly deleted: number;
  /** Expired rows kept because a legal hold (or a reference still in use) names them. */
  readonly kept: number;
  /** The limit stopped the purger short: the next run deletes more. */
  readonly more: boolean;
}

/**
 * Deletes one kind's expired rows. Implemented by the package that owns the kind's table (the EHR
 * journal, the local outbox, the contact graph), so no code outside it touches those PHI rows.
 */
export interface RetentionPurger {
  readonly kind: RetentionKind;
  purge(tx: Sql, request: PurgeRequest): Promise<PurgeCount>;
}

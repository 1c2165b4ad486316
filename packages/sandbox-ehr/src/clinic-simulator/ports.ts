/** @module The clinic simulator's ports: the FHIR API and the HL7 v2 feed it acts through. */
import type { Resource } from '@medplum/fhirtypes';

/**
 * The FHIR API the simulator reads and writes through, so that the sandbox's history and
 * subscriptions see its changes exactly as they see any client's.
 *
 * Contract for adapters:
 * - `search` returns every match (an adapter over a paging server follows the pages);
 * - `create` returns the stored resource with `id` and `meta.versionId`;
 * - `update` treats `meta.versionId` of the given resource as If-Match and throws
 *   `ConflictError('VERSION_CONFLICT', …)` from `@steward/core` when the stored version differs.
 */
export interface ClinicFhir {
  search<T extends Resource = Resource>(resourceType: T['resourceType'], params: Record<string, string>): Promise<T[]>;
  create<T extends Resource>(resource: T): Promise<T>;
  update<T extends Resource>(resource: T): Promise<T>;
}

/** Where the simulator's HL7 v2 messages go (an MLLP client in the sandbox; a list in tests). */
export interface Hl7Feed {
  /** One message, segments separated by carriage returns. Resolves once the peer took it. */
  send(message: string): Promise<void>;
}

/** What happened in the clinic. Carries ids and the simulator's own keys, never PHI. */
export interface ClinicEvent {
  /** Position in this run, from 1. */
  readonly seq: number;
  readonly kind: ClinicEventKind;
  /** Simulated time with the clinic's offset (FHIR instant). */
  readonly at: string;
  /** The simulator's identifier of the thing that changed (appointment, referral, stay …). */
  readonly simId: string;
  /** The simulator's key of the patient (P001 …: a position, not an identifier). */
  readonly patientKey: string;
  /** The service line concerned, when there is one. */
  readonly serviceLine?: string;
  /** Repository references touched by this event ("Appointment/123"). Differ between runs. */
  readonly references: readonly string[];
  /** MSH-9 and MSH-10 of the HL7 message sent for this event, if any. */
  readonly hl7?: { readonly type: string; readonly controlId: string };
  /** Extra non-PHI facts, e.g. a cancellation reason code or a discharge disposition. */
  readonly detail?: string;
}

export const clinicEventKinds = [
  'appointment-booked',
  'appointment-rescheduled',
  'appointment-cancelled',
  'appointment-noshow',
  'patient-arrived',
  'patient-checked-in',
  'visit-fulfilled',
  'referral-sent',
  'referral-received',
  'referral-accepted',
  'referral-scheduled',
  'referral-answered',
  'referral-cancelled',
  'referral-leaked',
  'recheck-ordered',
  'recheck-completed',
  'inpatient-admitted',
  'inpatient-discharged',
] as const;
export type ClinicEventKind = (typeof clinicEventKinds)[number];

/**
 * @module Steward's own model of what happens in an EHR. Every inbound change — a FHIR
 * subscription notification, a poll result, an HL7 v2 message — is normalized by an adapter into
 * one `EhrEvent`, so that workflows never know which vendor or which protocol it came from.
 * Minimum necessary: events carry the operational facts (who, when, which status, which
 * provider), never clinical content such as diagnoses or note text.
 */
import type { MinimumDemographics, PatientIdentifier } from './patient.js';

/** An identifier of any EHR object (same shape as a patient identifier: system URI + value). */
export type EhrIdentifier = PatientIdentifier;

/** The normalized event types. Names are `<subject>.<what happened>`. */
export const ehrEventTypes = [
  'appointment.booked',
  'appointment.rescheduled',
  'appointment.cancelled',
  'appointment.no-show',
  'appointment.checked-in',
  'appointment.fulfilled',
  'referral.created',
  'referral.updated',
  'task.created',
  'task.updated',
  'encounter.started',
  'encounter.discharged',
  'document.received',
  'order.updated',
  'result.received',
  'patient.updated',
  'patient.merged',
  'patient.identifier-changed',
] as const;
export type EhrEventType = (typeof ehrEventTypes)[number];

/** Which channel an event arrived on (`screens`: read off an EHR's screens by a governed run, issue 17). */
export type EhrEventChannel = 'fhir-subscription' | 'fhir-poll' | 'hl7v2' | 'sandbox' | 'screens';

/** How Steward finds the patient an event is about: the EHR's id and/or identifiers (MRN …). */
export interface PatientRef {
  /** The EHR's logical id of the Patient resource, when the source gives one. */
  readonly ehrId?: string;
  readonly identifiers: readonly EhrIdentifier[];
  /**
   * The name, birth date and sex the source sent with it, when it sent a family name and a full
   * birth date: the patient index matches look-alikes on them (sealed with the event).
   */
  readonly demographics?: MinimumDemographics;
}

/**
 * A code as the source sent it: the code system (a URI for FHIR; for HL7 v2 the coding system as
 * sent, e.g. `LN`, `SCT`, or the HL7 table `HL70074`) and the code. No display text: what a code
 * means is looked up by its system, and a display may carry free text.
 */
export interface EhrCoding {
  readonly system?: string;
  readonly code: string;
}

/** A practitioner, organization, location or service taking part in an appointment or referral. */
export interface ParticipantRef {
  readonly kind: 'Practitioner' | 'PractitionerRole' | 'Organization' | 'Location' | 'HealthcareService';
  readonly ehrId?: string;
  readonly identifiers: readonly EhrIdentifier[];
  readonly display?: string;
  /**
   * What the source says of it beyond a name, when it says (HL7 PRD, ROL, AIL): a practice's
   * specialties, contact points and address, the organization's name. Not PHI; read by the directory.
   */
  readonly specialties?: readonly string[];
  readonly telecom?: readonly { readonly system: string; readonly value: string; readonly use?: string }[];
  readonly address?: string;
  readonly organization?: string;
}

/** FHIR Appointment.status values, which HL7 SIU filler status codes map onto. */
export type AppointmentStatus =
  | 'proposed'
  | 'pending'
  | 'booked'
  | 'arrived'
  | 'fulfilled'
  | 'cancelled'
  | 'noshow'
  | 'entered-in-error'
  | 'checked-in'
  | 'waitlist';

export interface AppointmentFacts {
  readonly kind: 'Appointment';
  readonly ehrId?: string;
  readonly identifiers: readonly EhrIdentifier[];
  readonly status: AppointmentStatus;
  /** ISO-8601 with the offset the source gave (or the facility zone's, stated explicitly). */
  readonly start?: string;
  readonly end?: string;
  /** For a reschedule: the start it had before, when the source says. */
  readonly previousStart?: string;
  readonly serviceType?: string;
  readonly participants: readonly ParticipantRef[];
  /** References (`ServiceRequest/123`) or identifiers of the referral/order this appointment fulfils. */
  readonly basedOn: readonly string[];
  readonly cancellationReason?: string;
}

/** FHIR ServiceRequest.status values. */
export type ReferralStatus = 'draft' | 'active' | 'on-hold' | 'revoked' | 'completed' | 'entered-in-error' | 'unknown';

export interface ReferralFacts {
  readonly kind: 'Referral';
  readonly ehrId?: string;
  readonly identifiers: readonly EhrIdentifier[];
  readonly status: ReferralStatus;
  readonly intent?: string;
  /** A short code or text naming the service asked for (e.g. "Cardiology consult"), not clinical detail. */
  readonly service?: string;
  readonly priority?: 'routine' | 'urgent' | 'asap' | 'stat';
  readonly authoredOn?: string;
  readonly requester?: ParticipantRef;
  readonly performers: readonly ParticipantRef[];
  /**
   * The order's category as a code (e.g. SNOMED 3457005 "Patient referral", or `follow-up`): how
   * a workflow tells a referral from a recheck order. A label, not clinical detail.
   */
  readonly category?: string;
  /** When the order should happen (FHIR occurrence[x]): a recheck's window. ISO-8601. */
  readonly occurrence?: { readonly start?: string; readonly end?: string };
  /** Every category coding (FHIR ServiceRequest.category; HL7 RF1-3 referral type): what the referral rules read. */
  readonly categoryCodes?: readonly EhrCoding[];
  /** The codings of what is asked for (ServiceRequest.code). */
  readonly serviceCodes?: readonly EhrCoding[];
  /** The kind of performer asked for (ServiceRequest.performerType), e.g. a specialty. */
  readonly performerTypes?: readonly EhrCoding[];
}

/** FHIR Task.status values (the HL7 referral workflow states). */
export type TaskStatus =
  | 'draft'
  | 'requested'
  | 'received'
  | 'accepted'
  | 'rejected'
  | 'ready'
  | 'cancelled'
  | 'in-progress'
  | 'on-hold'
  | 'failed'
  | 'completed'
  | 'entered-in-error';

export interface TaskFacts {
  readonly kind: 'Task';
  readonly ehrId?: string;
  readonly identifiers: readonly EhrIdentifier[];
  readonly status: TaskStatus;
  readonly businessStatus?: string;
  readonly code?: string;
  /** What the task is about / based on, as references (`ServiceRequest/123`). */
  readonly focus?: string;
  readonly basedOn: readonly string[];
  readonly owner?: ParticipantRef;
  readonly dueDate?: string;
  /**
   * What the task produced, as relative references (`Task.output[].valueReference`: a Procedure,
   * DiagnosticReport, Encounter, DocumentReference …). References only, never inline values.
   */
  readonly outputs?: readonly string[];
  /** Why the task is where it is (`Task.statusReason`), as `system|code` (never its free text). */
  readonly statusReason?: string;
}

export interface EncounterFacts {
  readonly kind: 'Encounter';
  readonly ehrId?: string;
  readonly identifiers: readonly EhrIdentifier[];
  readonly status: string;
  /** FHIR Encounter.class code: AMB, IMP, EMER … */
  readonly class?: string;
  readonly start?: string;
  readonly end?: string;
  readonly location?: ParticipantRef;
  readonly serviceProvider?: ParticipantRef;
  /** Who took part (HL7 PV1-7 attending, -8 referring, -9 consulting, -17 admitting, ROL), for the directory. */
  readonly participants?: readonly ParticipantRef[];
  readonly dischargeDisposition?: string;
  /** References of the referrals/appointments this encounter answers. */
  readonly basedOn: readonly string[];
}

export interface DocumentFacts {
  readonly kind: 'Document';
  readonly ehrId?: string;
  readonly identifiers: readonly EhrIdentifier[];
  readonly status: string;
  /** Document type code or text (e.g. LOINC 11488-4 "Consult note"). */
  readonly type?: string;
  readonly date?: string;
  readonly contentType?: string;
  readonly author?: ParticipantRef;
  /** References this document answers (a referral, an encounter). */
  readonly related: readonly string[];
}

export interface OrderFacts {
  readonly kind: 'Order';
  readonly ehrId?: string;
  readonly identifiers: readonly EhrIdentifier[];
  /** HL7 ORC-1 order control (NW, CA, SC …) or the FHIR status. */
  readonly control: string;
  readonly status?: string;
  readonly service?: string;
  /** OBR-24 diagnostic service section (HL7 table 0074: LAB, RAD …), as the referral rules read it. */
  readonly categoryCodes?: readonly EhrCoding[];
  /** OBR-4 universal service identifier (code and coding system). */
  readonly serviceCodes?: readonly EhrCoding[];
}

export interface ResultFacts {
  readonly kind: 'Result';
  readonly identifiers: readonly EhrIdentifier[];
  readonly status?: string;
  readonly service?: string;
  /** The order (placer/filler number) this result answers. */
  readonly orderIdentifiers: readonly EhrIdentifier[];
}

export interface PatientFacts {
  readonly kind: 'Patient';
}

/**
 * A merge (`patient.merged`: HL7 ADT A34/A36/A39/A40, FHIR Patient.link replaced-by/replaces) or
 * an identifier change (`patient.identifier-changed`: A47, A35 for an account number). Either way
 * the retired patient (or identifier) is the event's `patient` from now on: whoever finds a
 * patient by the retired identifiers must use the survivor instead.
 */
export interface MergeFacts {
  readonly kind: 'Merge';
  /**
   * What was merged: `patient` (the patient record and its identifiers) or `account` (only a
   * visit/account number, HL7 A35: the patient stays the same, so no patient lookup changes).
   */
  readonly scope: 'patient' | 'account';
  /** The patient that survives (the event's `patient`) absorbs this one. */
  readonly retired: PatientRef;
}

/**
 * Something about an event a person should look at, without it being refused: a conflict in the
 * source that Steward did not resolve, or a value Steward had to interpret. Names fields and
 * rules, never values (no PHI).
 */
export interface EhrEventFlag {
  readonly code: EhrEventFlagCode;
  /** What and where by field names, e.g. `SCH-11.4 and AIS-4 give different starts`. */
  readonly detail: string;
}

export const ehrEventFlagCodes = [
  /** The sender gave two different start times (HL7 SCH-11/TQ1 vs the resource segments). */
  'schedule-conflict',
  /** A date-time had no UTC offset and was read in the connection's declared time zone. */
  'zone-inferred',
] as const;
export type EhrEventFlagCode = (typeof ehrEventFlagCodes)[number];

export type EhrEventFacts =
  | AppointmentFacts
  | ReferralFacts
  | TaskFacts
  | EncounterFacts
  | DocumentFacts
  | OrderFacts
  | ResultFacts
  | PatientFacts
  | MergeFacts;

/** A normalized EHR change, before Steward stores it. */
export interface EhrEventInput {
  readonly type: EhrEventType;
  /** The connection (one EHR interface at one site) it came from. */
  readonly connectionId: string;
  readonly channel: EhrEventChannel;
  /**
   * A key unique to this change on this connection, so a redelivery is recognised:
   * `hl7:<MSH-10>` or `fhir:<Type>/<id>/_history/<versionId>`.
   */
  readonly dedupKey: string;
  /** When it happened in the EHR: ISO-8601 with an explicit offset. */
  readonly occurredAt: string;
  readonly patient: PatientRef;
  readonly facts: EhrEventFacts;
  /** The source's reference for it (`Appointment/123/_history/4`, or the HL7 message type `SIU^S12`). */
  readonly sourceRef: string;
  /** What a person should look at in this event (absent when nothing). */
  readonly flags?: readonly EhrEventFlag[];
}

/** A stored event: sequenced per Steward instance, in arrival order per patient. */
export interface EhrEvent extends EhrEventInput {
  readonly id: string;
  readonly seq: number;
  readonly recordedAt: Date;
  /** The Steward patient it resolved to (the patient index), when the journal resolves patients. */
  readonly patientId?: string;
}

export function isEhrEventType(value: string): value is EhrEventType {
  return (ehrEventTypes as readonly string[]).includes(value);
}

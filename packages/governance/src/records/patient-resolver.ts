/**
 * @module The ports by which governance names patients without knowing the patient index, which
 * lives above it (packages/clinic): the journal resolves each inbound event's patient while filing
 * it. (The audit search's port, `AuditPatientLookup`, is the audit folder's.)
 */
import type { EhrEventInput, PatientIdentifier, PatientRef, RequestContext } from '@steward/core';
import type { Sql } from '@steward/store';

/** The minimum demographics to show and match a patient (sealed by the index). */
export interface SightingDemographics {
  readonly name: { readonly family: string; readonly given: readonly string[] };
  /** YYYY-MM-DD */
  readonly birthDate: string;
  readonly gender?: 'female' | 'male' | 'other' | 'unknown';
}

/** One time a patient was seen: on which connection at which site, by which ids. */
export interface PatientSighting {
  readonly connectionId: string;
  readonly site: string;
  /** The EHR's logical id on this connection. */
  readonly ehrId?: string;
  /** Every identifier given (every PID-3 repetition, every FHIR identifier). */
  readonly identifiers: readonly PatientIdentifier[];
  readonly demographics?: SightingDemographics;
}

/** An event to resolve, under the id it will be filed with (the link history names it). */
export interface ResolvableEvent {
  readonly id: string;
  readonly input: EhrEventInput;
}

/**
 * The patient a filed message is about when no event of it names one (`InboundMessage.subject`),
 * under the message's id (the link history names it).
 */
export interface ResolvableSubject {
  readonly id: string;
  readonly connectionId: string;
  readonly subject: PatientRef;
}

/**
 * Resolves the patients of inbound events (and the subjects of messages that file no event) to
 * Steward patient ids inside the journal's filing transaction, so an event, its patient links and
 * the receipt's audit entry (which names the patients) commit together. The journal has already
 * decided `ehr.ingest` at `site` for `ctx`; merge events are followed here (the retired patient
 * points at the survivor from then on).
 * Returns one id per item, in order, undefined for one that names no patient.
 */
export interface PatientResolver {
  resolveEvents(
    tx: Sql,
    ctx: RequestContext,
    site: string,
    events: readonly (ResolvableEvent | ResolvableSubject)[],
  ): Promise<readonly (string | undefined)[]>;
  /**
   * Optional: the same resolution made OUTSIDE the filing transaction, for the journal's
   * one-round-trip write (issue 20), when it would write nothing: every patient named is known by
   * every key its sighting carries, all to one patient, needing no demographics and no merge (the
   * common case of a feed about known patients). Returns undefined when any item would need a write
   * (a new patient or key, demographics to fill, a merge): then `resolveEvents` runs in the filing
   * transaction, as always. What it read comes back as `checks`, which the filing statement verifies
   * under the audit lock (every index write holds that lock too), raising when any changed.
   */
  resolveKnown?(
    ctx: RequestContext,
    site: string,
    events: readonly (ResolvableEvent | ResolvableSubject)[],
  ): Promise<KnownPatients | undefined>;
}

/** Patients resolved outside the filing transaction (`PatientResolver.resolveKnown`), and what that read. */
export interface KnownPatients {
  /** One id per item, in order, undefined for one that names no patient. */
  readonly ids: readonly (string | undefined)[];
  /**
   * What the ids rest on: each key read (its blind index) and the live patient it found, and
   * whether that patient must have demographics (else `resolveEvents` would give it them). The
   * filing statement raises SQLSTATE SA002 when any key now finds another patient, or none.
   */
  readonly checks: readonly PatientKeyCheck[];
}

export interface PatientKeyCheck {
  readonly key: Uint8Array;
  readonly patientId: string;
  readonly withDemographics: boolean;
}

/**
 * Finds, never creates, the Steward patient of a sighting (its EHR id on the connection first,
 * then its identifiers), so a PHI read or write about an EHR patient can name it in its audit
 * entry. The caller has decided its own access; ids only, no audit entry of its own.
 */
export interface PatientLookup {
  patientIdOf(sighting: PatientSighting): Promise<string | undefined>;
}

/**
 * @module Steward's own model of a patient: the demographics Steward needs to run operations
 * (match a referral, route a document), minimum necessary. Adapters map FHIR Patient into it.
 */
export interface PatientIdentifier {
  /** A URI naming the assigner, e.g. an EHR's MRN system. */
  readonly system: string;
  readonly value: string;
}

export interface PatientDemographics {
  readonly name: { readonly family: string; readonly given: readonly string[] };
  /** YYYY-MM-DD */
  readonly birthDate: string;
  readonly gender?: 'female' | 'male' | 'other' | 'unknown';
  readonly identifiers: readonly PatientIdentifier[];
}

/**
 * The minimum demographics a source gives with a patient reference (HL7 PID-5/7/8, FHIR
 * Patient.name/birthDate/gender): enough to show a patient and to find look-alikes, nothing more.
 */
export interface MinimumDemographics {
  readonly name: { readonly family: string; readonly given: readonly string[] };
  /** YYYY-MM-DD */
  readonly birthDate: string;
  readonly gender?: 'female' | 'male' | 'other' | 'unknown';
}

/** The exact-match lookup key of an identifier. */
export function identifierKey(id: PatientIdentifier): string {
  return `${id.system}|${id.value}`;
}

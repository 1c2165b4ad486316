/**
 * @module What the FHIR facade serves at a connection, and the rules a search must pass before it
 * reaches the governed reader: the types the connection exposes, the search parameters supported
 * (strict: anything else is refused, never ignored), the caller's SMART scopes, and the rule that
 * an agent's search of a patient-compartment type names the patient.
 */
import { UserError } from '@steward/core';
import type { EhrConnection } from '../connections/index.js';
import { GrantedScopes, parseSystemScope } from '../fhir-r4/index.js';
import { profileFor } from '../vendors/index.js';

export type FacadeInteraction = 'read' | 'search';

/** Served by the facade itself, beside each type's parameters: the page size and its page links. */
export const controlParameters = ['_count', '_page'] as const;

/**
 * Left out of what the vendor offers: the governed reader returns matches only (an included
 * resource would be disclosed without its own decision), and `_elements`/`_summary` are decided
 * by the purpose of use, not by the caller.
 */
const neverServed: ReadonlySet<string> = new Set(['_include', '_revinclude', '_elements', '_summary', '_contained']);

export interface ServedType {
  readonly type: string;
  readonly read: boolean;
  /** Search parameters (without modifiers), sorted; [] = no search. */
  readonly searchParams: readonly string[];
}

/**
 * The types a connection exposes: what its vendor profile declares, narrowed to what the
 * connection's own SMART scopes at the EHR cover. A connection without a FHIR API (screens) has
 * no SMART scopes and so exposes nothing here.
 */
export function servedTypes(connection: Pick<EhrConnection, 'vendor' | 'scopes'>): ServedType[] {
  const profile = profileFor(connection.vendor);
  const granted = new GrantedScopes(connection.scopes);
  return Object.entries(profile.resources)
    .flatMap(([type, support]) => {
      if (support === undefined) return [];
      const read = support.read && granted.covers({ resourceType: type, interaction: 'read' });
      const search = support.search.length > 0 && granted.covers({ resourceType: type, interaction: 'search' });
      const searchParams = search ? [...new Set(support.search.filter((p) => !neverServed.has(p)))].sort() : [];
      return read || searchParams.length > 0 ? [{ type, read, searchParams }] : [];
    })
    .sort((a, b) => a.type.localeCompare(b.type));
}

/**
 * Whether the caller's token lets it do `interaction` on `type`. A token that carries no SMART
 * `system/` scope (a Steward API token) is narrowed by its Steward scopes and grants only; one that
 * carries any is held to them (`system/Appointment.rs`, `system/*.rs`, v1 `system/*.read`).
 */
export function tokenAllows(
  scopes: readonly string[] | undefined,
  type: string,
  interaction: FacadeInteraction,
): boolean {
  if (scopes === undefined || !scopes.some((s) => parseSystemScope(s) !== undefined)) return true;
  return new GrantedScopes(scopes).covers({ resourceType: type, interaction });
}

/**
 * Patient-compartment types, and the parameters that name the patient in a search of each. The
 * agent role may search these only for a named patient: no fishing across all patients.
 */
export const patientNamingParameters: Readonly<Record<string, readonly string[]>> = {
  Patient: ['_id', 'identifier'],
  Appointment: ['patient'],
  Encounter: ['patient', 'subject'],
  ServiceRequest: ['patient', 'subject'],
  Task: ['patient', 'subject'],
  DocumentReference: ['patient', 'subject'],
};

/** Throws FHIR_PATIENT_REQUIRED when a search of a patient-compartment type names no patient. */
export function requirePatientNamed(type: string, params: Readonly<Record<string, string>>): void {
  const naming = patientNamingParameters[type];
  if (naming === undefined) return;
  const named = Object.entries(params).some(([key, value]) => {
    const [name, modifier] = key.split(':');
    if (name === undefined || !naming.includes(name) || value.trim() === '') return false;
    // `subject` may reference a Group or a Location: only a Patient reference names the patient.
    if (name === 'subject' && modifier !== 'Patient')
      return value.split(',').every((v) => /^Patient\/[A-Za-z0-9\-.]{1,64}$/.test(v.trim()));
    return modifier === undefined || modifier === 'Patient' || modifier === 'exact';
  });
  if (!named) {
    const how =
      type === 'Patient'
        ? '_id= or identifier='
        : naming.includes('subject')
          ? 'patient= or subject=Patient/…'
          : 'patient=';
    throw new UserError('FHIR_PATIENT_REQUIRED', `a search of ${type} must name the patient (${how})`, [
      { path: naming[0] ?? 'patient', message: `name the patient: ${how}` },
    ]);
  }
}

/**
 * The search as the EHR is asked it: every parameter supported for the type (modifiers allowed),
 * each given once, `_count` a whole number within the vendor's page size. Throws FHIR_NOT_SERVED
 * naming the first parameter refused (the facade is strict, whatever `Prefer: handling` says).
 */
export function searchParameters(
  served: ServedType,
  query: Readonly<Record<string, string | readonly string[] | undefined>>,
  maxPageSize: number,
): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, raw] of Object.entries(query)) {
    if (raw === undefined || key === '_page') continue;
    const name = key.split(':')[0] ?? key;
    if (name !== '_count' && !served.searchParams.includes(name))
      throw notServed(`search parameter ${name} is not supported on ${served.type}`, name);
    if (typeof raw !== 'string')
      throw notServed(`search parameter ${name} is given more than once: not supported by this facade`, name);
    if (name === '_count') {
      if (!/^\d{1,6}$/.test(raw) || Number(raw) < 1)
        throw new UserError('FHIR_NOT_SERVED', '_count must be a whole number from 1', [
          { path: '_count', message: 'a whole number from 1' },
        ]);
      params['_count'] = String(Math.min(Number(raw), maxPageSize));
      continue;
    }
    params[key] = raw;
  }
  return params;
}

export function notServed(message: string, path: string): UserError {
  return new UserError('FHIR_NOT_SERVED', message, [{ path, message: 'not served by this FHIR endpoint' }]);
}

/** The FHIR search parameter type of a parameter the facade serves (for the CapabilityStatement). */
export function searchParamType(name: string): 'token' | 'reference' | 'date' | 'string' | 'number' {
  if (['_lastUpdated', 'date', 'birthdate', 'authored', 'modified'].includes(name)) return 'date';
  if (['name', 'family', 'given', 'address'].includes(name)) return 'string';
  if (
    [
      'patient',
      'subject',
      'practitioner',
      'location',
      'requester',
      'performer',
      'owner',
      'focus',
      'based-on',
      'actor',
      'encounter',
      'appointment',
      'link',
      'related',
    ].includes(name)
  )
    return 'reference';
  return 'token';
}

/**
 * @module FHIR R4 Patient → `PatientRef` (the EHR id and identifiers), and the merge links.
 * Demographics are another job (governance's identity matching); this only says which patient.
 */
import type { Patient } from '@medplum/fhirtypes';
import type { MinimumDemographics, PatientRef } from '@steward/core';
import { readReference } from './map-reference.js';
import { fhirInvalid, isObject, objectsOf, opt, optString, readIdentifiers, elementsOf } from './read-elements.js';

export function mapPatient(resource: Patient): PatientRef {
  const r = elementsOf(resource);
  return {
    ...opt('ehrId', optString(r, 'id', 'Patient')),
    identifiers: readIdentifiers(r, 'identifier', 'Patient'),
    ...opt('demographics', demographicsOf(r)),
  };
}

const genders = ['female', 'male', 'other', 'unknown'] as const;

/**
 * The minimum demographics (the official or usual name, else the first; birthDate as a full date;
 * gender), when there is a family name and a full birth date. Read leniently: a name or date Steward
 * cannot use is left out, never a reason to refuse the resource.
 */
function demographicsOf(r: Readonly<Record<string, unknown>>): MinimumDemographics | undefined {
  const names = Array.isArray(r['name']) ? r['name'].filter(isObject) : [];
  const name = names.find((n) => n['use'] === 'official' || n['use'] === 'usual') ?? names[0];
  const family = typeof name?.['family'] === 'string' ? name['family'].trim() : '';
  const birthDate = typeof r['birthDate'] === 'string' ? r['birthDate'] : '';
  if (family === '' || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) return undefined;
  const given = Array.isArray(name?.['given'])
    ? name['given'].filter((g): g is string => typeof g === 'string' && g.trim() !== '').map((g) => g.trim())
    : [];
  const gender = genders.find((g) => g === r['gender']);
  return { name: { family, given }, birthDate, ...opt('gender', gender) };
}

export interface PatientLink {
  readonly type: 'replaced-by' | 'replaces' | 'refer' | 'seealso';
  readonly other: PatientRef;
}

const linkTypes = ['replaced-by', 'replaces', 'refer', 'seealso'] as const;

/** The Patient's links to other Patients (links to RelatedPerson are not patients, skipped). */
export function patientLinks(resource: Patient): PatientLink[] {
  const r = elementsOf(resource);
  const out: PatientLink[] = [];
  objectsOf(r, 'link', 'Patient').forEach((link, i) => {
    const path = `Patient.link[${i}]`;
    const type = optString(link, 'type', path);
    if (!type || !(linkTypes as readonly string[]).includes(type))
      throw fhirInvalid(`${path}.type`, 'is not a known code');
    const other = link['other'];
    if (!isObject(other)) throw fhirInvalid(`${path}.other`, 'is required');
    const ref = readReference(other, `${path}.other`);
    if (ref.type !== undefined && ref.type !== 'Patient') return;
    const ehrId = ref.type === 'Patient' ? ref.id : undefined;
    if (ehrId === undefined && !ref.identifier) return;
    out.push({
      type: type as PatientLink['type'],
      other: { ...opt('ehrId', ehrId), identifiers: ref.identifier ? [ref.identifier] : [] },
    });
  });
  return out;
}

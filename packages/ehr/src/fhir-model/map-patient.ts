/**
 * @module FHIR R4 Patient → `PatientRef` (the EHR id and identifiers), and the merge links.
 * Demographics are another job (governance's identity matching); this only says which patient.
 */
import type { Patient } from '@medplum/fhirtypes';
import type { PatientRef } from '@steward/core';
import { readReference } from './map-reference.js';
import { fhirInvalid, isObject, objectsOf, opt, optString, readIdentifiers, elementsOf } from './read-elements.js';

export function mapPatient(resource: Patient): PatientRef {
  const r = elementsOf(resource);
  return { ...opt('ehrId', optString(r, 'id', 'Patient')), identifiers: readIdentifiers(r, 'identifier', 'Patient') };
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

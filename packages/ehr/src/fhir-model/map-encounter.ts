/**
 * @module FHIR R4 Encounter → `EncounterFacts` and its patient. Minimum necessary: reasonCode,
 * diagnosis and type (which may name a condition) are not read; the discharge disposition is an
 * operational code (home, transfer …). Tolerates the R5 shape of `class` (a list of concepts).
 */
import type { Encounter } from '@medplum/fhirtypes';
import type { EncounterFacts, PatientRef } from '@steward/core';
import { referenceTargets, toParticipant, toPatientRef } from './map-reference.js';
import {
  conceptLabel,
  fhirInvalid,
  isObject,
  objectsOf,
  opt,
  optArray,
  optObject,
  optString,
  readIdentifiers,
  reqString,
  elementsOf,
} from './read-elements.js';

export function mapEncounter(resource: Encounter): EncounterFacts {
  const r = elementsOf(resource);
  const path = 'Encounter';
  // R5 renamed period to actualPeriod.
  const periodKey = r['period'] === undefined && r['actualPeriod'] !== undefined ? 'actualPeriod' : 'period';
  const period = optObject(r, periodKey, path);
  const firstLocation = objectsOf(r, 'location', path)[0];
  return {
    kind: 'Encounter',
    ...opt('ehrId', optString(r, 'id', path)),
    identifiers: readIdentifiers(r, 'identifier', path),
    status: reqString(r, 'status', path),
    ...opt('class', encounterClass(r['class'], `${path}.class`)),
    ...opt('start', period ? optString(period, 'start', `${path}.${periodKey}`) : undefined),
    ...opt('end', period ? optString(period, 'end', `${path}.${periodKey}`) : undefined),
    ...opt(
      'location',
      firstLocation ? toParticipant(firstLocation['location'], `${path}.location[0].location`) : undefined,
    ),
    ...opt('serviceProvider', toParticipant(r['serviceProvider'], `${path}.serviceProvider`)),
    ...opt('dischargeDisposition', dischargeDisposition(resource)),
    basedOn: [
      ...referenceTargets(optArray(r, 'basedOn', path), `${path}.basedOn`),
      ...referenceTargets(optArray(r, 'appointment', path), `${path}.appointment`),
    ],
  };
}

export function dischargeDisposition(resource: Encounter): string | undefined {
  const r = elementsOf(resource);
  const hospitalization = optObject(r, 'hospitalization', 'Encounter');
  if (!hospitalization) return undefined;
  return conceptLabel(
    optObject(hospitalization, 'dischargeDisposition', 'Encounter.hospitalization'),
    'Encounter.hospitalization.dischargeDisposition',
  );
}

function encounterClass(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) {
    // R5: class is 0..* CodeableConcept.
    const first: unknown = value[0];
    if (first === undefined) return undefined;
    if (!isObject(first)) throw fhirInvalid(`${path}[0]`, 'must be an object');
    return conceptLabel(first, `${path}[0]`);
  }
  if (!isObject(value)) throw fhirInvalid(path, 'must be a Coding');
  return optString(value, 'code', path);
}

export function encounterPatient(resource: Encounter): PatientRef {
  return toPatientRef(elementsOf(resource)['subject'], 'Encounter.subject');
}

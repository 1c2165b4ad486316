/**
 * @module The patient a FHIR resource is about, whether or not it becomes an event: the journal
 * names them on the receipt (`InboundMessage.subject`), since reading a patient's resource from
 * the EHR and storing it is a PHI access even when no event comes of it (a superseded document, a
 * type's first sync). The event types use their mappers' own patient; any other resource its
 * `subject`, `patient` or `beneficiary` reference when that is to a Patient.
 */
import type { Resource } from '@medplum/fhirtypes';
import { isStewardError, type PatientRef } from '@steward/core';
import { appointmentPatient } from './map-appointment.js';
import { documentReferencePatient } from './map-document-reference.js';
import { encounterPatient } from './map-encounter.js';
import { mapPatient } from './map-patient.js';
import { readReference, resolveContainedPatients } from './map-reference.js';
import { serviceRequestPatient } from './map-service-request.js';
import { taskPatient } from './map-task.js';
import { elementsOf, isObject, opt } from './read-elements.js';

const patientElements = ['subject', 'patient', 'beneficiary'] as const;

/**
 * The patient `resource` is about; undefined when it names none (a practitioner, an organization)
 * or names them in a way Steward cannot map (the resource is then refused or filed without one:
 * this never refuses anything itself).
 */
export function subjectOf(resource: Resource): PatientRef | undefined {
  try {
    const r = resolveContainedPatients(resource);
    if (r.resourceType === 'Patient') return mapPatient(r);
    if (r.resourceType === 'Appointment') return appointmentPatient(r);
    if (r.resourceType === 'ServiceRequest') return serviceRequestPatient(r);
    if (r.resourceType === 'Task') return taskPatient(r);
    if (r.resourceType === 'Encounter') return encounterPatient(r);
    if (r.resourceType === 'DocumentReference') return documentReferencePatient(r);
    return referencedPatient(r);
  } catch (e) {
    if (isStewardError(e) && (e.code === 'FHIR_INVALID' || e.code === 'FHIR_UNSUPPORTED')) return undefined;
    throw e;
  }
}

/** The Patient a `subject`, `patient` or `beneficiary` reference points at, the first that does. */
function referencedPatient(r: Resource): PatientRef | undefined {
  const elements = elementsOf(r);
  for (const name of patientElements) {
    const value = elements[name];
    if (!isObject(value)) continue;
    const ref = readReference(value, `${r.resourceType}.${name}`);
    if (ref.type !== 'Patient' || (ref.id === undefined && ref.identifier === undefined)) continue;
    return { ...opt('ehrId', ref.id), identifiers: ref.identifier !== undefined ? [ref.identifier] : [] };
  }
  return undefined;
}

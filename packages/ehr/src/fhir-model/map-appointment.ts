/**
 * @module FHIR R4 Appointment → `AppointmentFacts` and the patient it is for. Minimum necessary:
 * reasonCode, description, comment and patientInstruction are clinical or free text and are not
 * read at all.
 */
import type { Appointment } from '@medplum/fhirtypes';
import type { AppointmentFacts, AppointmentStatus, ParticipantRef, PatientRef } from '@steward/core';
import { basedOnTargets, toParticipant, toPatientRef, readReference } from './map-reference.js';
import {
  conceptLabel,
  fhirInvalid,
  firstConceptLabel,
  isObject,
  objectsOf,
  opt,
  optArray,
  optObject,
  optString,
  readIdentifiers,
  reqCode,
} from './read-elements.js';
import type { JsonObject } from './read-elements.js';

export const appointmentStatuses = [
  'proposed',
  'pending',
  'booked',
  'arrived',
  'fulfilled',
  'cancelled',
  'noshow',
  'entered-in-error',
  'checked-in',
  'waitlist',
] as const satisfies readonly AppointmentStatus[];

export function mapAppointment(resource: Appointment): AppointmentFacts {
  const r = resource as unknown as JsonObject;
  const path = 'Appointment';
  const participants: ParticipantRef[] = [];
  objectsOf(r, 'participant', path).forEach((p, i) => {
    const actor = toParticipant(p['actor'], `${path}.participant[${i}].actor`);
    if (actor) participants.push(actor);
  });
  return {
    kind: 'Appointment',
    ...opt('ehrId', optString(r, 'id', path)),
    identifiers: readIdentifiers(r, 'identifier', path),
    status: reqCode(r, 'status', path, appointmentStatuses),
    ...opt('start', optString(r, 'start', path)),
    ...opt('end', optString(r, 'end', path)),
    ...opt('serviceType', firstConceptLabel(r, 'serviceType', path)),
    participants,
    basedOn: basedOnTargets(optArray(r, 'basedOn', path), `${path}.basedOn`),
    ...opt('cancellationReason', conceptLabel(optObject(r, 'cancelationReason', path), `${path}.cancelationReason`)),
  };
}

/** The patient: the first participant whose actor is a Patient. */
export function appointmentPatient(resource: Appointment): PatientRef {
  const r = resource as unknown as JsonObject;
  const parts = objectsOf(r, 'participant', 'Appointment');
  for (const [i, p] of parts.entries()) {
    const actor = p['actor'];
    if (isObject(actor) && readReference(actor, `Appointment.participant[${i}].actor`).type === 'Patient') {
      return toPatientRef(actor, `Appointment.participant[${i}].actor`);
    }
  }
  throw fhirInvalid('Appointment.participant', 'has no Patient actor');
}

/**
 * @module FHIR R4 Appointment → `AppointmentFacts` and the patient it is for. Minimum necessary:
 * reasonCode, description, comment and patientInstruction are clinical or free text and are not
 * read at all. R5 shapes met in the wild are read too: `subject` (the patient, when no participant
 * is one), `cancellationReason` (R5's spelling), `serviceType` as CodeableReference (`concept`).
 */
import type { Appointment } from '@medplum/fhirtypes';
import {
  UserError,
  type AppointmentFacts,
  type AppointmentStatus,
  type ParticipantRef,
  type PatientRef,
} from '@steward/core';
import { basedOnTargets, toParticipant, toPatientRef, readReference } from './map-reference.js';
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
  reqCode,
  elementsOf,
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
  const r = elementsOf(resource);
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
    ...opt('serviceType', serviceTypeLabel(r, path)),
    participants,
    basedOn: basedOnTargets(optArray(r, 'basedOn', path), `${path}.basedOn`),
    ...opt(
      'cancellationReason',
      conceptLabel(optObject(r, 'cancelationReason', path), `${path}.cancelationReason`) ??
        conceptLabel(optObject(r, 'cancellationReason', path), `${path}.cancellationReason`),
    ),
  };
}

/** R4 CodeableConcept, or R5 CodeableReference (its `concept`; a reference-only one has no label). */
function serviceTypeLabel(r: JsonObject, path: string): string | undefined {
  for (const [i, item] of objectsOf(r, 'serviceType', path).entries()) {
    const concept = isObject(item['concept']) ? item['concept'] : item;
    const label = conceptLabel(concept, `${path}.serviceType[${i}]${concept === item ? '' : '.concept'}`);
    if (label) return label;
  }
  return undefined;
}

/**
 * The patient: the first participant whose actor is a Patient, else R5's `Appointment.subject`.
 * A subject that is a Group (R5 allows it) is refused: Steward follows one patient's appointments.
 * When both name a patient they must agree; a disagreement is refused, never resolved silently.
 */
export function appointmentPatient(resource: Appointment): PatientRef {
  const r = elementsOf(resource);
  const parts = objectsOf(r, 'participant', 'Appointment');
  let fromParticipant: PatientRef | undefined;
  for (const [i, p] of parts.entries()) {
    const actor = p['actor'];
    if (isObject(actor) && readReference(actor, `Appointment.participant[${i}].actor`).type === 'Patient') {
      fromParticipant = toPatientRef(actor, `Appointment.participant[${i}].actor`);
      break;
    }
  }
  const subject = optObject(r, 'subject', 'Appointment');
  if (subject === undefined) {
    if (fromParticipant !== undefined) return fromParticipant;
    throw fhirInvalid('Appointment.participant', 'has no Patient actor');
  }
  const type = readReference(subject, 'Appointment.subject').type;
  if (type !== undefined && type !== 'Patient')
    throw new UserError(
      'FHIR_UNSUPPORTED',
      `FHIR element Appointment.subject: references a ${type === 'Group' ? 'Group' : 'non-Patient'} (R5); Steward follows one patient's appointments`,
      [{ path: 'Appointment.subject', message: 'not a Patient' }],
    );
  const fromSubject = toPatientRef(subject, 'Appointment.subject');
  if (fromParticipant !== undefined && !samePatient(fromParticipant, fromSubject))
    throw fhirInvalid('Appointment.subject', 'names another patient than the Patient participant');
  return fromParticipant ?? fromSubject;
}

function samePatient(a: PatientRef, b: PatientRef): boolean {
  if (a.ehrId !== undefined && b.ehrId !== undefined) return a.ehrId === b.ehrId;
  return a.identifiers.some((x) => b.identifiers.some((y) => x.system === y.system && x.value === y.value));
}

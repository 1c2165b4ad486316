/**
 * @module FHIR R4 Task → `TaskFacts` and its patient (`Task.for`). Minimum necessary: description,
 * note, input and output (which may carry clinical content) are not read.
 */
import type { Task } from '@medplum/fhirtypes';
import type { PatientRef, TaskFacts, TaskStatus } from '@steward/core';
import { referenceTarget, referenceTargets, toParticipant, toPatientRef } from './map-reference.js';
import { conceptLabel, opt, optArray, optObject, optString, readIdentifiers, reqCode } from './read-elements.js';
import type { JsonObject } from './read-elements.js';

export const taskStatuses = [
  'draft',
  'requested',
  'received',
  'accepted',
  'rejected',
  'ready',
  'cancelled',
  'in-progress',
  'on-hold',
  'failed',
  'completed',
  'entered-in-error',
] as const satisfies readonly TaskStatus[];

export function mapTask(resource: Task): TaskFacts {
  const r = resource as unknown as JsonObject;
  const path = 'Task';
  const restriction = optObject(r, 'restriction', path);
  const period = restriction ? optObject(restriction, 'period', `${path}.restriction`) : undefined;
  return {
    kind: 'Task',
    ...opt('ehrId', optString(r, 'id', path)),
    identifiers: readIdentifiers(r, 'identifier', path),
    status: reqCode(r, 'status', path, taskStatuses),
    ...opt('businessStatus', conceptLabel(optObject(r, 'businessStatus', path), `${path}.businessStatus`)),
    ...opt('code', conceptLabel(optObject(r, 'code', path), `${path}.code`)),
    ...opt('focus', referenceTarget(r['focus'], `${path}.focus`)),
    basedOn: referenceTargets(optArray(r, 'basedOn', path), `${path}.basedOn`),
    ...opt('owner', toParticipant(r['owner'], `${path}.owner`)),
    ...opt('dueDate', period ? optString(period, 'end', `${path}.restriction.period`) : undefined),
  };
}

export function taskPatient(resource: Task): PatientRef {
  return toPatientRef((resource as unknown as JsonObject)['for'], 'Task.for');
}

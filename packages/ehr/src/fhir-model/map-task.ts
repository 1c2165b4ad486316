/**
 * @module FHIR R4 Task → `TaskFacts` and its patient (`Task.for`). Minimum necessary: description,
 * note and input are not read; of output only the references (`valueReference`: what closes a
 * referral loop), never inline values; of statusReason only its coding, never its text.
 */
import type { Task } from '@medplum/fhirtypes';
import type { PatientRef, TaskFacts, TaskStatus } from '@steward/core';
import { basedOnTargets, referenceTarget, toParticipant, toPatientRef } from './map-reference.js';
import {
  conceptLabel,
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
import { conceptCodings } from './read-codings.js';

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
  const r = elementsOf(resource);
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
    basedOn: basedOnTargets(optArray(r, 'basedOn', path), `${path}.basedOn`),
    ...opt('owner', toParticipant(r['owner'], `${path}.owner`)),
    ...opt('dueDate', period ? optString(period, 'end', `${path}.restriction.period`) : undefined),
    outputs: outputReferences(r, path),
    ...opt('statusReason', reasonCode(optObject(r, 'statusReason', path), `${path}.statusReason`)),
  };
}

/** `Task.output[].valueReference` as relative references; outputs of other value types are not read. */
function outputReferences(r: JsonObject, path: string): string[] {
  const out: string[] = [];
  objectsOf(r, 'output', path).forEach((o, i) => {
    const target = referenceTarget(o['valueReference'], `${path}.output[${i}].valueReference`);
    if (target !== undefined) out.push(target);
  });
  return out;
}

function reasonCode(concept: JsonObject | undefined, path: string): string | undefined {
  const first = conceptCodings(concept, path)[0];
  return first === undefined ? undefined : `${first.system ?? ''}|${first.code}`;
}

export function taskPatient(resource: Task): PatientRef {
  return toPatientRef(elementsOf(resource)['for'], 'Task.for');
}

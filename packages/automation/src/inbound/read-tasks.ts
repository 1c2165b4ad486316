/**
 * @module A task list's rows as Steward's task events: the task is named by its `id` column or by
 * the EHR id in a cell's link to the screen the map's Task form shows after a submit (the task's
 * own page); `status` is translated by the read's vocabulary into a FHIR Task status, `due` read in
 * the screen's date format, the patient as for appointments. As FHIR polling decides it: a task
 * first seen is `task.created`, a change of status or due date after the state last read
 * `task.updated`.
 */
import { DateTime } from 'luxon';
import type { TaskStatus } from '@steward/core';
import { codeOf, headerOf, linkedId, noPatient, rowPatient, type RowReader } from './row-reader.js';

const taskStatuses: readonly TaskStatus[] = [
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
];

export interface TaskState {
  readonly status: TaskStatus;
  /** YYYY-MM-DD, when the row shows one. */
  readonly due?: string;
}

export const taskRows: RowReader<TaskState> = {
  resourceType: 'Task',

  read(map, read, row) {
    const view = map.forms.find((f) => f.resourceType === 'Task')?.after;
    const linked = Object.entries(row)
      .filter(([k]) => k.startsWith('@href:'))
      .map(([, href]) => linkedId(map, view, href))
      .find((v) => v !== undefined);
    const id = (row['id'] ?? '').trim() || linked || '';
    const refuse = (reason: string): { ok: false; id: string | undefined; reason: string } => ({
      ok: false,
      id: id === '' ? undefined : id,
      reason,
    });
    if (id === '') return refuse(`no column names the task (an id column, or a link to the task's page)`);
    const code = codeOf(read, 'status', row['status']);
    if (code === undefined)
      return refuse(`the ${headerOf(read, 'status')} column shows a text the map's read ${read.id} does not list`);
    if (!(taskStatuses as readonly string[]).includes(code))
      return refuse(`the map's read ${read.id} translates the ${headerOf(read, 'status')} column to no task status`);
    const dueText = (row['due'] ?? '').trim();
    const format = read.formats?.['due'] ?? 'yyyy-MM-dd';
    const due = dueText === '' ? undefined : DateTime.fromFormat(dueText, format, { zone: 'UTC' });
    if (due !== undefined && !due.isValid)
      return refuse(`the ${headerOf(read, 'due')} column is not a date as ${format}`);
    const patient = rowPatient(map, read, row);
    if (patient === undefined) return refuse(noPatient(read));
    return {
      ok: true,
      id,
      patient,
      state: { status: code as TaskStatus, ...(due !== undefined ? { due: due.toISODate() ?? '' } : {}) },
    };
  },

  changeKey: (id, s) => `screens:Task/${id}/${s.status}@${s.due ?? ''}`,

  event(id, now, before) {
    return {
      type: before === undefined ? 'task.created' : 'task.updated',
      facts: {
        kind: 'Task',
        ehrId: id,
        identifiers: [],
        status: now.status,
        basedOn: [],
        ...(now.due !== undefined ? { dueDate: now.due } : {}),
      },
    };
  },
};

// A schedule row as an appointment event: the vocabulary, the zone, the patient's link, reschedules.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { meridianMap } from '../test-kit/meridian-map.js';
import type { ReadSpec, ScreenMap } from '../model/screen-map.js';
import { appointmentEvent, appointmentRows } from './read-appointments.js';
import { taskRows } from './read-tasks.js';

const base = meridianMap('https://ehr.example.org');
const read: ReadSpec = {
  id: 'day-list',
  screen: 'task-list',
  open: [],
  table: { role: 'table', name: 'Day list' },
  columns: [
    { key: 'id', header: 'Booking' },
    { key: 'time', header: 'Start' },
    { key: 'patient', header: 'Patient' },
    { key: 'status', header: 'State' },
  ],
  rows: 'appointment',
  values: { status: { Scheduled: 'booked', 'Checked  in': 'arrived', Odd: 'maybe' } },
  formats: { time: 'h:mm a' },
};
const map: ScreenMap = { ...base, reads: [read] };
const chart = base.screens.find((s) => s.id === base.patientSearch.chart)?.path ?? '';
const link = `https://ehr.example.org${chart.replace(/:\w+/, 'p-42')}`;
const row = (over: Record<string, string> = {}): Record<string, string> => ({
  id: 'A-7',
  time: '9:30 AM',
  patient: 'Quill, Ada',
  status: 'Scheduled',
  '@href:patient': link,
  ...over,
});

describe('a schedule row as an appointment', () => {
  it("reads the time on the day in the connection's zone, the status by the vocabulary (normalised), the patient by the chart link", () => {
    const r = appointmentRows.read(map, read, row(), '2027-01-12', 'Europe/London');
    assert.deepEqual(r, {
      ok: true,
      id: 'A-7',
      state: { status: 'booked', start: '2027-01-12T09:30:00+00:00' },
      patient: { ehrId: 'p-42', identifiers: [] },
    });
    const summer = appointmentRows.read(map, read, row({ status: 'checked in' }), '2027-07-12', 'Europe/London');
    assert.equal(summer.ok && summer.state.start, '2027-07-12T09:30:00+01:00');
    assert.equal(summer.ok && summer.state.status, 'arrived');
  });

  it('refuses what it cannot read, naming the column and never the value', () => {
    const reason = (over: Record<string, string>): string => {
      const r = appointmentRows.read(map, read, row(over), '2027-01-12', 'Europe/London');
      return r.ok ? 'read' : r.reason;
    };
    assert.equal(
      reason({ status: 'Seen by Dr Who' }),
      "the State column shows a text the map's read day-list does not list",
    );
    assert.equal(
      reason({ status: 'Odd' }),
      "the map's read day-list translates the State column to no appointment status",
    );
    assert.equal(reason({ time: '25:99' }), 'the Start column is not a time as h:mm a');
    assert.equal(reason({ id: ' ' }), 'the Booking column is empty');
    assert.equal(
      reason({ '@href:patient': 'https://elsewhere.example/patients/p-42' }),
      'the Patient column has no link to a chart the map knows, and no identifier column',
    );
  });

  it('decides the events FHIR polling decides, and a reschedule against the last state read', () => {
    const at9 = { status: 'booked' as const, start: '2027-01-12T09:00:00+00:00' };
    const at10 = { status: 'booked' as const, start: '2027-01-12T10:00:00+00:00' };
    assert.deepEqual(appointmentEvent(at9, undefined), { type: 'appointment.booked' });
    assert.deepEqual(appointmentEvent(at10, at9), { type: 'appointment.rescheduled', previousStart: at9.start });
    assert.deepEqual(appointmentEvent({ ...at9, status: 'arrived' }, at9), { type: 'appointment.checked-in' });
    assert.deepEqual(appointmentEvent({ ...at9, status: 'noshow' }, at9), { type: 'appointment.no-show' });
    assert.equal(appointmentEvent({ ...at9, status: 'proposed' }, undefined), undefined);
  });
});

describe('a task list row as a task', () => {
  const tasks: ReadSpec = {
    id: 'tasks',
    screen: 'task-list',
    open: [],
    table: { role: 'table', name: 'Tasks' },
    columns: [
      { key: 'description', header: 'Task' },
      { key: 'patient', header: 'Patient' },
      { key: 'due', header: 'Due' },
      { key: 'status', header: 'State' },
    ],
    rows: 'task',
    values: { status: { Open: 'requested', 'In hand': 'in-progress' } },
    formats: { due: 'dd.MM.yyyy' },
  };
  const taskMap: ScreenMap = { ...base, reads: [tasks] };
  const taskRow = (over: Record<string, string> = {}): Record<string, string> => ({
    description: 'Call back',
    '@href:description': 'https://ehr.example.org/patients/p-42/tasks/t-9',
    patient: 'Quill, Ada',
    '@href:patient': link,
    due: '02.05.2027',
    status: 'Open',
    ...over,
  });

  it("names the task by its page's link, reads the due date in the screen's format, and files created then updated", () => {
    const r = taskRows.read(taskMap, tasks, taskRow(), '', 'UTC');
    assert.deepEqual(r, {
      ok: true,
      id: 't-9',
      patient: { ehrId: 'p-42', identifiers: [] },
      state: { status: 'requested', due: '2027-05-02' },
    });
    const state = r.ok ? r.state : { status: 'requested' as const };
    assert.equal(taskRows.event('t-9', state, undefined)?.type, 'task.created');
    assert.equal(taskRows.event('t-9', { ...state, status: 'in-progress' }, state)?.type, 'task.updated');
    assert.notEqual(taskRows.changeKey('t-9', state), taskRows.changeKey('t-9', { ...state, status: 'in-progress' }));
  });

  it('refuses a row it cannot name or read, naming the column', () => {
    const reason = (over: Record<string, string>): string => {
      const r = taskRows.read(taskMap, tasks, taskRow(over), '', 'UTC');
      return r.ok ? 'read' : r.reason;
    };
    assert.equal(
      reason({ '@href:description': 'https://ehr.example.org/home' }),
      "no column names the task (an id column, or a link to the task's page)",
    );
    assert.equal(reason({ due: 'soon' }), 'the Due column is not a date as dd.MM.yyyy');
    assert.equal(reason({ status: 'Parked' }), "the State column shows a text the map's read tasks does not list");
    assert.equal(reason({ due: '' }), 'read');
  });
});

/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call -- FHIR JSON answers are walked dynamically; the assertions are the type checks. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Appointment, Task } from '@medplum/fhirtypes';
import type { EhrEvent, EhrEventInput } from '@steward/core';
import { thirdPartyFixture } from '@steward/core/testing';
import { MemoryInboundJournal, changeEvents } from '@steward/ehr';
import { startSandboxEhr, type SandboxEhr } from '@steward/sandbox-ehr';
import { fhirFetch, tokenFor } from '@steward/sandbox-ehr/testing';
import { ScreenExecutor } from '../executor/executor.js';
import { browserUnavailable, launchBrowser } from '../executor/launch.js';
import { InMemoryRunJournal } from '../channel/run-journal.js';
import type { ScreenMap } from '../model/screen-map.js';
import { validateScreenMap } from '../maps/index.js';
import { MeridianEhr, meridianAccount } from '../test-kit/meridian-ehr.js';
import { meridianMap, meridianSystems } from '../test-kit/meridian-map.js';
import { ScreenReads, type ScreenReadsDeps } from './screen-reads.js';

const zone = 'America/New_York';
const day = '2027-03-15'; // after the change to daylight time: -04:00
const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const bot = { username: 'steward.bot', password: 'read the day sheet', totpSecret: secret };

function sandboxMap(variant: string, origin: string, connectionId: string): ScreenMap {
  const url = new URL(`../../maps/sandbox-${variant}.json`, import.meta.url);
  const raw = JSON.parse(readFileSync(url, 'utf8')) as ScreenMap;
  return validateScreenMap({ ...raw, connectionId, origin });
}

/** What a workflow reads of an appointment event, whichever channel filed it. */
const seen = (e: EhrEventInput): string => {
  const f = e.facts.kind === 'Appointment' ? e.facts : undefined;
  return [f?.ehrId, e.type, f?.status, e.patient.ehrId, f?.start === undefined ? '' : Date.parse(f.start)].join(' ');
};

describe('screen reads of the sandbox EHR schedule into the inbound journal', { skip: browserUnavailable() }, () => {
  let ehr: SandboxEhr;
  let browser: Browser;
  let token: string;
  let executor: ScreenExecutor;
  let patients: string[];
  const runs = new InMemoryRunJournal();
  const journal = new MemoryInboundJournal();
  let reads: ScreenReads;
  let deps: ScreenReadsDeps;
  let north: ScreenMap;
  const booked: Record<string, string> = {};
  const meridian = new MeridianEhr();
  let meridianOrigin: string;

  const book = async (patient: string, start: string, status: string, text: string): Promise<string> => {
    const res = await fhirFetch(ehr, token, 'POST', 'Appointment', {
      resourceType: 'Appointment',
      status,
      start,
      end: start.replace(/T(\d\d):(\d\d)/, (_m, h: string, m: string) => `T${h}:${String(Number(m) + 15)}`),
      appointmentType: { text },
      participant: [{ actor: { reference: `Patient/${patient}` }, status: 'accepted' }],
    });
    assert.equal(res.status, 201);
    return res.json.id as string;
  };

  before(async () => {
    [ehr, browser, meridianOrigin] = await Promise.all([
      startSandboxEhr({ seed: { fixturesDir: thirdPartyFixture('synthea-r4'), maxPatients: 2 }, webUsers: [bot] }),
      launchBrowser(),
      meridian.start(),
    ]);
    token = await tokenFor(ehr, ['system/*.*']);
    patients = (await fhirFetch(ehr, token, 'GET', 'Patient?_count=2')).json.entry.map(
      (e: { resource: { id: string } }) => e.resource.id,
    );
    const [p1 = '', p2 = ''] = patients;
    booked['a'] = await book(p1, `${day}T09:30:00-04:00`, 'booked', 'Follow-up');
    booked['b'] = await book(p2, `${day}T10:00:00-04:00`, 'arrived', 'New patient');
    booked['c'] = await book(p1, `${day}T14:15:00-04:00`, 'noshow', 'Follow-up');
    booked['d'] = await book(p2, `${day}T08:00:00-04:00`, 'fulfilled', 'Annual');
    await book(p1, '2027-03-16T09:30:00-04:00', 'booked', 'Another day');
    executor = new ScreenExecutor(browser, {
      credentials: {
        forRun: (_run, connectionId) => Promise.resolve(connectionId === 'c-meridian' ? meridianAccount : bot),
      },
      settleMs: 1_000,
      screenshots: false,
    });
    north = sandboxMap('north', ehr.url, 'c-north');
    deps = {
      executor,
      maps: () => Promise.resolve(north),
      runs,
      journal: () => journal,
      timeZone: () => Promise.resolve(zone),
    };
    reads = new ScreenReads(deps);
  });
  after(async () => {
    await browser?.close();
    await ehr?.close();
    await meridian.stop();
  });

  it("files the day's appointments as the events FHIR polling files for them, as a recorded read run", async () => {
    const result = await reads.read('c-north', 'schedule', day);
    assert.deepEqual(
      { rows: result.rows, events: result.events, duplicates: result.duplicates, refused: result.refused },
      { rows: 4, events: 4, duplicates: 0, refused: 0 },
    );
    const run = runs.runs.at(-1);
    assert.equal(run?.start.kind, 'read');
    assert.equal(run?.outcome?.status, 'done');
    assert.ok(run?.steps.some((s) => s.action === 'read' && s.target === 'schedule' && s.inputEvents === 0));
    const filed = await journal.events(0, 100);
    assert.ok(filed.every((e) => e.channel === 'screens' && e.connectionId === 'c-north'));
    // The same appointments as FHIR polling sees them (a first sync: no previous version).
    const fhir = (await fhirFetch(ehr, token, 'GET', `Appointment?date=ge${day}&date=lt2027-03-16`)).json.entry
      .map((e: { resource: Appointment }) => e.resource)
      .flatMap((a: Appointment) =>
        changeEvents(a, undefined, { connectionId: 'c-north', channel: 'fhir-poll', timeZone: zone }),
      );
    assert.equal(fhir.length, 4);
    assert.deepEqual(filed.map(seen).sort(), fhir.map(seen).sort());
    assert.deepEqual(filed.map((e) => e.type).sort(), [
      'appointment.booked',
      'appointment.checked-in',
      'appointment.fulfilled',
      'appointment.no-show',
    ]);
    // The start as the clinic's wall clock in its zone, with the offset.
    const a = filed.find((e) => e.sourceRef === `Appointment/${booked['a'] ?? ''}`);
    assert.equal(a?.facts.kind === 'Appointment' ? a.facts.start : '', `${day}T09:30:00-04:00`);
  });

  it('files nothing for a re-read of an unchanged schedule, and a cancellation when one is cancelled', async () => {
    const again = await reads.read('c-north', 'schedule', day);
    assert.deepEqual([again.events, again.duplicates, again.refused], [0, 4, 0]);
    const id = booked['a'] ?? '';
    const current = (await fhirFetch(ehr, token, 'GET', `Appointment/${id}`)).json as Appointment;
    const put = await fhirFetch(ehr, token, 'PUT', `Appointment/${id}`, { ...current, status: 'cancelled' });
    assert.equal(put.status, 200);
    const before = (await journal.events(0, 100)).length;
    const changed = await reads.read('c-north', 'schedule', day);
    assert.deepEqual([changed.events, changed.duplicates], [1, 3]);
    const [event] = await journal.events(before, 10);
    assert.equal(event?.type, 'appointment.cancelled');
    assert.equal(event?.sourceRef, `Appointment/${id}`);
    assert.equal(event?.patient.ehrId, patients[0]);
  });

  it('files the same events from another clinic variant, whose status words differ', async () => {
    const lakeside = sandboxMap('lakeside', ehr.url, 'c-lake');
    const other = new ScreenReads({ ...deps, maps: () => Promise.resolve(lakeside) });
    const result = await other.read('c-lake', 'schedule', day);
    assert.equal(result.events, 4);
    const byConnection = (c: string): Promise<string[]> =>
      journal.events(0, 100).then((all: readonly EhrEvent[]) =>
        all
          .filter((e) => e.connectionId === c)
          .map((e) => `${e.sourceRef} ${e.type}`)
          .sort(),
      );
    const lake = await byConnection('c-lake');
    assert.ok(lake.includes(`Appointment/${booked['a'] ?? ''} appointment.cancelled`));
    assert.deepEqual(
      lake,
      (await byConnection('c-north')).filter((e) => !e.endsWith('appointment.booked')),
    );
  });

  it("files the clinic's open tasks as the task events FHIR polling files, and a change of status as an update", async () => {
    const [p1 = '', p2 = ''] = patients;
    const postTask = async (patient: string, status: string, due?: string): Promise<string> => {
      const res = await fhirFetch(ehr, token, 'POST', 'Task', {
        resourceType: 'Task',
        status,
        intent: 'order',
        description: 'Call back about the referral',
        for: { reference: `Patient/${patient}` },
        ...(due !== undefined ? { restriction: { period: { end: due } } } : {}),
      });
      assert.equal(res.status, 201);
      return res.json.id as string;
    };
    const first = await postTask(p1, 'requested', '2027-04-01');
    await postTask(p2, 'in-progress');
    const tasks = new ScreenReads({ ...deps, maps: () => Promise.resolve(sandboxMap('summit', ehr.url, 'c-tasks')) });
    const result = await tasks.read('c-tasks', 'task-list');
    assert.equal(result.refused, 0);
    const open = (
      await fhirFetch(ehr, token, 'GET', 'Task?status=draft,requested,received,accepted,ready,in-progress,on-hold')
    ).json.entry
      .map((e: { resource: Task }) => e.resource)
      .flatMap((t: Task) =>
        changeEvents(t, undefined, { connectionId: 'c-tasks', channel: 'fhir-poll', timeZone: zone }),
      );
    assert.equal(result.events, open.length);
    const taskSeen = (e: EhrEventInput): string => {
      const f = e.facts.kind === 'Task' ? e.facts : undefined;
      return [f?.ehrId, e.type, f?.status, f?.dueDate ?? '-', e.patient.ehrId].join(' ');
    };
    const filed = (await journal.events(0, 1000)).filter((e) => e.connectionId === 'c-tasks');
    assert.deepEqual(filed.map(taskSeen).sort(), open.map(taskSeen).sort());
    assert.ok(filed.some((e) => taskSeen(e) === `${first} task.created requested 2027-04-01 ${p1}`));
    const current = (await fhirFetch(ehr, token, 'GET', `Task/${first}`)).json as Task;
    assert.equal((await fhirFetch(ehr, token, 'PUT', `Task/${first}`, { ...current, status: 'accepted' })).status, 200);
    const after = await tasks.read('c-tasks', 'task-list');
    assert.equal(after.events, 1);
    const [update] = (await journal.events(0, 1000)).filter((e) => e.connectionId === 'c-tasks').slice(-1);
    assert.equal(update === undefined ? '' : taskSeen(update), `${first} task.updated accepted 2027-04-01 ${p1}`);
  });

  it('reads a clinic list on screens it was not written for (its own words, 12-hour times, an NHS number column)', async () => {
    meridian.bookings.push(
      { ref: 'B-1', patientId: 'm-1001', date: '2027-02-01', time: '9:30 AM', attendance: 'Booked' },
      { ref: 'B-2', patientId: 'm-1002', date: '2027-02-01', time: '2:15 PM', attendance: 'Waiting' },
      { ref: 'B-3', patientId: 'm-1002', date: '2027-02-02', time: '9:00 AM', attendance: 'Booked' },
    );
    const clinic = new ScreenReads({
      ...deps,
      maps: () => Promise.resolve(meridianMap(meridianOrigin, 'c-meridian')),
      timeZone: () => Promise.resolve('Europe/London'),
    });
    const result = await clinic.read('c-meridian', 'clinic-list', '2027-02-01');
    assert.deepEqual([result.rows, result.events, result.refused], [2, 2, 0]);
    const filed = (await journal.events(0, 1000)).filter((e) => e.connectionId === 'c-meridian');
    assert.deepEqual(
      filed.map((e) => [e.type, e.sourceRef, e.facts.kind === 'Appointment' ? e.facts.start : '', e.patient]),
      [
        [
          'appointment.booked',
          'Appointment/B-1',
          '2027-02-01T09:30:00+00:00',
          { ehrId: 'm-1001', identifiers: [{ system: meridianSystems.nhs, value: '943 476 5919' }] },
        ],
        [
          'appointment.checked-in',
          'Appointment/B-2',
          '2027-02-01T14:15:00+00:00',
          { ehrId: 'm-1002', identifiers: [{ system: meridianSystems.nhs, value: '943 476 5920' }] },
        ],
      ],
    );
    const first = meridian.bookings[0];
    if (first !== undefined) first.attendance = 'Seen by nurse';
    const again = await clinic.read('c-meridian', 'clinic-list', '2027-02-01');
    assert.deepEqual([again.events, again.refused, again.duplicates], [0, 1, 1]);
    assert.deepEqual(
      (await journal.deadLetters('c-meridian')).map((d) => d.reason),
      ["screen read clinic-list: the Attendance column shows a text the map's read clinic-list does not list"],
    );
  });

  it('puts a row whose status the map does not know on the attention list, naming the column', async () => {
    const renamed: ScreenMap = {
      ...north,
      connectionId: 'c-renamed',
      reads: (north.reads ?? []).map((r) =>
        r.id === 'schedule'
          ? {
              ...r,
              values: {
                status: Object.fromEntries(Object.entries(r.values?.['status'] ?? {}).filter(([t]) => t !== 'No show')),
              },
            }
          : r,
      ),
    };
    const strict = new ScreenReads({ ...deps, maps: () => Promise.resolve(renamed) });
    const result = await strict.read('c-renamed', 'schedule', day);
    assert.deepEqual([result.events, result.refused], [3, 1]);
    const items = (await journal.deadLetters('c-renamed')).map((d) => d.reason);
    assert.deepEqual(items, [
      "screen read schedule: the Status column shows a text the map's read schedule does not list",
    ]);
    // Once: a re-read of the same row is the same item.
    const again = await strict.read('c-renamed', 'schedule', day);
    assert.deepEqual([again.events, again.refused, again.duplicates], [0, 0, 4]);
    assert.equal((await journal.deadLetters('c-renamed')).length, 1);
  });
});

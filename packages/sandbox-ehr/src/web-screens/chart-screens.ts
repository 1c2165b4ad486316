/** @module Patient search, the patient's chart, and a day's schedule. */
import type { Appointment, DocumentReference, Patient, Task } from '@medplum/fhirtypes';
import type { HttpReply } from '../fhir-server/index.js';
import { formatDate, parseDate } from './dates.js';
import { controls, esc, page, table } from './html.js';
import type { Control } from './html.js';
import {
  banner,
  externalReferenceSystem,
  htmlReply,
  identifierValue,
  mrnSystem,
  patientName,
  patientNames,
  readOrNone,
  search,
} from './screen-kit.js';
import type { ScreenContext } from './screen-kit.js';
import { noteTitle } from './note-screens.js';
import { notFound, taskTable } from './task-screens.js';

const maxResults = 50;

async function findPatients(ctx: ScreenContext, mrn: string, name: string): Promise<Patient[]> {
  const found = new Map<string, Patient>();
  if (mrn !== '') {
    for (const p of await search<Patient>(ctx.repository, 'Patient', { identifier: `${mrnSystem}|${mrn}` })) {
      found.set(p.id ?? '', p);
    }
  }
  if (name !== '') {
    for (const p of await search<Patient>(ctx.repository, 'Patient', { name, _count: String(maxResults) })) {
      found.set(p.id ?? '', p);
    }
  }
  return [...found.values()].slice(0, maxResults);
}

/** Search by MRN and/or name; Lakeside has one field for both (an MRN match, else a name search). */
export async function showPatientSearch(ctx: ScreenContext, query: URLSearchParams): Promise<HttpReply> {
  const { variant } = ctx;
  const l = variant.labels;
  let fields: Control[];
  let patients: Patient[] | undefined;
  if (variant.search === 'single') {
    const q = (query.get('q') ?? '').trim();
    fields = [{ name: 'q', label: l['search.mrn'], kind: 'text', value: q }];
    if (q !== '') {
      patients = await findPatients(ctx, q, '');
      if (patients.length === 0) patients = await findPatients(ctx, '', q);
    }
  } else {
    const mrn = (query.get('mrn') ?? '').trim();
    const name = (query.get('name') ?? '').trim();
    fields = [
      { name: 'mrn', label: l['search.mrn'], kind: 'text', value: mrn },
      { name: 'name', label: l['search.name'], kind: 'text', value: name },
    ];
    if (mrn !== '' || name !== '') patients = await findPatients(ctx, mrn, name);
  }
  const results =
    patients === undefined
      ? ''
      : patients.length === 0
        ? '<p role="status">No patients found.</p>'
        : table(
            l['search.results'],
            [l['col.patient'], l['banner.birthDate'], l['banner.gender'], l['banner.mrn']],
            patients.map((p) => [
              `<a href="${ctx.base}/patients/${esc(p.id)}">${esc(patientName(p))}</a>`,
              esc(formatDate(p.birthDate, variant.dateFormat)),
              esc(p.gender ?? ''),
              esc(identifierValue(p, mrnSystem) ?? ''),
            ]),
          );
  return htmlReply(
    200,
    page(variant, {
      title: l['search.heading'],
      user: ctx.user.displayName ?? ctx.user.username,
      body: `<h1>${esc(l['search.heading'])}</h1>
<form method="get" role="search" aria-label="${esc(l['search.heading'])}" action="${ctx.base}/patients">
${controls(variant.layout, fields, l['search.heading'])}
<div class="row"><button type="submit">${esc(l['search.submit'])}</button></div></form>
${results}`,
    }),
  );
}

export async function showChart(ctx: ScreenContext, patientId: string): Promise<HttpReply> {
  const { variant } = ctx;
  const l = variant.labels;
  const patient = await readOrNone<Patient>(ctx.repository, 'Patient', patientId);
  if (!patient) return notFound(ctx);
  const tasks = await search<Task>(ctx.repository, 'Task', {
    subject: `Patient/${patientId}`,
    _sort: '-_lastUpdated',
    _count: '50',
  });
  const notes = await search<DocumentReference>(ctx.repository, 'DocumentReference', {
    subject: `Patient/${patientId}`,
    _sort: '-_lastUpdated',
    _count: '20',
  });
  const encounterNotes = notes.filter((n) => n.type?.text === 'Encounter note');
  const noteTable = table(
    l['chart.notes'],
    [l['note.form'], l['note.date'], l['note.reference']],
    encounterNotes.map((n) => [
      `<a href="${ctx.base}/notes/${esc(n.id)}">${esc(noteTitle(variant, n))}</a>`,
      esc(formatDate(n.date, variant.dateFormat)),
      esc(n.identifier?.find((i) => i.system === externalReferenceSystem)?.value ?? ''),
    ]),
  );
  return htmlReply(
    200,
    page(variant, {
      title: patientName(patient),
      user: ctx.user.displayName ?? ctx.user.username,
      body: `${banner(variant, patient)}
<p><a href="${ctx.base}/patients/${esc(patientId)}/tasks/new">${esc(l['chart.newTask'])}</a> ·
<a href="${ctx.base}/patients/${esc(patientId)}/notes/new">${esc(l['chart.newNote'])}</a></p>
<h1>${esc(l['chart.tasks'])}</h1>${await taskTable(ctx, tasks, l['chart.tasks'], 'chart')}${
        tasks.length === 0 ? '<p>No tasks.</p>' : ''
      }
<h2>${esc(l['chart.notes'])}</h2>${noteTable}${encounterNotes.length === 0 ? '<p>No notes.</p>' : ''}`,
    }),
  );
}

const dayMs = 86_400_000;

/**
 * A day's appointments by their local start (as the EHR recorded it, with the clinic's offset). Known limit: the
 * default day is the EHR clock's UTC date, which near midnight may not be the clinic's.
 */
export async function showSchedule(ctx: ScreenContext, query: URLSearchParams): Promise<HttpReply> {
  const { variant } = ctx;
  const l = variant.labels;
  const asked = (query.get('date') ?? '').trim();
  const day = asked === '' ? ctx.now().toISOString().slice(0, 10) : parseDate(asked, variant.dateFormat);
  const dateField: Control = {
    name: 'date',
    label: l['schedule.date'],
    kind: 'text',
    value: day === undefined ? asked : formatDate(day, variant.dateFormat),
    hint: variant.dateFormat.toUpperCase(),
    ...(day === undefined
      ? { error: `${l['schedule.date']} must be written ${variant.dateFormat.toUpperCase()}.` }
      : {}),
  };
  let rows: string[][] = [];
  if (day !== undefined) {
    const t = Date.parse(`${day}T00:00:00Z`);
    const from = new Date(t - dayMs).toISOString().slice(0, 10);
    const to = new Date(t + 2 * dayMs).toISOString().slice(0, 10);
    const appointments = (
      await search<Appointment>(ctx.repository, 'Appointment', { date: [`ge${from}`, `lt${to}`], _count: '1000' })
    )
      .filter((a) => a.start?.slice(0, 10) === day)
      .sort((a, b) => (a.start ?? '').localeCompare(b.start ?? ''));
    const patientRef = (a: Appointment): string =>
      a.participant.find((p) => p.actor?.reference?.startsWith('Patient/'))?.actor?.reference ?? '';
    const names = await patientNames(ctx.repository, appointments.map(patientRef));
    rows = appointments.map((a) => {
      const ref = patientRef(a);
      const type =
        a.appointmentType?.text ??
        a.appointmentType?.coding?.[0]?.display ??
        a.serviceType?.[0]?.text ??
        a.serviceType?.[0]?.coding?.[0]?.display ??
        '';
      return [
        esc(a.start?.slice(11, 16) ?? ''),
        ref === '' ? '' : `<a href="${ctx.base}/patients/${esc(ref.slice(8))}">${esc(names.get(ref))}</a>`,
        esc(type),
        esc(variant.appointmentStatusText[a.status] ?? a.status),
        esc(a.id),
      ];
    });
  }
  return htmlReply(
    day === undefined ? 422 : 200,
    page(variant, {
      title: l['schedule.heading'],
      user: ctx.user.displayName ?? ctx.user.username,
      body: `<h1>${esc(l['schedule.heading'])}</h1>
<form method="get" aria-label="${esc(l['schedule.heading'])}" action="${ctx.base}/schedule">
${controls(variant.layout, [dateField], l['schedule.heading'])}
<div class="row"><button type="submit">${esc(l['schedule.submit'])}</button></div></form>
${day === undefined ? '' : table(l['schedule.table'], [l['col.time'], l['col.patient'], l['col.type'], l['col.status'], l['col.appointment']], rows)}
${day !== undefined && rows.length === 0 ? '<p>No appointments on this day.</p>' : ''}`,
    }),
  );
}

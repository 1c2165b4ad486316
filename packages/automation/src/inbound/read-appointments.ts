/**
 * @module A schedule's rows as Steward's appointment events, from the map's read alone: the `id`
 * column names the appointment, `status` is translated by the read's vocabulary (`values.status`:
 * the clinic's word → a FHIR Appointment status), `time` is read in the screen's format on the day
 * read, in the connection's zone, and the patient is the EHR id in the `patient` cell's link (the
 * map's chart address) and any `identifier:<system>` columns. The event types are those FHIR
 * polling decides for the same status (change-events.ts in @steward/ehr), so a workflow cannot tell
 * the channels apart. A row the mapping cannot understand is refused naming the column, never the
 * value, and never dropped.
 */
import { DateTime } from 'luxon';
import type { AppointmentFacts, AppointmentStatus, EhrEventType, PatientRef } from '@steward/core';
import type { ReadSpec, ScreenMap } from '../model/screen-map.js';
import type { ReadRow } from '../executor/read-rows.js';
import { normaliseName } from '../executor/names.js';

/** As FHIR polling decides it (`appointmentStatusEvents` in @steward/ehr's change-events.ts). */
const statusEvents: Partial<Record<AppointmentStatus, EhrEventType>> = {
  booked: 'appointment.booked',
  cancelled: 'appointment.cancelled',
  noshow: 'appointment.no-show',
  arrived: 'appointment.checked-in',
  'checked-in': 'appointment.checked-in',
  fulfilled: 'appointment.fulfilled',
};

const appointmentStatuses: readonly AppointmentStatus[] = [
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
];

/** What one row says of its appointment, or why it cannot be read (a column named, never a value). */
export type RowReading =
  | {
      readonly ok: true;
      readonly id: string;
      readonly status: AppointmentStatus;
      /** ISO-8601 with the zone's offset. */
      readonly start: string;
      readonly patient: PatientRef;
    }
  | { readonly ok: false; readonly id: string | undefined; readonly reason: string };

/** Node 24's URLPattern (global; not yet in this @types/node). */
const { URLPattern } = globalThis as unknown as {
  URLPattern: new (init: { pathname: string }) => {
    exec(input: { pathname: string }): { pathname: { groups: Record<string, string | undefined> } } | null;
  };
};

export function readAppointmentRow(
  map: ScreenMap,
  read: ReadSpec,
  row: ReadRow,
  day: string,
  zone: string,
): RowReading {
  const header = (key: string): string => read.columns.find((c) => c.key === key)?.header ?? key;
  const id = (row['id'] ?? '').trim();
  const refuse = (reason: string): RowReading => ({ ok: false, id: id === '' ? undefined : id, reason });
  if (id === '') return refuse(`the ${header('id')} column is empty`);
  const statusText = normaliseName(row['status'] ?? '');
  const vocabulary = Object.entries(read.values?.['status'] ?? {});
  const code = vocabulary.find(([text]) => normaliseName(text) === statusText)?.[1];
  if (code === undefined)
    return refuse(`the ${header('status')} column shows a text the map's read ${read.id} does not list`);
  if (!(appointmentStatuses as readonly string[]).includes(code))
    return refuse(`the map's read ${read.id} translates the ${header('status')} column to no appointment status`);
  const format = read.formats?.['time'] ?? 'HH:mm';
  const start = DateTime.fromFormat(`${day} ${(row['time'] ?? '').trim()}`, `yyyy-MM-dd ${format}`, { zone });
  if (!start.isValid) return refuse(`the ${header('time')} column is not a time as ${format}`);
  const identifiers = read.columns
    .filter((c) => c.key.startsWith('identifier:') && (row[c.key] ?? '').trim() !== '')
    .map((c) => ({ system: c.key.slice('identifier:'.length), value: (row[c.key] ?? '').trim() }));
  const ehrId = chartId(map, row['@href:patient']);
  if (ehrId === undefined && identifiers.length === 0)
    return refuse(`the ${header('patient')} column has no link to a chart the map knows, and no identifier column`);
  return {
    ok: true,
    id,
    status: code as AppointmentStatus,
    start: start.toISO({ suppressMilliseconds: true }) ?? '',
    patient: { ...(ehrId !== undefined ? { ehrId } : {}), identifiers },
  };
}

/** The EHR's patient id in a link to the chart screen (the map's chart contract's one parameter). */
function chartId(map: ScreenMap, href: string | undefined): string | undefined {
  if (href === undefined) return undefined;
  const contract = map.screens.find((s) => s.id === map.patientSearch.chart);
  if (contract === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  if (url.origin !== new URL(map.origin).origin) return undefined;
  const groups = new URLPattern({ pathname: contract.path }).exec({ pathname: url.pathname })?.pathname.groups ?? {};
  const values = Object.values(groups).filter((v): v is string => v !== undefined && v !== '');
  return values.length === 1 ? decodeURIComponent(values[0] as string) : undefined;
}

/** The event a status amounts to, given the state this process last read (undefined: none read). */
export function appointmentEvent(
  now: { readonly status: AppointmentStatus; readonly start: string },
  before: { readonly status: AppointmentStatus; readonly start: string } | undefined,
): { readonly type: EhrEventType; readonly previousStart?: string } | undefined {
  const type = statusEvents[now.status];
  if (type === undefined) return undefined;
  if (before !== undefined && before.status === 'booked' && now.status === 'booked' && before.start !== now.start)
    return { type: 'appointment.rescheduled', previousStart: before.start };
  return { type };
}

export function appointmentFacts(
  reading: Extract<RowReading, { ok: true }>,
  previousStart: string | undefined,
): AppointmentFacts {
  return {
    kind: 'Appointment',
    ehrId: reading.id,
    identifiers: [],
    status: reading.status,
    start: reading.start,
    ...(previousStart !== undefined ? { previousStart } : {}),
    participants: [],
    basedOn: [],
  };
}

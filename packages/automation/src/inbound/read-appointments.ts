/**
 * @module A schedule's rows as Steward's appointment events, from the map's read alone: the `id`
 * column names the appointment, `status` is translated by the read's vocabulary (`values.status`:
 * the clinic's word → a FHIR Appointment status), `time` is read in the screen's format on the day
 * read, in the connection's zone, and the patient is the EHR id in the `patient` cell's link (the
 * map's chart address) and any `identifier:<system>` columns. The event types are those FHIR
 * polling decides for the same status (change-events.ts in @steward/ehr), so a workflow cannot tell
 * the channels apart.
 */
import { DateTime } from 'luxon';
import type { AppointmentStatus, EhrEventType } from '@steward/core';
import { codeOf, headerOf, noPatient, rowPatient, type RowReader } from './row-reader.js';

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

export interface AppointmentState {
  readonly status: AppointmentStatus;
  /** ISO-8601 with the zone's offset. */
  readonly start: string;
}

export const appointmentRows: RowReader<AppointmentState> = {
  resourceType: 'Appointment',

  read(map, read, row, day, zone) {
    const id = (row['id'] ?? '').trim();
    const refuse = (reason: string): { ok: false; id: string | undefined; reason: string } => ({
      ok: false,
      id: id === '' ? undefined : id,
      reason,
    });
    if (id === '') return refuse(`the ${headerOf(read, 'id')} column is empty`);
    const code = codeOf(read, 'status', row['status']);
    if (code === undefined)
      return refuse(`the ${headerOf(read, 'status')} column shows a text the map's read ${read.id} does not list`);
    if (!(appointmentStatuses as readonly string[]).includes(code))
      return refuse(
        `the map's read ${read.id} translates the ${headerOf(read, 'status')} column to no appointment status`,
      );
    const format = read.formats?.['time'] ?? 'HH:mm';
    const start = DateTime.fromFormat(`${day} ${(row['time'] ?? '').trim()}`, `yyyy-MM-dd ${format}`, { zone });
    if (!start.isValid) return refuse(`the ${headerOf(read, 'time')} column is not a time as ${format}`);
    const patient = rowPatient(map, read, row);
    if (patient === undefined) return refuse(noPatient(read));
    return {
      ok: true,
      id,
      patient,
      state: { status: code as AppointmentStatus, start: start.toISO({ suppressMilliseconds: true }) ?? '' },
    };
  },

  changeKey: (id, s) => `screens:Appointment/${id}/${s.status}${s.status === 'booked' ? `@${s.start}` : ''}`,

  event(id, now, before) {
    const decided = appointmentEvent(now, before);
    if (decided === undefined) return undefined;
    return {
      type: decided.type,
      facts: {
        kind: 'Appointment',
        ehrId: id,
        identifiers: [],
        status: now.status,
        start: now.start,
        ...(decided.previousStart !== undefined ? { previousStart: decided.previousStart } : {}),
        participants: [],
        basedOn: [],
      },
    };
  },
};

/** The event a status amounts to, given the state this process last read (undefined: none read). */
export function appointmentEvent(
  now: AppointmentState,
  before: AppointmentState | undefined,
): { readonly type: EhrEventType; readonly previousStart?: string } | undefined {
  const type = statusEvents[now.status];
  if (type === undefined) return undefined;
  if (before !== undefined && before.status === 'booked' && now.status === 'booked' && before.start !== now.start)
    return { type: 'appointment.rescheduled', previousStart: before.start };
  return { type };
}

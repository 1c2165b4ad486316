/**
 * @module Messaging's own quiet hours: when a message may reach a patient. A message committed
 * inside quiet hours waits (`notBefore`) until they end, in the clinic's (or the patient's) zone;
 * a committed message is never refused for the hour. Workflows schedule by their own rules; this
 * is the last word before anything is sent, whatever proposed it.
 *
 * Rules: quiet hours run from `start` to `end` on the wall clock (`HH:mm`), past midnight when
 * `end` is earlier than `start`; equal times mean none. The end is read in the zone on the day it
 * falls: in a DST overlap the earlier of the two instants, in a gap the first instant after it.
 */
import { DateTime } from 'luxon';
import { inQuietHours, minutesOf, type QuietHours } from '@steward/core';

/** A clinic's messaging hours: its zone, and its quiet hours (null: none). */
export interface ClinicHours {
  readonly zone: string;
  readonly quiet: QuietHours | null;
}

/** The hours messages keep when a site sets none: New York, quiet from 20:00 to 08:00. */
export const defaultClinicHours: ClinicHours = { zone: 'America/New_York', quiet: { start: '20:00', end: '08:00' } };

/** The instant of a wall-clock time in a zone: the earlier one in an overlap, the first after a gap. */
function wallInstant(date: string, time: string, zone: string): Date {
  const wall = DateTime.fromISO(`${date}T${time}`, { zone });
  const wallAsUtc = DateTime.fromISO(`${date}T${time}`, { zone: 'utc' }).toMillis();
  const offsets = new Set([wall.minus({ days: 1 }).offset, wall.offset, wall.plus({ days: 1 }).offset]);
  const occurrences = [...offsets]
    .map((o) => wallAsUtc - o * 60_000)
    .filter((ms) => {
      const dt = DateTime.fromMillis(ms, { zone });
      return dt.toMillis() + dt.offset * 60_000 === wallAsUtc;
    });
  return new Date(occurrences.length > 0 ? Math.min(...occurrences) : wall.toMillis());
}

/** The first moment at or after `instant` a message may be delivered: itself, or the end of quiet hours. */
export function deliverableAt(instant: Date, zone: string, quiet: QuietHours | null): Date {
  if (quiet === null) return instant;
  const wall = DateTime.fromJSDate(instant, { zone });
  const minutes = wall.hour * 60 + wall.minute;
  if (!inQuietHours(minutes, quiet)) return instant;
  const endsTomorrow = minutesOf(quiet.start) > minutesOf(quiet.end) && minutes >= minutesOf(quiet.start);
  const day = endsTomorrow ? wall.plus({ days: 1 }) : wall;
  return wallInstant(day.toFormat('yyyy-MM-dd'), quiet.end, zone);
}

export { inQuietHours, type QuietHours };

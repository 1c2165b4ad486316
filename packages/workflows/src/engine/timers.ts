/**
 * @module Resolving a timer's spec to the instant it fires, with time zones right across DST.
 *
 * A wall-clock time that does not exist (the spring-forward gap, 02:30 on 2026-03-08 in
 * America/New_York) fires at the same wall-clock time moved forward by the gap (03:30 EDT). A
 * wall-clock time that happens twice (the fall-back overlap, 01:30 on 2026-11-01) fires at its
 * first occurrence (01:30 EDT, -04:00). This is RFC 5545's rule and Temporal's `compatible`
 * disambiguation. Luxon alone picks the second occurrence in an overlap, hence the check here.
 */
import { DateTime, IANAZone } from 'luxon';
import { ValidationError } from '@steward/core';
import type { LocalTime, TimerSpec } from './types.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}(:\d{2})?$/;

function checkZone(zone: string): void {
  if (!IANAZone.isValidZone(zone)) {
    throw new ValidationError('timer zone is not an IANA time zone', [{ path: 'zone', message: 'unknown zone' }]);
  }
}

/** The instant of a wall-clock time in a zone (gap: moved forward; overlap: first occurrence). */
export function resolveLocal(local: LocalTime): Date {
  checkZone(local.zone);
  if (!DATE.test(local.date) || !TIME.test(local.time)) {
    throw new ValidationError('timer local time is not YYYY-MM-DD and HH:mm[:ss]', [
      { path: 'local', message: 'bad format' },
    ]);
  }
  const wall = DateTime.fromISO(`${local.date}T${local.time}`, { zone: local.zone });
  if (!wall.isValid) {
    throw new ValidationError('timer local time is not a valid date', [{ path: 'local', message: 'invalid date' }]);
  }
  // Every offset in force within a day of it; each that maps the wall-clock time back to itself
  // is a real occurrence. Overlap: two match, take the earlier instant. Gap: none match, and
  // Luxon's own answer (shifted forward by the gap) stands.
  const wallAsUtc = DateTime.fromISO(`${local.date}T${local.time}`, { zone: 'utc' }).toMillis();
  const offsets = new Set([wall.minus({ days: 1 }).offset, wall.offset, wall.plus({ days: 1 }).offset]);
  const occurrences = [...offsets]
    .map((o) => wallAsUtc - o * 60_000)
    .filter((ms) => sameWall(ms, local.zone, wallAsUtc));
  return new Date(occurrences.length > 0 ? Math.min(...occurrences) : wall.toMillis());
}

function sameWall(ms: number, zone: string, wallAsUtc: number): boolean {
  const dt = DateTime.fromMillis(ms, { zone });
  return dt.toMillis() + dt.offset * 60_000 === wallAsUtc;
}

/** The instant a timer fires, for a step taken at `now`. */
export function resolveTimer(spec: TimerSpec, now: Date): Date {
  if ('at' in spec) {
    const d = new Date(spec.at);
    if (Number.isNaN(d.getTime())) {
      throw new ValidationError('timer `at` is not an ISO 8601 instant', [{ path: 'at', message: 'bad instant' }]);
    }
    return d;
  }
  if ('local' in spec) return resolveLocal(spec.local);
  const { days = 0, hours = 0, minutes = 0, seconds = 0, milliseconds = 0 } = spec.after;
  if (spec.zone === undefined) {
    return new Date(now.getTime() + (((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000 + milliseconds);
  }
  checkZone(spec.zone);
  // Calendar days in the zone first (wall-clock preserved, then re-resolved by the gap/overlap
  // rule), then the exact part.
  const start = DateTime.fromJSDate(now, { zone: spec.zone });
  let at = start.toMillis();
  if (days !== 0) {
    const moved = start.plus({ days });
    at =
      resolveLocal({
        date: moved.toFormat('yyyy-MM-dd'),
        time: moved.toFormat('HH:mm:ss'),
        zone: spec.zone,
      }).getTime() + moved.millisecond;
  }
  return new Date(at + ((hours * 60 + minutes) * 60 + seconds) * 1000 + milliseconds);
}

/**
 * The next instant, strictly after `after`, at which the wall clock in `zone` reads `time`:
 * a daily reminder at 09:00 local stays at 09:00 across DST changes.
 */
export function nextWallClock(after: Date, time: string, zone: string): Date {
  checkZone(zone);
  let day = DateTime.fromJSDate(after, { zone }).startOf('day');
  for (let i = 0; i < 3; i++) {
    const at = resolveLocal({ date: day.toFormat('yyyy-MM-dd'), time, zone });
    if (at.getTime() > after.getTime()) return at;
    day = day.plus({ days: 1 });
  }
  throw new ValidationError('no next wall-clock time found', [{ path: 'time', message: 'unresolvable' }]);
}

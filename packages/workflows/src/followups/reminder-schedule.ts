/**
 * When to remind: reminders at whole days before the appointment, at a wall-clock time in the
 * clinic's zone, shifted out of quiet hours. Pure (Luxon's zone rules only), so `decide` may use it.
 *
 * Rules: the reminder `d` days before an appointment is at `sendAt` on the zone's calendar day `d`
 * days before the appointment's day (so 10:00 stays 10:00 across a DST change). A time inside
 * quiet hours moves to the end of quiet hours (the next morning when it is in the evening part).
 * A reminder whose time has passed when the appointment is booked is sent at once (or at the end
 * of quiet hours) when it is the last one (the smallest offset), unless that is not before the
 * appointment; earlier passed ones are skipped, since a later one still comes. One that would
 * land at or after the start is skipped. Two offsets landing on the same instant send once.
 */
import { DateTime } from 'luxon';
import { inQuietHours, minutesOf, type QuietHours } from '@steward/core';
import { resolveLocal } from '../engine/index.js';
import type { LocalTime } from '../engine/index.js';

export interface ReminderPlanInput {
  /** The appointment's start (ISO 8601 with offset). */
  readonly start: string;
  /** The step's time. */
  readonly now: Date;
  readonly offsetsDays: readonly number[];
  /** `HH:mm`. */
  readonly sendAt: string;
  readonly zone: string;
  readonly quiet: QuietHours | null;
}

export interface PlannedReminder {
  readonly offsetDays: number;
  /** A wall-clock time (a timer with `local` stays right across DST) or an instant. */
  readonly when: { readonly local: LocalTime } | { readonly at: string };
  /** The instant it resolves to, for state and lists. */
  readonly dueAt: string;
}

/**
 * The first allowed moment at or after `instant`: the instant itself outside quiet hours, else
 * the end of quiet hours as a wall-clock time in `zone` (today's, or tomorrow's in the evening part).
 */
export function nextAllowed(
  instant: Date,
  zone: string,
  quiet: QuietHours | null,
): { readonly local: LocalTime } | { readonly at: string } {
  if (quiet === null) return { at: instant.toISOString() };
  const wall = DateTime.fromJSDate(instant, { zone });
  const minutes = wall.hour * 60 + wall.minute;
  if (!inQuietHours(minutes, quiet)) return { at: instant.toISOString() };
  const endsTomorrow = minutesOf(quiet.start) > minutesOf(quiet.end) && minutes >= minutesOf(quiet.start);
  const day = endsTomorrow ? wall.plus({ days: 1 }) : wall;
  return { local: { date: day.toFormat('yyyy-MM-dd'), time: quiet.end, zone } };
}

export function instantOf(when: { readonly local: LocalTime } | { readonly at: string }): Date {
  return 'local' in when ? resolveLocal(when.local) : new Date(when.at);
}

export function planReminders(input: ReminderPlanInput): PlannedReminder[] {
  const start = new Date(input.start);
  const day = DateTime.fromJSDate(start, { zone: input.zone }).startOf('day');
  const out: PlannedReminder[] = [];
  const seen = new Set<number>();
  for (const offsetDays of [...input.offsetsDays].sort((a, b) => b - a)) {
    const local: LocalTime = {
      date: day.minus({ days: offsetDays }).toFormat('yyyy-MM-dd'),
      time: input.sendAt,
      zone: input.zone,
    };
    let when: PlannedReminder['when'] = nextAllowed(resolveLocal(local), input.zone, input.quiet);
    if ('at' in when) when = { local };
    if (instantOf(when).getTime() <= input.now.getTime()) {
      // Passed: only the last reminder (the smallest offset) is caught up; a later one still comes.
      if (offsetDays !== Math.min(...input.offsetsDays)) continue;
      when = nextAllowed(input.now, input.zone, input.quiet);
    }
    const at = instantOf(when).getTime();
    if (at >= start.getTime() || seen.has(at)) continue;
    seen.add(at);
    out.push({ offsetDays, when, dueAt: new Date(at).toISOString() });
  }
  return out;
}

export { inQuietHours, type QuietHours };

/**
 * @module Quiet hours on the wall clock, shared by whoever schedules around them (messaging's last
 * word before sending; a workflow's reminder plan). Pure: minutes from midnight, no zone.
 */

export type QuietHours = {
  /** `HH:mm`: quiet from this wall-clock time … */
  readonly start: string;
  /** … to this one (the next day when it is earlier than `start`). */
  readonly end: string;
};

/** Minutes from midnight of an `HH:mm` time. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** Whether a wall-clock time of day (minutes from midnight) is in quiet hours; equal times mean none. */
export function inQuietHours(minutes: number, quiet: QuietHours): boolean {
  const s = minutesOf(quiet.start);
  const e = minutesOf(quiet.end);
  if (s === e) return false;
  return s < e ? minutes >= s && minutes < e : minutes >= s || minutes < e;
}

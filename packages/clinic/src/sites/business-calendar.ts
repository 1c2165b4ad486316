/**
 * @module A site's business calendar: wall-clock time at the site, business days (weekdays the site
 * is open, less its holidays), and its quiet hours for messages. Pure (Luxon's zone rules only), so
 * a workflow's decide step may use it with the calendar it was started with.
 *
 * Rules:
 * - A wall-clock time that does not exist (the spring-forward gap) is moved forward by the gap
 *   (02:30 becomes 03:30); one that happens twice (the fall-back overlap) is its first occurrence.
 *   The same rule as the workflow engine's timers (packages/workflows/src/engine/timers.ts).
 * - `addBusinessDays(t, n)`: the date `n` business days after `t`'s date at the site (each step
 *   moves to the next business day, so Saturday + 1 is Monday), at `t`'s wall-clock time there,
 *   re-resolved by the rule above. n = 0 keeps `t` when its date is a business day, else moves it
 *   to the next business day. Which days are business days is the site's; the hours of a day do
 *   not cut it short (a due time at 18:00 stays at 18:00).
 * - `addBusinessMinutes(t, n)`: the instant when `n` minutes of the site's opening hours have passed
 *   since `t` (time outside opening hours, closed days and holidays does not count); n = 0 gives `t`
 *   when the site is open then, else its next opening. Minutes are elapsed time, so an opening day
 *   that holds a DST change counts its real length.
 * - Quiet hours run from `start` to `end` (past midnight when `end` is earlier); equal times: none.
 */
import { DateTime } from 'luxon';
import { inQuietHours, minutesOf, ValidationError } from '@steward/core';
import { isValidZone, weekdays, type SiteClock } from './site-model.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}(:\d{2})?$/;
/** A site closed every day, or with every day a holiday, has no next business day: stop looking. */
const SEARCH_DAYS = 3660;

export class BusinessCalendar {
  readonly zone: string;
  private readonly holidays: ReadonlySet<string>;

  constructor(private readonly clock: SiteClock) {
    if (!isValidZone(clock.zone))
      throw new ValidationError('site zone is not an IANA time zone', [{ path: 'zone', message: 'unknown zone' }]);
    this.zone = clock.zone;
    this.holidays = new Set(clock.holidays);
  }

  /** The instant of a wall-clock time at the site (gap: moved forward; overlap: first occurrence). */
  at(date: string, time: string): Date {
    if (!DATE.test(date) || !TIME.test(time))
      throw new ValidationError('local time is not YYYY-MM-DD and HH:mm[:ss]', [
        { path: 'local', message: 'bad format' },
      ]);
    const wall = DateTime.fromISO(`${date}T${time}`, { zone: this.zone });
    if (!wall.isValid)
      throw new ValidationError('local time is not a valid date', [{ path: 'local', message: 'invalid date' }]);
    // Every offset in force within a day of it; each that maps the wall-clock time back to itself
    // is a real occurrence. Overlap: two match, the earlier wins. Gap: none, Luxon's forward shift stands.
    const wallAsUtc = DateTime.fromISO(`${date}T${time}`, { zone: 'utc' }).toMillis();
    const offsets = new Set([wall.minus({ days: 1 }).offset, wall.offset, wall.plus({ days: 1 }).offset]);
    const occurrences = [...offsets]
      .map((o) => wallAsUtc - o * 60_000)
      .filter((ms) => {
        const dt = DateTime.fromMillis(ms, { zone: this.zone });
        return dt.toMillis() + dt.offset * 60_000 === wallAsUtc;
      });
    return new Date(occurrences.length > 0 ? Math.min(...occurrences) : wall.toMillis());
  }

  /** The site's date (`YYYY-MM-DD`) at an instant. */
  dateOf(instant: Date): string {
    return DateTime.fromJSDate(instant, { zone: this.zone }).toFormat('yyyy-MM-dd');
  }

  /** The site's wall-clock time (`HH:mm:ss`) at an instant. */
  timeOf(instant: Date): string {
    return DateTime.fromJSDate(instant, { zone: this.zone }).toFormat('HH:mm:ss');
  }

  /** Whether the site is open that date: its weekday has hours and it is not a holiday. */
  isBusinessDay(date: string): boolean {
    const weekday = weekdays[DateTime.fromISO(date, { zone: 'utc' }).weekday - 1];
    return weekday !== undefined && this.clock.businessHours[weekday] !== null && !this.holidays.has(date);
  }

  /** The first business day strictly after `date`. */
  nextBusinessDay(date: string): string {
    let d = DateTime.fromISO(date, { zone: 'utc' });
    for (let i = 0; i < SEARCH_DAYS; i++) {
      d = d.plus({ days: 1 });
      const iso = d.toFormat('yyyy-MM-dd');
      if (this.isBusinessDay(iso)) return iso;
    }
    throw new ValidationError('the site has no business day in ten years', [
      { path: 'businessHours', message: 'no open weekday outside holidays' },
    ]);
  }

  /** `n` business days after `instant`, at the same wall-clock time at the site (rules above). */
  addBusinessDays(instant: Date, n: number): Date {
    if (!Number.isInteger(n) || n < 0)
      throw new ValidationError('business days must be a whole number, 0 or more', [{ path: 'days', message: 'bad' }]);
    let date = this.dateOf(instant);
    if (n === 0 && this.isBusinessDay(date)) return instant;
    if (n === 0) n = 1;
    for (let i = 0; i < n; i++) date = this.nextBusinessDay(date);
    return this.at(date, this.timeOf(instant));
  }

  /** The instant `n` minutes of opening hours after `instant` (rules above). */
  addBusinessMinutes(instant: Date, n: number): Date {
    if (!Number.isInteger(n) || n < 0)
      throw new ValidationError('business minutes must be a whole number, 0 or more', [
        { path: 'minutes', message: 'bad' },
      ]);
    let left = n * 60_000;
    let t = instant.getTime();
    let date = this.dateOf(instant);
    for (let i = 0; i < SEARCH_DAYS; i++) {
      const hours = this.isBusinessDay(date) ? this.#hoursOf(date) : null;
      if (hours !== null) {
        const open = this.at(date, hours.open).getTime();
        const close = this.at(date, hours.close).getTime();
        const start = Math.max(t, open);
        if (start < close) {
          if (left <= close - start) return new Date(start + left);
          left -= close - start;
        }
      }
      date = DateTime.fromISO(date, { zone: 'utc' }).plus({ days: 1 }).toFormat('yyyy-MM-dd');
      t = this.at(date, '00:00').getTime();
    }
    throw new ValidationError('the site has no opening hours in ten years', [
      { path: 'businessHours', message: 'no open weekday outside holidays' },
    ]);
  }

  #hoursOf(date: string): { readonly open: string; readonly close: string } | null {
    const weekday = weekdays[DateTime.fromISO(date, { zone: 'utc' }).weekday - 1];
    return weekday === undefined ? null : this.clock.businessHours[weekday];
  }

  /** Whether an instant falls in the site's quiet hours. */
  inQuietHours(instant: Date): boolean {
    const q = this.clock.quietHours;
    if (q === null) return false;
    const wall = DateTime.fromJSDate(instant, { zone: this.zone });
    return inQuietHours(wall.hour * 60 + wall.minute, q);
  }

  /** The first moment at or after `instant` outside quiet hours: itself, or when they end at the site. */
  deliverableAt(instant: Date): Date {
    const q = this.clock.quietHours;
    if (q === null || !this.inQuietHours(instant)) return instant;
    const wall = DateTime.fromJSDate(instant, { zone: this.zone });
    const minutes = wall.hour * 60 + wall.minute;
    const endsTomorrow = minutesOf(q.start) > minutesOf(q.end) && minutes >= minutesOf(q.start);
    const day = endsTomorrow ? wall.plus({ days: 1 }) : wall;
    return this.at(day.toFormat('yyyy-MM-dd'), q.end);
  }
}

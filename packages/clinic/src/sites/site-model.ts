/**
 * @module What a site is: the code grants, break-glass, EHR connections and workflows already carry,
 * with a name, its clock (IANA zone, business hours per weekday, holidays, quiet hours for
 * messages), the EHR organizations and locations that belong to it, and references to its default
 * owner pool and escalation contacts (checked against the staff records by the registry, once staff exist). Validation here, all problems at once.
 */
import { IANAZone } from 'luxon';
import { ValidationError, type ErrorDetail, type QuietHours } from '@steward/core';

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

/** Open from `open` to `close` (`HH:mm`, same day). */
export interface OpeningHours {
  readonly open: string;
  readonly close: string;
}

/** Per weekday: the opening hours, or null when the site is closed that day (not a business day). */
export type BusinessHours = Readonly<Record<Weekday, OpeningHours | null>>;

/** The parts of a site that make its clock: what calendars, reminders and due dates read. */
export interface SiteClock {
  readonly zone: string;
  readonly businessHours: BusinessHours;
  /** `YYYY-MM-DD` dates, at the site, that are not business days. */
  readonly holidays: readonly string[];
  /** When messages wait; null: none. */
  readonly quietHours: QuietHours | null;
}

export interface Site extends SiteClock {
  readonly id: string;
  readonly name: string;
  /** EHR organizations and locations of this site (`Organization/1`, `Location/7`): free-form for now. */
  readonly ehrRefs: readonly string[];
  /** Who owns new work at this site by default: a pool of the site (checked once staff exist; older values kept as stored). */
  readonly ownerPool: string | null;
  /** Whom escalations go to: pools or staff members (checked once staff exist; older values kept as stored). */
  readonly escalationContacts: readonly string[];
  readonly version: number;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedBy: string;
  readonly updatedAt: string;
}

/** What an administrator sets. On add, `name` and `zone` are required; the rest has defaults. */
export interface SiteInput {
  readonly name?: string;
  readonly zone?: string;
  readonly businessHours?: Partial<Record<Weekday, OpeningHours | null>>;
  readonly holidays?: readonly string[];
  readonly quietHours?: QuietHours | null;
  readonly ehrRefs?: readonly string[];
  readonly ownerPool?: string | null;
  readonly escalationContacts?: readonly string[];
}

/** Monday to Friday, 08:00 to 17:00: a new site's hours unless it says otherwise. */
export const defaultBusinessHours: BusinessHours = {
  mon: { open: '08:00', close: '17:00' },
  tue: { open: '08:00', close: '17:00' },
  wed: { open: '08:00', close: '17:00' },
  thu: { open: '08:00', close: '17:00' },
  fri: { open: '08:00', close: '17:00' },
  sat: null,
  sun: null,
};

/** Messages wait from 20:00 to 08:00 unless a site says otherwise (the hours messaging kept before sites). */
export const defaultQuietHours: QuietHours = { start: '20:00', end: '08:00' };

/** The same site code grants and break-glass accept. */
export const siteCode = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const REF = /^[^\s]{1,200}$/;

export function isValidZone(zone: string): boolean {
  // Luxon accepts fixed offsets ("UTC+3") as zones; a site's zone must be a named IANA zone.
  return IANAZone.isValidZone(zone) && /^[A-Za-z]/.test(zone);
}

function validDate(d: string): boolean {
  if (!DATE.test(d)) return false;
  const t = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
}

/** Checks an add (`complete`) or an update, and returns the problems (empty: valid). */
export function siteProblems(id: string, input: SiteInput, complete: boolean): ErrorDetail[] {
  const p: ErrorDetail[] = [];
  if (!siteCode.test(id)) p.push({ path: 'id', message: 'a lowercase site code (a-z, 0-9, . _ -), at most 64' });
  if (input.name !== undefined ? input.name.trim() === '' || input.name.length > 200 : complete)
    p.push({ path: 'name', message: 'required, at most 200 characters' });
  if (input.zone !== undefined ? !isValidZone(input.zone) : complete)
    p.push({ path: 'zone', message: 'an IANA time zone such as America/Los_Angeles (required)' });
  for (const [day, hours] of Object.entries(input.businessHours ?? {})) {
    if (!(weekdays as readonly string[]).includes(day)) {
      p.push({ path: `businessHours.${day}`, message: `a weekday: ${weekdays.join(', ')}` });
      continue;
    }
    if (hours === null) continue;
    if (!HHMM.test(hours.open) || !HHMM.test(hours.close) || hours.open >= hours.close)
      p.push({ path: `businessHours.${day}`, message: 'open and close as HH:mm, open before close, or null (closed)' });
  }
  (input.holidays ?? []).forEach((d, i) => {
    if (!validDate(d)) p.push({ path: `holidays.${i}`, message: 'a date YYYY-MM-DD' });
  });
  if (input.holidays !== undefined && input.holidays.length > 1000)
    p.push({ path: 'holidays', message: 'at most 1000 dates' });
  const q = input.quietHours;
  if (q !== undefined && q !== null && (!HHMM.test(q.start) || !HHMM.test(q.end)))
    p.push({ path: 'quietHours', message: 'start and end as HH:mm, or null (none)' });
  for (const [field, list] of [
    ['ehrRefs', input.ehrRefs],
    ['escalationContacts', input.escalationContacts],
  ] as const) {
    (list ?? []).forEach((r, i) => {
      if (!REF.test(r))
        p.push({ path: `${field}.${i}`, message: 'a reference without spaces, at most 200 characters' });
    });
    if (list !== undefined && list.length > 200) p.push({ path: field, message: 'at most 200 entries' });
  }
  if (input.ownerPool !== undefined && input.ownerPool !== null && !REF.test(input.ownerPool))
    p.push({ path: 'ownerPool', message: 'a reference without spaces, at most 200 characters, or null' });
  return p;
}

export function validateSite(id: string, input: SiteInput, complete: boolean): void {
  const problems = siteProblems(id, input, complete);
  if (problems.length > 0) throw new ValidationError('invalid site', problems);
}

/** Hours with every weekday present: given days replace the base's. */
export function mergeHours(base: BusinessHours, given: SiteInput['businessHours']): BusinessHours {
  const out: Record<Weekday, OpeningHours | null> = { ...base };
  for (const d of weekdays) {
    const h = given?.[d];
    if (h !== undefined) out[d] = h === null ? null : { open: h.open, close: h.close };
  }
  return out;
}

/** Sorted, without repeats. */
export function normalDates(dates: readonly string[]): string[] {
  return [...new Set(dates)].sort();
}

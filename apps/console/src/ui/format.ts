/**
 * @module Dates, durations and masking as the console shows them. Instants are shown in the site's
 * time zone with its abbreviation ("Dec 7, 2026, 09:30 AM EST"): the shell sets the zone of the
 * site being worked on (`setDisplayZone`), and a caller may name another. Until one is set (or for
 * a zone the browser does not know) the viewer's own zone is used, still with its abbreviation.
 */

let displayZone: string | undefined;

/** The zone instants are shown in by default: the current site's (undefined: the viewer's). */
export function setDisplayZone(zone: string | undefined): void {
  displayZone = zone !== undefined && isZone(zone) ? zone : undefined;
}

export function getDisplayZone(): string | undefined {
  return displayZone;
}

/** Whether the browser knows this IANA zone. */
export function isZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function zoneOption(zone: string | undefined): { timeZone?: string } {
  const z = zone ?? displayZone;
  return z !== undefined && isZone(z) ? { timeZone: z } : {};
}

/** An instant as a date and time in `zone` (default: the site's), with the zone's abbreviation. */
export function formatDateTime(iso: string | undefined, zone?: string): string {
  if (iso === undefined) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? '—'
    : d.toLocaleString(undefined, {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        timeZoneName: 'short',
        ...zoneOption(zone),
      });
}

/** An instant's time of day in `zone` (default: the site's), with the abbreviation: "09:30 AM EST". */
export function formatTime(iso: string | undefined, zone?: string): string {
  if (iso === undefined) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? '—'
    : d.toLocaleTimeString(undefined, {
        hour: '2-digit',
        minute: '2-digit',
        timeZoneName: 'short',
        ...zoneOption(zone),
      });
}

/** The abbreviation of `zone` (default: the site's) at `at`: "EST", "EDT", "GMT+1" where none is usual. */
export function zoneAbbreviation(at: Date = new Date(), zone?: string): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short', ...zoneOption(zone) })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? '';
}

export function formatDate(iso: string | undefined, zone?: string): string {
  if (iso === undefined) return '—';
  // A date without a time (a birth date, FHIR `date`) is a calendar day, not an instant: shown as
  // written, never moved to the day before by a viewer west of UTC. An instant's day is the site's.
  const calendarDay = /^\d{4}(-\d{2}(-\d{2})?)?$/.test(iso);
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  if (calendarDay && iso.length === 4) return iso;
  return d.toLocaleDateString(undefined, {
    year: 'numeric',
    month: 'short',
    ...(iso.length === 7 ? {} : { day: 'numeric' }),
    ...(calendarDay ? { timeZone: 'UTC' } : zoneOption(zone)),
  });
}

/** "3 h", "2 d": how long ago (positive) or from now (negative). Never "60 min" or "24 h": a value that rounds up to the next unit is shown in it. */
export function formatAge(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.round(s / 3600);
  if (h < 24) return `${h} h`;
  return `${Math.round(s / 86_400)} d`;
}

/** Relative due time: "due in 3 h", "overdue by 2 d". */
export function formatDue(iso: string | undefined, now = Date.now()): string {
  if (iso === undefined) return 'no due time';
  const delta = Date.parse(iso) - now;
  return delta >= 0 ? `due in ${formatAge(delta)}` : `overdue by ${formatAge(delta)}`;
}

/**
 * An identifier shown only as far as the task needs: its last four characters. Used where a role
 * must tell records apart but not read the identifier (minimum necessary).
 */
export function maskIdentifier(value: string): string {
  return value.length <= 4 ? '••••' : `••••${value.slice(-4)}`;
}

/** A Steward id shortened for display; the full id is in the title attribute. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** Abbreviations kept in capitals when a code is turned into words. */
const abbreviations = new Set([
  'ehr',
  'fhir',
  'hl7',
  'mllp',
  'mrn',
  'id',
  'api',
  'url',
  'sms',
  'mfa',
  'totp',
  'tls',
  'baa',
  'phi',
  'ssn',
  'adt',
  'siu',
  'oru',
  'orm',
  'mdm',
]);

/**
 * A code as words for people: "EHR_UNAVAILABLE" → "EHR unavailable", "appointment.status" →
 * "Appointment status", "noShow" → "No show". Words are lower case (a code in capitals is not
 * shouting) except known abbreviations; the first letter is a capital.
 */
export function humanize(code: string): string {
  const words = code
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s._-]+/)
    .filter((w) => w !== '')
    .map((w) => (abbreviations.has(w.toLowerCase()) ? w.toUpperCase() : w.toLowerCase()));
  const s = words.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** `YYYY-MM-DD` of the calendar day `at` falls on in `zone` (default: the site's). */
export function dayInZone(at: Date, zone?: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...zoneOption(zone),
  }).formatToParts(at);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Minutes `zone` is ahead of UTC at `ms`. */
function offsetMinutes(ms: number, zone: string | undefined): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    ...zoneOption(zone),
  }).formatToParts(new Date(ms));
  const n = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return (
    (Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute')) - Math.floor(ms / 60_000) * 60_000) / 60_000
  );
}

/** The instant (ISO) midnight starts `date` (`YYYY-MM-DD`) plus `days` in `zone` (default: the site's). */
export function startOfDayInZone(date: string, days = 0, zone?: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days);
  // Twice: the offset at the first guess may differ from the offset at midnight (a DST change that day).
  const first = wall - offsetMinutes(wall, zone) * 60_000;
  return new Date(wall - offsetMinutes(first, zone) * 60_000).toISOString();
}

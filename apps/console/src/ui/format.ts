/** @module Dates, durations and masking as the console shows them. */

export function formatDateTime(iso: string | undefined): string {
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
      });
}

export function formatDate(iso: string | undefined): string {
  if (iso === undefined) return '—';
  // A date without a time (a birth date, FHIR `date`) is a calendar day, not an instant: shown as
  // written, never moved to the day before by a viewer west of UTC.
  const calendarDay = /^\d{4}(-\d{2}(-\d{2})?)?$/.test(iso);
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  if (calendarDay && iso.length === 4) return iso;
  return d.toLocaleDateString(undefined, {
    year: 'numeric',
    month: 'short',
    ...(iso.length === 7 ? {} : { day: 'numeric' }),
    ...(calendarDay ? { timeZone: 'UTC' } : {}),
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

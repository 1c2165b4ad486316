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

/** "3 h", "2 d": how long ago (positive) or from now (negative). */
export function formatAge(ms: number): string {
  const abs = Math.abs(ms);
  const s = Math.round(abs / 1000);
  const text =
    s < 60
      ? `${s} s`
      : s < 3600
        ? `${Math.round(s / 60)} min`
        : s < 86_400
          ? `${Math.round(s / 3600)} h`
          : `${Math.round(s / 86_400)} d`;
  return text;
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

export function humanize(code: string): string {
  const s = code.replace(/[._-]+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

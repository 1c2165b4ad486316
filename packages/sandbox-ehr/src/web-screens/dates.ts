/** @module A clinic's own date format, shown and parsed strictly (a date that does not exist is refused). */
import type { DateFormat } from './variants.js';

const patterns: Record<DateFormat, RegExp> = {
  'MM/dd/yyyy': /^(?<m>\d{2})\/(?<d>\d{2})\/(?<y>\d{4})$/,
  'dd.MM.yyyy': /^(?<d>\d{2})\.(?<m>\d{2})\.(?<y>\d{4})$/,
  'yyyy-MM-dd': /^(?<y>\d{4})-(?<m>\d{2})-(?<d>\d{2})$/,
};

/** `2026-12-31` (a FHIR date, or the date part of a dateTime) in the clinic's format. */
export function formatDate(fhirDate: string | undefined, format: DateFormat): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(fhirDate ?? '');
  if (!match) return '';
  const [, y, m, d] = match;
  return format.replace('yyyy', y!).replace('MM', m!).replace('dd', d!);
}

/** The FHIR date (`yyyy-MM-dd`) of text in the clinic's format, or undefined when it is not one. */
export function parseDate(text: string, format: DateFormat): string | undefined {
  const groups = patterns[format].exec(text.trim())?.groups;
  if (!groups) return undefined;
  const [y, m, d] = [Number(groups['y']), Number(groups['m']), Number(groups['d'])];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return `${groups['y']}-${groups['m']}-${groups['d']}`;
}

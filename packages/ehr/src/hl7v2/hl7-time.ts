/**
 * @module HL7 v2 DTM/TS values (`YYYY[MM[DD[HH[MM[SS[.S+]]]]]][+/-ZZZZ]`) → ISO-8601 strings.
 *
 * - An explicit offset is kept as given (`202109241120+0215` → `2021-09-24T11:20+02:15`): the
 *   instant and the sender's local clock both survive.
 * - A zone-less time is read in the connection's configured facility IANA zone, explicitly, and
 *   written with that zone's offset at that moment; the caller is told (`onZoneInferred`), so the
 *   event records that the zone was inferred. A connection may refuse such times instead
 *   (`zoneless: 'refuse'`). DST, chosen to match Temporal's `compatible`
 *   disambiguation (and java.time's default): a local time in a spring-forward gap is shifted
 *   forward by the gap (02:30 on a 02:00→03:00 day becomes 03:30 daylight time); a local time that
 *   occurs twice in a fall-back overlap is the earlier of the two instants (daylight time).
 * - Precision is kept: a date-only value stays a date (`2021-09-24`, no offset, as a FHIR `date`);
 *   year and year-month stay `2021` and `2021-09`. Times are written to at least minutes
 *   (an hour-only value gets `:00`), seconds and fractions only when given.
 *
 * Invalid values (bad digits, month 13, 31 February, offset beyond ±14:00) throw `HL7_INVALID`
 * naming the field, never the value. A trailing `^precision` component (TS in v2.3–2.5) is ignored.
 */
import { DateTime, IANAZone } from 'luxon';
import { UserError } from '@steward/core';

// Fractional seconds: `.S` to `.SSSS` per DTM, and defensively what feeds send: more digits
// (microseconds) and milliseconds with no decimal point (`YYYYMMDDHHMMSSsss`).
const pattern =
  /^(\d{4})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:\.(\d{1,9})|(\d{3}))?)?)?)?)?)?([+-]\d{4})?$/;

export interface Hl7TimeOptions {
  /** IANA zone for values without an offset, e.g. `America/New_York`. */
  readonly zone: string;
  /** Field name for error messages, e.g. `EVN-2`. */
  readonly field: string;
  /**
   * A time without an offset: `infer` (default) reads it in `zone` and calls `onZoneInferred`, so
   * the caller can record that the zone was Steward's assumption; `refuse` throws `HL7_INVALID`.
   */
  readonly zoneless?: 'infer' | 'refuse';
  readonly onZoneInferred?: (field: string) => void;
}

function invalid(field: string): UserError {
  return new UserError('HL7_INVALID', `${field} is not a valid HL7 date/time`);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function pad(n: number, width = 2): string {
  return String(Math.abs(n)).padStart(width, '0');
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${pad(Math.trunc(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

/**
 * Converts an HL7 time. Returns undefined for an empty value or HL7's explicit null (`""`);
 * throws `HL7_INVALID` for a bad one.
 * The result is a date (`YYYY[-MM[-DD]]`) when the value has no time part, otherwise a date-time
 * with an explicit offset.
 */
export function hl7TimeToIso(value: string, options: Hl7TimeOptions): string | undefined {
  const text = value.trim();
  // `""` is HL7's explicit null ("this value is now empty", v2 chapter 2.5.3): no time, not a bad one.
  if (text === '' || text === '""') return undefined;
  const m = pattern.exec(text);
  if (m === null) throw invalid(options.field);
  const [, y, mo, d, h, mi, s, dotted, bare, offset] = m;
  const frac = dotted ?? bare;
  const year = Number(y);
  const month = mo === undefined ? 1 : Number(mo);
  const day = d === undefined ? 1 : Number(d);
  if (month < 1 || month > 12) throw invalid(options.field);
  // The proleptic Gregorian calendar, as luxon checks it (without building a DateTime per value).
  if (day < 1 || day > daysInMonth(year, month)) throw invalid(options.field);

  if (h === undefined) {
    // A date (or year, or year-month) has no instant: keep it a date, without an offset.
    if (mo === undefined) return `${y}`;
    if (d === undefined) return `${y}-${mo}`;
    return `${y}-${mo}-${d}`;
  }
  const hour = Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (hour > 23 || minute > 59 || second > 59) throw invalid(options.field);

  let offsetMinutes: number;
  let local: { year: number; month: number; day: number; hour: number; minute: number };
  if (offset !== undefined) {
    const oh = Number(offset.slice(1, 3));
    const om = Number(offset.slice(3, 5));
    if (om > 59 || oh * 60 + om > 14 * 60) throw invalid(options.field);
    offsetMinutes = (offset.startsWith('-') ? -1 : 1) * (oh * 60 + om);
    local = { year, month, day, hour, minute };
  } else {
    if (options.zoneless === 'refuse')
      throw new UserError(
        'HL7_INVALID',
        `${options.field} has a time without a UTC offset, and this connection refuses zone-less times`,
      );
    options.onZoneInferred?.(options.field);
    const resolved = resolveInZone({ year, month, day, hour, minute, second }, options.zone);
    offsetMinutes = resolved.offset;
    local = resolved.local;
  }

  let out = `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}T${pad(local.hour)}:${pad(local.minute)}`;
  if (s !== undefined) out += `:${s}`;
  if (frac !== undefined) out += `.${frac}`;
  return out + formatOffset(offsetMinutes);
}

/**
 * Like `hl7TimeToIso`, but always an instant: a date-only value is read as midnight in the
 * facility zone. For `occurredAt`, which must carry an offset.
 */
export function hl7InstantToIso(value: string, options: Hl7TimeOptions): string | undefined {
  const iso = hl7TimeToIso(value, options);
  if (iso === undefined || iso.includes('T')) return iso;
  const padded =
    iso.length === 4 ? `${iso}0101` : iso.length === 7 ? `${iso.replace('-', '')}01` : iso.replace(/-/g, '');
  return hl7TimeToIso(`${padded}00`, options);
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Finds the offset of a wall-clock time in an IANA zone, with the DST choices documented above. */
function resolveInZone(
  t: LocalTime,
  zoneName: string,
): { offset: number; local: { year: number; month: number; day: number; hour: number; minute: number } } {
  const zone = IANAZone.create(zoneName);
  if (!zone.isValid) throw new UserError('HL7_INVALID', 'the facility time zone is not a valid IANA zone');
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  // The offsets in force a little before and after: at most two candidates around a transition.
  const candidates = new Set([zone.offset(asUtc - 86_400_000), zone.offset(asUtc), zone.offset(asUtc + 86_400_000)]);
  let best: number | undefined;
  let bestOffset = 0;
  for (const offset of candidates) {
    const instant = asUtc - offset * 60_000;
    if (zone.offset(instant) !== offset) continue; // this offset is not in force at that instant
    if (best === undefined || instant < best) {
      best = instant;
      bestOffset = offset;
    }
  }
  if (best !== undefined) return { offset: bestOffset, local: t };
  // In a gap: luxon moves the wall clock forward by the gap's length.
  const shifted = DateTime.fromObject(t, { zone });
  return {
    offset: shifted.offset,
    local: { year: shifted.year, month: shifted.month, day: shifted.day, hour: shifted.hour, minute: shifted.minute },
  };
}

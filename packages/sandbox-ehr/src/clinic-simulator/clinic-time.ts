/**
 * @module Wall-clock arithmetic in the clinic's IANA time zone with Node's Intl only (the sandbox
 * may not depend on a date library). Instants are epoch milliseconds; a "local date" is the
 * calendar day on the clinic's wall. Known limit: a local time that does not exist (inside a
 * spring-forward gap) resolves to the instant one offset later; clinic hours never fall there.
 */

export interface LocalDate {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number;
}

export interface LocalDateTime extends LocalDate {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
}

const pad = (n: number, w = 2): string => String(Math.abs(n)).padStart(w, '0');

/** One zone's formatter, held by whoever needs it (no module-level state). */
export class ClinicZone {
  readonly zone: string;
  readonly #fmt: Intl.DateTimeFormat;

  constructor(zone: string) {
    this.zone = zone;
    // 'longOffset' renders e.g. "GMT-04:00" (or "GMT" at zero); supported since Node 18.
    this.#fmt = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
  }

  /** Minutes east of UTC at that instant (New York: -300 in winter, -240 in summer). */
  offsetMinutes(ms: number): number {
    const name = this.#fmt.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /^GMT([+-])(\d{1,2})(?::(\d{2}))?$/.exec(name);
    if (!m) return 0;
    const minutes = Number(m[2]) * 60 + Number(m[3] ?? '0');
    return m[1] === '-' ? -minutes : minutes;
  }

  local(ms: number): LocalDateTime {
    const d = new Date(ms + this.offsetMinutes(ms) * 60_000);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      weekday: d.getUTCDay(),
    };
  }

  /** The instant at which the clinic's wall clock shows that date and time. */
  instant(date: LocalDate, hour: number, minute = 0): number {
    const wall = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
    const first = wall - this.offsetMinutes(wall) * 60_000;
    return wall - this.offsetMinutes(first) * 60_000;
  }

  /** FHIR instant with the clinic's offset, e.g. 2024-03-11T09:00:00-04:00. */
  fhir(ms: number): string {
    const l = this.local(ms);
    return `${l.year}-${pad(l.month)}-${pad(l.day)}T${pad(l.hour)}:${pad(l.minute)}:${pad(l.second)}${offsetText(this.offsetMinutes(ms), ':')}`;
  }

  /** HL7 v2 DTM with an explicit offset, e.g. 20240311090000-0400. */
  hl7(ms: number): string {
    const l = this.local(ms);
    return `${l.year}${pad(l.month)}${pad(l.day)}${pad(l.hour)}${pad(l.minute)}${pad(l.second)}${offsetText(this.offsetMinutes(ms), '')}`;
  }
}

function offsetText(minutes: number, sep: string): string {
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}${sep}${pad(Math.abs(minutes) % 60)}`;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function weekday(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

export function isWeekend(date: LocalDate): boolean {
  const w = weekday(date);
  return w === 0 || w === 6;
}

/** "2024-03-11" */
export function dateKey(date: LocalDate): string {
  return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}

export function parseDateKey(key: string): LocalDate | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  if (!m) return undefined;
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

export function sameDate(a: LocalDate, b: LocalDate): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day;
}

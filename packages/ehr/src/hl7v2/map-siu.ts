/**
 * @module SIU (scheduling) → appointment events. S12 booked, S13 rescheduled, S14 modified (the
 * event follows SCH-25 filler status: Complete → fulfilled, Noshow → no-show, Cancelled → cancelled,
 * Started → checked-in, otherwise booked), S15 cancelled, S26 no-show.
 *
 * Start and end: the span of the resource segments (AIS-4/AIG-8/AIL-6/AIP-6 start plus AIS-7/
 * AIG-11/AIL-9/AIP-9 duration in AIS-8/AIG-12/AIL-10/AIP-10 units: s, min, h, d; none = minutes),
 * else TQ1-7/8, else SCH-11.4/5 (the deprecated timing quantity). A start in TQ1-7 or SCH-11.4
 * that differs from the resources' is flagged `schedule-conflict` on the event (see `startAndEnd`).
 * `previousStart` only when the connection names the field its sender uses (standard SIU has none).
 * `occurredAt` is MSH-7: SIU has no EVN segment.
 */
import type { AppointmentFacts, AppointmentStatus, EhrEventInput, EhrEventType, ParticipantRef } from '@steward/core';
import { DateTime } from 'luxon';
import type { Hl7Segment } from '@medplum/core';
import { hl7TimeToIso } from './hl7-time.js';
import { component, value, type ParsedHl7 } from './parse.js';
import {
  eiIdentifier,
  envelope,
  identifierToken,
  invalid,
  messageTime,
  patientFrom,
  plLocation,
  timeOf,
  timeOptions,
  withOptional,
  xcnParticipant,
  type Hl7MapContext,
} from './map-common.js';
import { withResourceType } from './map-directory.js';

/** SCH-25 / AIS-13 filler status codes (HL7 table 0278) → FHIR Appointment.status. */
const fillerStatus: Readonly<Record<string, AppointmentStatus>> = {
  pending: 'pending',
  waitlist: 'waitlist',
  booked: 'booked',
  overbook: 'booked',
  started: 'checked-in',
  complete: 'fulfilled',
  cancelled: 'cancelled',
  dc: 'cancelled',
  deleted: 'cancelled',
  noshow: 'noshow',
};

const eventForStatus: Readonly<Record<AppointmentStatus, EhrEventType>> = {
  proposed: 'appointment.booked',
  pending: 'appointment.booked',
  booked: 'appointment.booked',
  waitlist: 'appointment.booked',
  arrived: 'appointment.checked-in',
  'checked-in': 'appointment.checked-in',
  fulfilled: 'appointment.fulfilled',
  cancelled: 'appointment.cancelled',
  'entered-in-error': 'appointment.cancelled',
  noshow: 'appointment.no-show',
};

export const siuTriggers = ['S12', 'S13', 'S14', 'S15', 'S26'] as const;

export function mapSiu(parsed: ParsedHl7, ctx: Hl7MapContext): EhrEventInput[] {
  const { message, trigger } = parsed;
  const sch = message.getSegment('SCH');
  if (sch === undefined) throw invalid('SCH segment is missing');
  const patient = patientFrom(ctx, message.getSegment('PID'));
  const reported = fillerStatus[value(sch, 25).trim().toLowerCase()];

  let status: AppointmentStatus;
  let type: EhrEventType;
  switch (trigger) {
    case 'S12':
      status = reported === 'pending' || reported === 'waitlist' ? reported : 'booked';
      type = 'appointment.booked';
      break;
    case 'S13':
      status = reported ?? 'booked';
      type = 'appointment.rescheduled';
      break;
    case 'S14':
      status = reported ?? 'booked';
      type = eventForStatus[status];
      break;
    case 'S15':
      status = 'cancelled';
      type = 'appointment.cancelled';
      break;
    case 'S26':
      status = 'noshow';
      type = 'appointment.no-show';
      break;
    default:
      throw invalid(`unsupported message type ${parsed.type}`);
  }

  const identifiers = [
    eiIdentifier(ctx, sch, 1, 'placer-appointment'),
    eiIdentifier(ctx, sch, 2, 'filler-appointment'),
  ].filter((i) => i !== undefined);
  if (identifiers.length === 0) throw invalid('SCH-1/SCH-2 (appointment id) are both missing');
  const { start, end } = startAndEnd(parsed, ctx, sch);
  const basedOn = [eiIdentifier(ctx, sch, 26, 'placer-order'), eiIdentifier(ctx, sch, 27, 'filler-order')]
    .filter((i) => i !== undefined)
    .map(identifierToken);

  const facts = withOptional<AppointmentFacts>(
    { kind: 'Appointment', identifiers, status, participants: participants(parsed, ctx), basedOn },
    {
      start,
      end,
      previousStart: trigger === 'S13' ? previousStart(parsed, ctx) : undefined,
      serviceType: component(message.getSegment('AIS'), 3, 1).trim(),
      cancellationReason:
        status === 'cancelled' ? component(sch, 6, 2).trim() || component(sch, 6, 1).trim() : undefined,
    },
  );
  return [envelope(ctx, parsed, 0, type, messageTime(ctx, parsed), patient, facts)];
}

/** Where each resource segment keeps its start, duration and duration units (HL7 v2.5+). */
const resourceTimes = [
  { name: 'AIS', start: 4, duration: 7, units: 8 },
  { name: 'AIG', start: 8, duration: 11, units: 12 },
  { name: 'AIL', start: 6, duration: 9, units: 10 },
  { name: 'AIP', start: 6, duration: 9, units: 10 },
] as const;

interface Span {
  readonly start: string;
  readonly field: string;
  readonly end?: string;
}

/**
 * The appointment's span: from the earliest resource start to the latest resource end (start +
 * duration), so a change of length alone (S14 with a new AIS-7) changes `end`. Without resource
 * times, TQ1-7/TQ1-8, then SCH-11.4/SCH-11.5 (end else SCH-9 duration in SCH-10 units). When the
 * resources give a start and TQ1-7 or SCH-11.4 give another, the event is flagged
 * `schedule-conflict` (the resources' start is used, as v2.5 deprecates SCH-11): never resolved
 * silently.
 */
function startAndEnd(parsed: ParsedHl7, ctx: Hl7MapContext, sch: Hl7Segment): { start?: string; end?: string } {
  const { message } = parsed;
  const spans: Span[] = [];
  for (const t of resourceTimes) {
    for (const segment of message.getAllSegments(t.name)) {
      const field = `${t.name}-${t.start}`;
      const start = timeOf(ctx, segment, t.start, field);
      if (start === undefined) continue;
      const end = plusDuration(start, value(segment, t.duration), component(segment, t.units, 1));
      spans.push(end === undefined ? { start, field } : { start, field, end });
    }
  }
  const tq1 = message.getSegment('TQ1');
  if (spans.length === 0) {
    const start = timeOf(ctx, tq1, 7, 'TQ1-7') ?? timeOf(ctx, sch, 11, 'SCH-11.4', 4);
    const fromTq1 = start !== undefined && timeOf(ctx, tq1, 7, 'TQ1-7') !== undefined;
    const end =
      (fromTq1 ? timeOf(ctx, tq1, 8, 'TQ1-8') : timeOf(ctx, sch, 11, 'SCH-11.5', 5)) ??
      (start !== undefined ? plusDuration(start, value(sch, 9), component(sch, 10, 1)) : undefined);
    return withOptional<{ start?: string; end?: string }>({}, { start, end });
  }
  const first = spans.reduce((a, b) => (millis(b.start) < millis(a.start) ? b : a));
  const ends = spans.flatMap((s) => (s.end === undefined ? [] : [s.end]));
  const last = ends.length === 0 ? undefined : ends.reduce((a, b) => (millis(b) > millis(a) ? b : a));
  for (const [segment, field, comp, name] of [
    [tq1, 7, 1, 'TQ1-7'],
    [sch, 11, 4, 'SCH-11.4'],
  ] as const) {
    let other: string | undefined;
    try {
      other = timeOf(ctx, segment, field, name, comp);
    } catch {
      ctx.notes?.flags.push({
        code: 'schedule-conflict',
        detail: `${name} is not a valid date/time; the start from ${first.field} is used`,
      });
      continue;
    }
    if (other !== undefined && millis(other) !== millis(first.start))
      ctx.notes?.flags.push({
        code: 'schedule-conflict',
        detail: `${name} and ${first.field} give different starts; ${first.field} is used`,
      });
  }
  return last === undefined ? { start: first.start } : { start: first.start, end: inOffsetOf(first.start, last) };
}

function millis(iso: string): number {
  return DateTime.fromISO(iso, { setZone: true }).toMillis();
}

/** `iso` written with the offset of `like` (one appointment, one clock). */
function inOffsetOf(like: string, iso: string): string {
  const zone = DateTime.fromISO(like, { setZone: true }).zone;
  const hasSeconds = /T\d{2}:\d{2}:\d{2}/.test(iso);
  return (
    DateTime.fromISO(iso, { setZone: true })
      .setZone(zone)
      .toISO({ suppressMilliseconds: true, suppressSeconds: !hasSeconds }) ?? iso
  );
}

/** Duration units (CE/CWE code, ISO+ or ANSI+ or plain words) → minutes per unit. */
function minutesPer(unit: string): number | undefined {
  const u = unit.trim().toLowerCase();
  // No units: minutes, what senders mean in practice (and the previous behaviour here).
  if (u === '' || u === 'm' || u.startsWith('min')) return 1;
  if (u === 's' || u.startsWith('sec')) return 1 / 60;
  if (u === 'h' || u === 'hr' || u === 'hrs' || u.startsWith('hour')) return 60;
  if (u === 'd' || u.startsWith('day')) return 24 * 60;
  return undefined;
}

/** start + duration, keeping the start's offset; undefined when the duration is not usable. */
function plusDuration(start: string, amount: string, unit: string): string | undefined {
  if (!/^\d{1,5}$/.test(amount.trim()) || !start.includes('T')) return undefined;
  const per = minutesPer(unit);
  if (per === undefined) return undefined;
  const dt = DateTime.fromISO(start, { setZone: true });
  if (!dt.isValid) return undefined;
  const seconds = Math.round(Number(amount.trim()) * per * 60);
  const hasSeconds = /T\d{2}:\d{2}:\d{2}/.test(start) || seconds % 60 !== 0;
  return dt.plus({ seconds }).toISO({ suppressMilliseconds: true, suppressSeconds: !hasSeconds }) ?? undefined;
}

function previousStart(parsed: ParsedHl7, ctx: Hl7MapContext): string | undefined {
  const path = ctx.previousStartField;
  if (path === undefined) return undefined;
  const m = /^([A-Z][A-Z0-9]{2})-(\d{1,3})(?:\.(\d{1,2}))?$/.exec(path);
  if (m === null) throw invalid('previousStartField is not of the form SEG-n or SEG-n.c');
  const [, name = '', field = '1', comp = '1'] = m;
  const text = component(parsed.message.getSegment(name), Number(field), Number(comp));
  return hl7TimeToIso(text, timeOptions(ctx, path));
}

function participants(parsed: ParsedHl7, ctx: Hl7MapContext): ParticipantRef[] {
  const out: ParticipantRef[] = [];
  for (const aip of parsed.message.getAllSegments('AIP')) {
    const p = xcnParticipant(ctx, aip, 3);
    if (p !== undefined) out.push(withResourceType(aip, p));
  }
  for (const ail of parsed.message.getAllSegments('AIL')) {
    const l = plLocation(ail, 3);
    if (l !== undefined) out.push(l);
  }
  return out;
}

/**
 * @module SIU (scheduling) → appointment events. S12 booked, S13 rescheduled, S14 modified (the
 * event follows SCH-25 filler status: Complete → fulfilled, Noshow → no-show, Cancelled → cancelled,
 * Started → checked-in, otherwise booked), S15 cancelled, S26 no-show.
 *
 * Start: the first AIS-4, else AIL-6, else AIP-6 (the resource times, used from v2.5 on), else
 * SCH-11.4 (the deprecated timing quantity). End: SCH-11.5 when the start came from SCH-11,
 * otherwise start + AIS-7 duration in AIS-8 units (minutes or hours; default minutes).
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
  withOptional,
  xcnParticipant,
  type Hl7MapContext,
} from './map-common.js';

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

function startAndEnd(parsed: ParsedHl7, ctx: Hl7MapContext, sch: Hl7Segment): { start?: string; end?: string } {
  const { message } = parsed;
  for (const [name, field] of [
    ['AIS', 4],
    ['AIL', 6],
    ['AIP', 6],
  ] as const) {
    for (const segment of message.getAllSegments(name)) {
      const start = timeOf(ctx, segment, field, `${name}-${field}`);
      if (start === undefined) continue;
      const ais = name === 'AIS' ? segment : undefined;
      const end = ais === undefined ? undefined : plusDuration(start, value(ais, 7), component(ais, 8, 1));
      return end === undefined ? { start } : { start, end };
    }
  }
  const start = timeOf(ctx, sch, 11, 'SCH-11.4', 4);
  const end = timeOf(ctx, sch, 11, 'SCH-11.5', 5);
  return withOptional<{ start?: string; end?: string }>({}, { start, end });
}

/** start + duration, keeping the start's offset; undefined when the duration is not usable. */
function plusDuration(start: string, amount: string, unit: string): string | undefined {
  if (!/^\d{1,5}$/.test(amount) || !start.includes('T')) return undefined;
  const u = unit.trim().toLowerCase();
  const minutes =
    u === '' || u.startsWith('min') || u === 'm' ? Number(amount) : u.startsWith('h') ? Number(amount) * 60 : undefined;
  if (minutes === undefined) return undefined;
  const dt = DateTime.fromISO(start, { setZone: true });
  if (!dt.isValid) return undefined;
  const hasSeconds = /T\d{2}:\d{2}:\d{2}/.test(start);
  return dt.plus({ minutes }).toISO({ suppressMilliseconds: true, suppressSeconds: !hasSeconds }) ?? undefined;
}

function previousStart(parsed: ParsedHl7, ctx: Hl7MapContext): string | undefined {
  const path = ctx.previousStartField;
  if (path === undefined) return undefined;
  const m = /^([A-Z][A-Z0-9]{2})-(\d{1,3})(?:\.(\d{1,2}))?$/.exec(path);
  if (m === null) throw invalid('previousStartField is not of the form SEG-n or SEG-n.c');
  const [, name = '', field = '1', comp = '1'] = m;
  const text = component(parsed.message.getSegment(name), Number(field), Number(comp));
  return hl7TimeToIso(text, { zone: ctx.facilityTimeZone, field: path });
}

function participants(parsed: ParsedHl7, ctx: Hl7MapContext): ParticipantRef[] {
  const out: ParticipantRef[] = [];
  for (const aip of parsed.message.getAllSegments('AIP')) {
    const p = xcnParticipant(ctx, aip, 3);
    if (p !== undefined) out.push(p);
  }
  for (const ail of parsed.message.getAllSegments('AIL')) {
    const l = plLocation(ail, 3);
    if (l !== undefined) out.push(l);
  }
  return out;
}

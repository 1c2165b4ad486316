/**
 * @module Orders and results. ORM^O01 → one `order.updated` per ORC: control ORC-1, status ORC-5,
 * identifiers ORC-2 placer / ORC-3 filler, service the following OBR-4 code (and its codings with
 * their coding system, and OBR-24 diagnostic service section, for the referral rules), `occurredAt`
 * ORC-9 else MSH-7. ORU^R01 → one `result.received` per OBR: identifiers OBR-3 filler (else OBR-2
 * placer), orderIdentifiers OBR-2 and OBR-3, status OBR-25 (HL7 table 0123 → FHIR
 * DiagnosticReport.status), service OBR-4 code, `occurredAt` OBR-22 else OBR-7 else MSH-7.
 * Minimum necessary: no OBX value is read.
 */
import type { EhrCoding, EhrEventInput, EhrIdentifier, OrderFacts, ResultFacts } from '@steward/core';
import type { Hl7Segment } from '@medplum/core';
import { component, value, type ParsedHl7 } from './parse.js';
import {
  eiIdentifier,
  envelope,
  instantOf,
  invalid,
  messageTime,
  patientFrom,
  withOptional,
  type Hl7MapContext,
} from './map-common.js';

const resultStatus: Readonly<Record<string, string>> = {
  O: 'registered',
  I: 'registered',
  S: 'partial',
  A: 'partial',
  P: 'preliminary',
  R: 'preliminary',
  F: 'final',
  C: 'corrected',
  X: 'cancelled',
};

export const orderTriggers = { ORM: ['O01'], ORU: ['R01'] } as const;

export function mapOrders(parsed: ParsedHl7, ctx: Hl7MapContext): EhrEventInput[] {
  if (parsed.code === 'ORM' && parsed.trigger === 'O01') return mapOrm(parsed, ctx);
  if (parsed.code === 'ORU' && parsed.trigger === 'R01') return mapOru(parsed, ctx);
  throw invalid(`unsupported message type ${parsed.type}`);
}

function mapOrm(parsed: ParsedHl7, ctx: Hl7MapContext): EhrEventInput[] {
  const patient = patientFrom(ctx, parsed.message.getSegment('PID'));
  const segments = parsed.message.segments;
  const events: EhrEventInput[] = [];
  segments.forEach((orc, i) => {
    if (orc.name !== 'ORC') return;
    const control = value(orc, 1).trim();
    if (control === '') throw invalid(`ORC-1 (order control) is missing in ORC ${events.length + 1}`);
    const next = segments.slice(i + 1).find((s) => s.name === 'OBR' || s.name === 'ORC');
    const obr = next?.name === 'OBR' ? next : undefined;
    const identifiers = [eiIdentifier(ctx, orc, 2, 'placer-order'), eiIdentifier(ctx, orc, 3, 'filler-order')].filter(
      (x) => x !== undefined,
    );
    const facts = withOptional<OrderFacts>(
      { kind: 'Order', identifiers, control, categoryCodes: sectionOf(obr), serviceCodes: codingsOf(obr, 4) },
      { status: value(orc, 5).trim(), service: component(obr, 4, 1).trim() },
    );
    const at = instantOf(ctx, orc, 9, 'ORC-9') ?? messageTime(ctx, parsed);
    events.push(envelope(ctx, parsed, events.length, 'order.updated', at, patient, facts));
  });
  if (events.length === 0) throw invalid('ORC segment is missing');
  return events;
}

/** A CE/CWE field's codings: the identifier (1, system 3) and the alternate (4, system 6). */
function codingsOf(segment: Hl7Segment | undefined, field: number): EhrCoding[] {
  const out: EhrCoding[] = [];
  for (const [code, system] of [
    [1, 3],
    [4, 6],
  ] as const) {
    const c = component(segment, field, code).trim();
    const sys = component(segment, field, system).trim();
    if (c !== '') out.push(sys !== '' ? { system: sys, code: c } : { code: c });
  }
  return out;
}

/** OBR-24 diagnostic service section (HL7 table 0074), what tells a lab or imaging order apart. */
function sectionOf(obr: Hl7Segment | undefined): EhrCoding[] {
  const code = value(obr, 24).trim().toUpperCase();
  return code === '' ? [] : [{ system: 'HL70074', code }];
}

function mapOru(parsed: ParsedHl7, ctx: Hl7MapContext): EhrEventInput[] {
  const patient = patientFrom(ctx, parsed.message.getSegment('PID'));
  const events: EhrEventInput[] = [];
  for (const obr of parsed.message.getAllSegments('OBR')) {
    const placer = eiIdentifier(ctx, obr, 2, 'placer-order');
    const filler = eiIdentifier(ctx, obr, 3, 'filler-order');
    const orderIdentifiers = [placer, filler].filter((x): x is EhrIdentifier => x !== undefined);
    const identifiers = filler !== undefined ? [filler] : placer !== undefined ? [placer] : [];
    const facts = withOptional<ResultFacts>(
      { kind: 'Result', identifiers, orderIdentifiers },
      { status: resultStatus[value(obr, 25).trim().toUpperCase()], service: component(obr, 4, 1).trim() },
    );
    const at = instantOf(ctx, obr, 22, 'OBR-22') ?? instantOf(ctx, obr, 7, 'OBR-7') ?? messageTime(ctx, parsed);
    events.push(envelope(ctx, parsed, events.length, 'result.received', at, patient, facts));
  }
  if (events.length === 0) throw invalid('OBR segment is missing');
  return events;
}

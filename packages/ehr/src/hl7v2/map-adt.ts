/**
 * @module ADT → events. A01 (admit) and A04 (register) → `encounter.started`, A03 (discharge) →
 * `encounter.discharged`, A08 (update patient information) → `patient.updated`, A40 (merge patient
 * identifier list) → `patient.merged`, one event per PID/MRG pair. `occurredAt` is EVN-2, else MSH-7.
 * Other ADT triggers (transfers, leaves, pre-admits …) are not mapped yet.
 */
import type { EncounterFacts, EhrEventInput } from '@steward/core';
import { component, value, type ParsedHl7 } from './parse.js';
import {
  cxIdentifiers,
  envelope,
  eventTime,
  invalid,
  patientFrom,
  plLocation,
  timeOf,
  withOptional,
  xcnParticipant,
  type Hl7MapContext,
} from './map-common.js';

/** PV1-2 patient class (HL7 table 0004) → FHIR Encounter.class (v3 ActCode). */
const encounterClass: Readonly<Record<string, string>> = {
  E: 'EMER',
  I: 'IMP',
  O: 'AMB',
  P: 'PRENC',
  R: 'AMB',
  B: 'AMB',
};

export const adtTriggers = ['A01', 'A03', 'A04', 'A08', 'A40'] as const;

export function mapAdt(parsed: ParsedHl7, ctx: Hl7MapContext): EhrEventInput[] {
  const { message, trigger } = parsed;
  const occurredAt = eventTime(ctx, parsed);
  switch (trigger) {
    case 'A01':
    case 'A04':
    case 'A03': {
      const patient = patientFrom(ctx, message.getSegment('PID'));
      const pv1 = message.getSegment('PV1');
      if (pv1 === undefined) throw invalid('PV1 segment is missing');
      const discharged = trigger === 'A03';
      const facts = withOptional<EncounterFacts>(
        {
          kind: 'Encounter',
          identifiers: cxIdentifiers(ctx, pv1, 19),
          status: discharged ? 'finished' : 'in-progress',
          basedOn: [],
        },
        {
          class: encounterClass[value(pv1, 2).toUpperCase()],
          start: timeOf(ctx, pv1, 44, 'PV1-44'),
          end: timeOf(ctx, pv1, 45, 'PV1-45'),
          location: plLocation(pv1, 3),
          serviceProvider: xcnParticipant(ctx, pv1, 7),
          dischargeDisposition: discharged ? component(pv1, 36, 1) : undefined,
        },
      );
      return [
        envelope(ctx, parsed, 0, discharged ? 'encounter.discharged' : 'encounter.started', occurredAt, patient, facts),
      ];
    }
    case 'A08':
      return [
        envelope(ctx, parsed, 0, 'patient.updated', occurredAt, patientFrom(ctx, message.getSegment('PID')), {
          kind: 'Patient',
        }),
      ];
    case 'A40':
      return mapMerges(parsed, ctx, occurredAt);
    default:
      throw invalid(`unsupported message type ${parsed.type}`);
  }
}

/** A40 carries one or more PID (survivor) + MRG (retired) pairs, in that order. */
function mapMerges(parsed: ParsedHl7, ctx: Hl7MapContext, occurredAt: string): EhrEventInput[] {
  const events: EhrEventInput[] = [];
  const segments = parsed.message.segments;
  for (let i = 0; i < segments.length; i++) {
    const pid = segments[i];
    if (pid?.name !== 'PID') continue;
    const mrg = segments.slice(i + 1).find((s) => s.name === 'MRG' || s.name === 'PID');
    if (mrg?.name !== 'MRG') throw invalid(`MRG segment is missing after PID ${events.length + 1}`);
    const retired = cxIdentifiers(ctx, mrg, 1);
    if (retired.length === 0) throw invalid('MRG-1 (prior patient identifier list) has no usable identifier');
    events.push(
      envelope(ctx, parsed, events.length, 'patient.merged', occurredAt, patientFrom(ctx, pid), {
        kind: 'Merge',
        retired: { identifiers: retired },
      }),
    );
  }
  if (events.length === 0) throw invalid('PID segment is missing');
  return events;
}

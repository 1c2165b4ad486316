/**
 * @module ADT → events. A01 (admit) and A04 (register) → `encounter.started`, A03 (discharge) →
 * `encounter.discharged`, A08 (update patient information) → `patient.updated`. Merges and
 * identifier changes (see `mergeTriggers`) → `patient.merged` / `patient.identifier-changed`, one
 * event per PID/MRG pair, the PID patient surviving. `occurredAt` is EVN-2, else MSH-7.
 * Other ADT triggers (transfers, leaves, pre-admits …) are not mapped yet.
 */
import type { EncounterFacts, EhrEventInput, EhrEventType, MergeFacts } from '@steward/core';
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
import { pv1Participants, rolParticipants } from './map-directory.js';

/** PV1-2 patient class (HL7 table 0004) → FHIR Encounter.class (v3 ActCode). */
const encounterClass: Readonly<Record<string, string>> = {
  E: 'EMER',
  I: 'IMP',
  O: 'AMB',
  P: 'PRENC',
  R: 'AMB',
  B: 'AMB',
};

/**
 * The merge and identifier-change triggers: the event, what is retired (the patient, or only an
 * account number), and the MRG fields naming the retired identifiers, first non-empty wins.
 * MRG-1 prior patient identifier list, MRG-3 prior account number, MRG-4 prior patient ID (the
 * v2.3 PID-2 style, A39/A46).
 */
const mergeTriggers: Readonly<
  Record<string, { type: EhrEventType; scope: MergeFacts['scope']; fields: readonly number[] }>
> = {
  A34: { type: 'patient.merged', scope: 'patient', fields: [1] },
  A35: { type: 'patient.identifier-changed', scope: 'account', fields: [3] },
  A36: { type: 'patient.merged', scope: 'patient', fields: [1] },
  A39: { type: 'patient.merged', scope: 'patient', fields: [4, 1] },
  A40: { type: 'patient.merged', scope: 'patient', fields: [1] },
  A41: { type: 'patient.identifier-changed', scope: 'account', fields: [3] },
  A46: { type: 'patient.identifier-changed', scope: 'patient', fields: [4, 1] },
  A47: { type: 'patient.identifier-changed', scope: 'patient', fields: [1] },
  A49: { type: 'patient.identifier-changed', scope: 'account', fields: [3] },
};

export const adtTriggers = ['A01', 'A03', 'A04', 'A08', ...Object.keys(mergeTriggers)] as const;

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
          participants: [...pv1Participants(ctx, pv1), ...rolParticipants(ctx, parsed)],
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
    default: {
      const merge = mergeTriggers[trigger];
      if (merge === undefined) throw invalid(`unsupported message type ${parsed.type}`);
      return mapMerges(parsed, ctx, occurredAt, merge);
    }
  }
}

/** One or more PID (survivor) + MRG (retired) pairs, in that order. */
function mapMerges(
  parsed: ParsedHl7,
  ctx: Hl7MapContext,
  occurredAt: string,
  merge: { type: EhrEventType; scope: MergeFacts['scope']; fields: readonly number[] },
): EhrEventInput[] {
  const events: EhrEventInput[] = [];
  const segments = parsed.message.segments;
  for (let i = 0; i < segments.length; i++) {
    const pid = segments[i];
    if (pid?.name !== 'PID') continue;
    const mrg = segments.slice(i + 1).find((s) => s.name === 'MRG' || s.name === 'PID');
    if (mrg?.name !== 'MRG') throw invalid(`MRG segment is missing after PID ${events.length + 1}`);
    let retired: ReturnType<typeof cxIdentifiers> = [];
    for (const field of merge.fields) if (retired.length === 0) retired = cxIdentifiers(ctx, mrg, field);
    if (retired.length === 0)
      throw invalid(
        `${merge.fields.map((f) => `MRG-${f}`).join('/')} (the retired identifier) has no usable identifier`,
      );
    events.push(
      envelope(ctx, parsed, events.length, merge.type, occurredAt, patientFrom(ctx, pid), {
        kind: 'Merge',
        scope: merge.scope,
        retired: { identifiers: retired },
      }),
    );
  }
  if (events.length === 0) throw invalid('PID segment is missing');
  return events;
}

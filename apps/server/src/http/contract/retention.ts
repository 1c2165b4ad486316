/**
 * @module Retention's shapes: policies (and their versions), legal holds, and a purge's report,
 * as governance returns them (packages/governance/src/retention).
 */
import { Type } from 'typebox';
import { retentionKinds, type KindOutcome } from '@steward/governance';
import { List, Maybe, Strict, Uuid } from './common.js';

export const KindParams = Strict({ kind: Type.Enum(retentionKinds) });
export const SetPolicyBody = Strict({
  periodDays: Type.Integer({ minimum: 1, maximum: 36600 }),
  expectedVersion: Type.Optional(Type.Integer({ minimum: 0 })),
});
const Identifier = Strict({
  system: Type.String({ minLength: 1, maxLength: 200 }),
  value: Type.String({ minLength: 1, maxLength: 200 }),
});
export const HoldBody = Strict({
  scope: Type.Enum(['patient', 'case']),
  reason: Type.String({ minLength: 1, maxLength: 500 }),
  caseRef: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  patient: Type.Optional(
    Strict({
      stewardId: Type.Optional(Uuid),
      ehrId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
      identifiers: Type.Optional(Type.Array(Identifier, { maxItems: 20 })),
    }),
  ),
});
const RetentionKind = Type.Enum(retentionKinds);

/** A kind's retention period, one version of it (version 0: the default nobody set). */
export const RetentionPolicy = Type.Object({
  kind: RetentionKind,
  periodDays: Maybe(Type.Integer({ description: 'days kept; absent: kept without limit' })),
  version: Type.Integer(),
  setBy: Maybe(Type.String()),
  setAt: Maybe(Type.String()),
});
export const RetentionPolicyList = Type.Object({ items: List(RetentionPolicy) });

const HeldPatient = Type.Object({
  stewardId: Maybe(Type.String()),
  ehrId: Maybe(Type.String()),
  identifiers: Maybe(List(Type.Object({ system: Type.String(), value: Type.String() }))),
});

/** A legal hold: on one patient's data, or on everything while a case is open (then nothing is purged). */
export const LegalHold = Type.Object({
  id: Type.String(),
  scope: Type.Enum(['patient', 'case']),
  patient: Maybe(HeldPatient),
  caseRef: Maybe(Type.String()),
  reason: Type.String(),
  placedBy: Type.String(),
  placedAt: Type.String(),
  releasedBy: Maybe(Type.String()),
  releasedAt: Maybe(Type.String()),
});
export const LegalHoldList = Type.Object({ items: List(LegalHold) });

// Every outcome, checked against governance's type: one added there fails to compile here until listed.
const outcomeNames: Readonly<Record<KindOutcome, true>> = {
  purged: true,
  'no-policy': true,
  'not-stored': true,
  'never-purged': true,
  suspended: true,
};
const kindOutcomes = Object.keys(outcomeNames) as KindOutcome[];

/** What one purge run did, kind by kind. */
export const PurgeReport = Type.Object({
  at: Type.String(),
  caseHolds: Type.Integer(),
  patientHolds: Type.Integer(),
  kinds: List(
    Type.Object({
      kind: RetentionKind,
      outcome: Type.Enum(kindOutcomes),
      periodDays: Maybe(Type.Integer()),
      before: Maybe(Type.String({ description: 'rows stored before this instant were expired' })),
      deleted: Type.Integer(),
      kept: Type.Integer(),
      more: Type.Boolean({ description: 'the per-run limit was reached: the next run deletes more' }),
    }),
  ),
});

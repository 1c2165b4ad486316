/**
 * @module Retention's requests. Policies, holds and purge results are sent whole, as JSON objects:
 * their shape is governance's (packages/governance/src/retention).
 */
import { Type } from 'typebox';
import { retentionKinds } from '@steward/governance';
import { JsonObject, List, Strict, Uuid } from './common.js';

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
export const RetentionItem = JsonObject;
export const RetentionList = Type.Object({ items: List(JsonObject) });

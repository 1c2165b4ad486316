/**
 * @module AI calls through governed destinations (issue 18): `POST /ai/calls`, as governance's
 * egress keeps them (packages/governance/src/egress/ai-calls.ts). The SDK's helper is built on
 * these shapes: the request names the egress destination, the site, the purpose of use,
 * optionally the Steward patient the prompt is about, and the chat messages.
 */
import { Type, type Static } from 'typebox';
import { purposesOfUse } from '@steward/core';
import { removedKinds, type RemovedKind } from '@steward/governance';
import { Maybe, Nullable, SiteCode, Strict, Uuid } from './common.js';

export const AiMessage = Strict({
  role: Type.Enum(['system', 'user', 'assistant']),
  content: Type.String({ maxLength: 100_000 }),
});

export const AiCallRequest = Strict({
  destination: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'an egress destination of kind ai' }),
  site: SiteCode,
  purposeOfUse: Type.Enum(purposesOfUse),
  patientId: Type.Optional(Uuid),
  model: Type.String({ minLength: 1, maxLength: 200 }),
  messages: Type.Array(AiMessage, { minItems: 1, maxItems: 100 }),
  maxTokens: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  temperature: Type.Optional(Type.Number({ minimum: 0, maximum: 2 })),
});
export type AiCallRequest = Static<typeof AiCallRequest>;

export const AiCallAnswer = Type.Object({
  callId: Type.String(),
  destination: Type.String(),
  /** True when the prompt was de-identified before it left (no BAA on record for the destination). */
  deidentified: Type.Boolean(),
  /** How many items de-identification replaced, by kind. */
  removed: Type.Unsafe<Readonly<Partial<Record<RemovedKind, number>>>>(
    Type.Object(Object.fromEntries(removedKinds.map((k) => [k, Type.Optional(Type.Integer())]))),
  ),
  model: Type.String(),
  message: Type.Object({ role: Type.Enum(['assistant']), content: Type.String() }),
  finishReason: Nullable(Type.String()),
  usage: Maybe(
    Type.Object({ promptTokens: Type.Integer(), completionTokens: Type.Integer(), totalTokens: Type.Integer() }),
  ),
  providerStatus: Type.Integer(),
});
export type AiCallAnswer = Static<typeof AiCallAnswer>;

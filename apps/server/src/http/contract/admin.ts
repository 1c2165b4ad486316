/**
 * @module Administration's requests: users, service accounts, API tokens, grants. Accounts, tokens
 * and grants are sent whole, as JSON objects: their shape is governance's identity and policy
 * (packages/governance/src/identity, policy).
 */
import { Type } from 'typebox';
import { purposesOfUse, roles } from '@steward/core';
import { actions, selfServiceScope } from '@steward/governance';
import { errors, JsonObject, List, NoContent, ScopeCode, Strict, Uuid } from './common.js';

/** Re-authentication for a change to one's own account: the current password and TOTP code. */
const proof = {
  currentPassword: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  currentCode: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
};

export const NewUser = Strict({
  username: Type.String({ maxLength: 64 }),
  password: Type.String({ maxLength: 1024 }),
});
export const BreakGlassEligibility = Strict({ eligible: Type.Boolean() });
export const ConfirmTotp = Strict({
  secret: Type.String({ pattern: '^[A-Z2-7]{16,128}=*$' }),
  code: Type.String({ pattern: '^\\d{6}$' }),
  ...proof,
});
export const NewPassword = Strict({ newPassword: Type.String({ maxLength: 1024 }), ...proof });
export const Unlocked = Type.Object({ locksLifted: Type.Integer() });
export const NewServiceAccount = Strict({ name: Type.String({ maxLength: 64 }) });

const PrincipalKind = Type.Enum(['user', 'service']);
export const NewToken = Strict({
  principalKind: PrincipalKind,
  principalId: Uuid,
  name: Type.String({ minLength: 1, maxLength: 64 }),
  scopes: Type.Array(Type.Enum(['*', selfServiceScope, ...actions]), {
    minItems: 1,
    maxItems: actions.length + 2,
    uniqueItems: true,
  }),
  expiresInDays: Type.Integer({ minimum: 1, maximum: 365 }),
  ...proof,
});
export const NewGrant = Strict({
  principalKind: PrincipalKind,
  principalId: Uuid,
  role: Type.Enum(roles),
  site: ScopeCode,
  workflow: ScopeCode,
  purposeOfUse: Type.Enum(purposesOfUse),
});

/** An account, token or grant as its directory answers (201 when created). */
export const Answer = { 200: JsonObject, 201: JsonObject, ...errors };
export const ListAnswer = { 200: Type.Object({ items: List(JsonObject) }), ...errors };
export const NoContentAnswer = { 204: NoContent, ...errors };

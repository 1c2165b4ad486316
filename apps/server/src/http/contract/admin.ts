/**
 * @module Administration's shapes: users, service accounts, API tokens, grants, as governance's
 * identity and policy return them (packages/governance/src/identity, policy).
 */
import { Type, type TSchema } from 'typebox';
import { purposesOfUse, roles } from '@steward/core';
import { actions, MAX_GRANT_ACTION_TYPES, selfServiceScope } from '@steward/governance';
import { DateTime, errors, List, Maybe, NoContent, Nullable, ScopeCode, Strict, Uuid } from './common.js';

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
  // Steward's actions, or SMART system scopes narrowing the FHIR facade's types (ADR 0018).
  scopes: Type.Array(
    Type.Union([
      Type.Enum(['*', selfServiceScope, ...actions]),
      Type.String({ pattern: '^system/(\\*|[A-Z][A-Za-z]{1,63})\\.(read|\\*|(?=[cruds])c?r?u?d?s?)$' }),
    ]),
    { minItems: 1, maxItems: 50, uniqueItems: true },
  ),
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
  actionTypes: Type.Optional(
    Type.Array(Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' }), {
      minItems: 1,
      maxItems: MAX_GRANT_ACTION_TYPES,
      uniqueItems: true,
      description:
        'for a role that drafts proposals (agent, automation, coordinator): the action types it may propose; leave out for all',
    }),
  ),
});

export const User = Type.Object({
  id: Type.String(),
  username: Type.String(),
  totpEnrolled: Type.Boolean(),
  breakGlassEligible: Type.Boolean(),
  lockedUntil: Nullable(DateTime),
  disabledAt: Nullable(DateTime),
  createdAt: DateTime,
});
/** A TOTP enrolment: the secret shown once (or as a QR code of `uri`); nothing stored until confirmed. */
export const TotpEnrolment = Type.Object({ secret: Type.String(), uri: Type.String() });
export const ServiceAccount = Type.Object({
  id: Type.String(),
  name: Type.String(),
  disabledAt: Nullable(DateTime),
  createdAt: DateTime,
});
/** A token just issued: its bearer secret, shown this once. */
export const IssuedToken = Type.Object({ id: Type.String(), token: Type.String(), expiresAt: DateTime });
/** A token as listed: never its secret. */
export const TokenSummary = Type.Object({
  id: Type.String(),
  principalKind: PrincipalKind,
  principalId: Type.String(),
  /** The principal's username or service account name, where it still exists. */
  principalName: Maybe(Type.String()),
  name: Type.String(),
  scopes: List(Type.String()),
  expiresAt: DateTime,
  revokedAt: Nullable(DateTime),
  lastUsedAt: Nullable(DateTime),
  createdAt: DateTime,
});
export const Grant = Type.Object({
  id: Type.String(),
  principalKind: PrincipalKind,
  principalId: Type.String(),
  /** The principal's username or service account name, where it still exists. */
  principalName: Maybe(Type.String()),
  role: Type.Enum(roles),
  site: Type.String(),
  workflow: Type.String(),
  purposeOfUse: Type.Enum(purposesOfUse),
  /** The proposal action types the grant allows drafting; absent, all of them. */
  actionTypes: Maybe(List(Type.String())),
});

/** An account, token or grant as its directory answers (201 when created). */
export const answer = <T extends TSchema>(item: T) => ({ 200: item, 201: item, ...errors });
export const listAnswer = <T extends TSchema>(item: T) => ({ 200: Type.Object({ items: List(item) }), ...errors });
export const NoContentAnswer = { 204: NoContent, ...errors };

/**
 * @module Handoffs' requests and answers (packages/workflows/src/handoffs): raising a handoff to a
 * person, a pool or a role at a site with a deadline in the site's business hours; queues; a
 * handoff with its history; accept, decline, done; a site+kind's escalation policy; a site's
 * on-call rota. People are answered by name. Shapes here; the service checks the rest.
 */
import { Type } from 'typebox';
import { roles } from '@steward/core';
import { DateTime, Json, List, Nullable, SiteCode, Strict, Uuid } from './common.js';
import { StaffName } from './staff.js';

const PoolName = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'e.g. north-desk' });
const Kind = Type.String({
  pattern: '^[a-z][a-z0-9-]{0,30}(\\.[a-z][a-z0-9-]{0,30}){0,3}$',
  description: 'dotted lowercase words, e.g. intake.incomplete, referral.next-step',
});
const SubjectKind = Type.Enum(['patient', 'referral', 'document', 'proposal', 'followup']);
const Subject = Strict({
  kind: SubjectKind,
  id: Type.String({ pattern: '^[A-Za-z0-9._:/-]{1,128}$', description: 'a reference, never free text' }),
});
const Role = Type.Enum(roles);
const Target = Type.Union([
  Strict({
    kind: Type.Literal('user'),
    ref: Type.String({ minLength: 1, maxLength: 200, description: 'a user id or username' }),
  }),
  Strict({ kind: Type.Literal('pool'), ref: PoolName }),
  Strict({ kind: Type.Literal('role'), ref: Role }),
]);
const Count = Type.Integer({ minimum: 0, maximum: 527_040 });
const Due = Type.Union([
  Strict({ at: Type.String({ format: 'date-time', description: 'an instant with its offset' }) }),
  Strict({ businessHours: Count }),
  Strict({ businessDays: Count }),
  Strict({ businessMinutes: Count }),
]);

export const HandoffParams = Strict({ id: Uuid });
export const HandoffPoolParams = Strict({ pool: PoolName });
export const HandoffSubjectQuery = Strict({ kind: SubjectKind, id: Subject.properties.id });
// A query string is text: the limit is digits, as every other list's (an integer type refused `?limit=20`).
export const HandoffQueueQuery = Strict({
  limit: Type.Optional(Type.String({ pattern: '^([1-9]\\d?|1\\d\\d|200)$', description: '1-200, default 200' })),
});

export const CreateHandoffBody = Strict({
  site: SiteCode,
  kind: Kind,
  subject: Subject,
  to: Target,
  ask: Type.String({
    minLength: 1,
    maxLength: 500,
    description: 'a short instruction (sealed at rest; keep it reference-level)',
  }),
  due: Type.Optional(Due),
  patientId: Type.Optional(Uuid),
  key: Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, description: 'idempotency: a key already used returns that handoff' }),
  ),
});
export const DeclineHandoffBody = Strict({ reason: Type.String({ minLength: 1, maxLength: 500 }) });

const Person = Type.Object({
  kind: Type.Enum(['user', 'service', 'pool', 'role', 'none']),
  id: Type.String(),
  name: Type.String(),
});
const Status = Type.Enum(['offered', 'accepted', 'done', 'declined', 'expired']);
export const Handoff = Type.Object({
  id: Type.String(),
  site: Type.String(),
  kind: Type.String(),
  subject: Type.Object({ kind: SubjectKind, id: Type.String() }),
  patientId: Nullable(Type.String()),
  from: Person,
  to: Person,
  assignee: Nullable(Person),
  status: Status,
  ask: Type.String(),
  dueAt: Nullable(DateTime),
  overdue: Type.Boolean(),
  escalatedTo: List(Person),
  version: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
});
export const HandoffList = Type.Object({ items: List(Handoff) });
export const HandoffDetail = Type.Intersect([
  Handoff,
  Type.Object({
    history: List(
      Type.Object({
        seq: Type.Integer(),
        at: DateTime,
        event: Type.Enum(['offered', 'accepted', 'declined', 'done', 'expired', 'escalated']),
        actor: Person,
        fromStatus: Nullable(Status),
        toStatus: Status,
        detail: Json,
        reason: Type.Optional(Type.String()),
      }),
    ),
  }),
]);

const Delay = Strict({
  amount: Type.Integer({ minimum: 0, maximum: 527_040 }),
  unit: Type.Enum(['minutes', 'hours', 'days']),
  business: Type.Boolean({ description: "counted in the site's opening hours (true) or on the clock (false)" }),
});
const EscalationTarget = Type.Union([
  Strict({ kind: Type.Literal('lead') }),
  Strict({ kind: Type.Literal('pool'), ref: PoolName }),
  Strict({ kind: Type.Literal('rota'), ref: PoolName }),
]);
const Step = Strict({
  condition: Type.Enum(['not-accepted', 'not-done']),
  delay: Delay,
  target: EscalationTarget,
});
export const EscalationPolicyParams = Strict({ site: SiteCode, kind: Kind });
export const SetEscalationPolicyBody = Strict({
  steps: Type.Array(Step, { maxItems: 10, description: 'in order; delays from when the handoff was offered' }),
  expectedVersion: Type.Optional(Type.Integer({ minimum: 0, description: 'the version you saw (0: none yet)' })),
});
export const EscalationPolicy = Type.Object({
  site: Type.String(),
  kind: Type.String(),
  steps: List(
    Type.Object({
      condition: Type.String(),
      delay: Type.Object({ amount: Type.Integer(), unit: Type.String(), business: Type.Boolean() }),
      target: Type.Object({ kind: Type.String(), ref: Type.Optional(Type.String()) }),
    }),
  ),
  version: Type.Integer(),
  updatedBy: Nullable(Type.String()),
  updatedAt: Nullable(DateTime),
});

export const RotaParams = Strict({ site: SiteCode, name: PoolName });
export const SetRotaBody = Strict({
  shifts: Type.Array(
    Strict({
      user: Type.String({ minLength: 1, maxLength: 200, description: 'a user id or username' }),
      start: Type.String({ format: 'date-time' }),
      end: Type.String({ format: 'date-time' }),
    }),
    { maxItems: 10_000 },
  ),
  expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })),
});
export const Rota = Type.Object({
  site: Type.String(),
  name: Type.String(),
  shifts: List(Type.Object({ user: StaffName, start: DateTime, end: DateTime })),
  version: Type.Integer(),
  updatedBy: Type.String(),
  updatedAt: DateTime,
});

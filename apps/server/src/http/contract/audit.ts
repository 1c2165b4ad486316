/**
 * @module The audit trail's shapes: the event codes, a page of entries, the chain's verification.
 * Entries and the verification are sent whole (`additionalProperties`): the fields below are
 * described, and any the audit log adds later still reach the reader.
 */
import { Type } from 'typebox';
import { auditEvents } from '@steward/governance';
import { List, Maybe, Nullable, PatientLabel, Strict } from './common.js';

const isoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}(T[0-9:.]+(Z|[+-]\\d{2}:\\d{2}))?$' });
const eventCode = `(${auditEvents.map((e) => e.replace('.', '\\.')).join('|')})`;

/** The search filters `/audit/events` and `/audit/export` share. */
const filters = {
  patient: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 701,
      description:
        'any identifier of the patient: Steward id, MRN as system|value or bare value, EHR id, or "Family, Given YYYY-MM-DD"',
    }),
  ),
  actor: Type.Optional(Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' })),
  event: Type.Optional(
    Type.String({
      maxLength: 2000,
      pattern: `^${eventCode}(,${eventCode})*$`,
      description: 'audit event codes, comma-separated (phi.read,proposal.approved)',
    }),
  ),
  from: Type.Optional(isoDate),
  to: Type.Optional(isoDate),
  breakGlass: Type.Optional(
    Type.String({ format: 'uuid', description: 'a break-glass episode id: the accesses made under it' }),
  ),
};
export const AuditFilterQuery = Strict(filters);
export const AuditEventsQuery = Strict({
  ...filters,
  limit: Type.Optional(Type.String({ pattern: '^[1-9]\\d{0,3}$' })),
  after: Type.Optional(Type.String({ pattern: '^\\d{1,15}$' })),
});

export const EventCodes = Type.Object({ codes: List(Type.String()) });

const open = { additionalProperties: true } as const;

export const AuditEntry = Type.Object(
  {
    seq: Type.Integer(),
    /** ISO-8601 UTC with milliseconds. */
    at: Type.String(),
    actor: Type.Object(
      { kind: Type.String(), id: Type.String(), name: Maybe(Type.String()), authMethod: Maybe(Type.String()) },
      open,
    ),
    event: Type.String(),
    action: Type.String(),
    outcome: Type.Enum(['success', 'denied', 'failure']),
    patientIds: List(Type.String()),
    /** The patients by name where this reader may see them (the clinic's display rule); absent otherwise. */
    patients: Maybe(List(PatientLabel)),
    entity: Maybe(Type.Object({ kind: Type.String(), id: Type.String(), version: Maybe(Type.Integer()) })),
    fields: Maybe(List(Type.String())),
    site: Maybe(Type.String()),
    workflow: Maybe(Type.String()),
    purposeOfUse: Maybe(Type.String()),
    breakGlassId: Maybe(Type.String()),
    source: Maybe(Type.Object({ address: Maybe(Type.String()), requestId: Maybe(Type.String()) })),
    query: Maybe(
      Type.Unsafe<Readonly<Record<string, string>>>(Type.Object({}, { additionalProperties: Type.String() })),
    ),
    queryUnreadable: Maybe(Type.Boolean()),
    reason: Maybe(Type.String()),
    /** Hex SHA-256 of the entry (its chain hash). */
    hash: Type.String(),
  },
  open,
);

export const AuditPage = Type.Object({
  items: List(AuditEntry),
  /** Pass as `after` for the next page; absent on the last. */
  next: Maybe(Type.Integer()),
  /** With a patient search: how many patients the term stands for (0: it names nobody Steward knows). */
  patientsMatched: Maybe(Type.Integer({ minimum: 0 })),
});

const checked = {
  checkedAt: Type.String(),
  entries: Type.Integer(),
  /** The last entry known good (seq 0, time null: nothing verified). */
  verifiedTo: Type.Object({ seq: Type.Integer(), at: Nullable(Type.String()) }),
};
export const VerifyAnswer = Type.Union([
  Type.Object(
    {
      ...checked,
      ok: Type.Literal(true),
      checkpoints: Type.Integer(),
      headSeq: Type.Integer(),
      headHash: Type.String(),
      lastCheckpointSeq: Type.Integer(),
      unsealedEntries: Type.Integer(),
      keys: List(Type.Object({ id: Type.String(), fingerprint: Type.String() })),
      witnessed: Maybe(Type.Object({ seq: Type.Integer(), witness: Type.String() })),
    },
    open,
  ),
  Type.Object(
    {
      ...checked,
      ok: Type.Literal(false),
      firstBadSeq: Type.Integer(),
      problem: Type.String(),
      /** Names seqs and columns only, never entry content. */
      message: Type.String(),
    },
    open,
  ),
]);

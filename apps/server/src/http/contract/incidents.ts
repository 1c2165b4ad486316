/**
 * @module Incident response's shapes: where an incident starts, the incident with its containment
 * (rollbacks through review), and its report, as the incident desk returns them
 * (packages/proposals/src/incidents).
 */
import { Type, type Static } from 'typebox';
import type { ContainmentStatus, IncidentStatus } from '@steward/proposals';
import { List, Maybe, Strict, Uuid } from './common.js';

const isoTime = Type.String({ maxLength: 40, pattern: '^\\d{4}-\\d{2}-\\d{2}(T[0-9:.]+(Z|[+-]\\d{2}:\\d{2}))?$' });

/** Where an incident starts, flat: which fields a kind needs is checked by the route. */
export const IncidentOrigin = Strict({
  kind: Type.Enum(['proposal', 'write', 'patient', 'range']),
  proposalId: Type.Optional(Uuid),
  auditSeq: Type.Optional(Type.Integer({ minimum: 1 })),
  patientId: Type.Optional(Uuid),
  from: Type.Optional(isoTime),
  to: Type.Optional(isoTime),
});
export type IncidentOrigin = Static<typeof IncidentOrigin>;

export const OpenIncident = Strict({
  origin: IncidentOrigin,
  summary: Type.String({ minLength: 1, maxLength: 4000 }),
  discoveredAt: Type.Optional(isoTime),
});
// Each status, checked against the desk's type: one added there fails to compile here until listed.
const incidentStatuses: Readonly<Record<IncidentStatus, true>> = { open: true, contained: true, closed: true };
const containmentStatuses: Readonly<Record<ContainmentStatus, true>> = {
  proposed: true,
  applied: true,
  failed: true,
  rejected: true,
};

/** Where an incident started, as stored: the fields its kind uses. */
const Origin = Type.Object({
  kind: Type.Enum(['proposal', 'write', 'patient', 'range']),
  proposalId: Maybe(Type.String()),
  auditSeq: Maybe(Type.Integer()),
  patientId: Maybe(Type.String()),
  from: Maybe(Type.String()),
  to: Maybe(Type.String()),
});

/** A compensating write proposed for an incident: the rollback of one committed proposal. */
const Containment = Type.Object({
  proposalId: Type.String(),
  site: Type.String(),
  status: Type.Enum(Object.keys(containmentStatuses) as ContainmentStatus[]),
  proposedBy: Type.String(),
  proposedAt: Type.String(),
  decidedBy: Maybe(Type.String()),
  decidedAt: Maybe(Type.String()),
  outcome: Maybe(Type.String({ description: 'the rollback’s outcome, or the stable error code it failed with' })),
});

export const Incident = Type.Object({
  id: Type.String(),
  origin: Origin,
  summary: Type.String(),
  status: Type.Enum(Object.keys(incidentStatuses) as IncidentStatus[]),
  openedBy: Type.String(),
  openedAt: Type.String(),
  discoveredAt: Type.String(),
  closedAt: Maybe(Type.String()),
  containment: List(Containment),
});
export const IncidentList = Type.Object({ items: List(Incident) });

const AffectedPatient = Type.Object({ stewardId: Maybe(Type.String()), ehrRef: Maybe(Type.String()) });

export const ReportQuery = Strict({ format: Type.Optional(Type.Enum(['json', 'markdown'])) });
/** The report as JSON. */
export const IncidentReportJson = Type.Object({
  incident: Incident,
  generatedAt: Type.String(),
  window: Type.Object({ from: Type.String(), to: Type.String() }),
  /** The breach notification clock (45 CFR 164.404 and 164.408). */
  clock: Type.Object({
    discoveredAt: Type.String(),
    notifyBy: Type.String({ description: 'discovery + 60 days: the latest day to notify the individuals' }),
    daysLeft: Type.Integer(),
    overdue: Type.Boolean(),
    individuals: Type.Integer(),
    largeBreach: Type.Boolean({ description: '500 or more individuals: HHS and the media are notified too' }),
  }),
  patients: List(AffectedPatient),
  /** PHI accesses and writes in scope, from the audit trail (ids only, no values). */
  entries: List(
    Type.Object({
      seq: Type.Integer(),
      at: Type.String(),
      event: Type.String(),
      kind: Type.Enum(['access', 'write']),
      outcome: Type.String(),
      actor: Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String() }),
      patientIds: List(Type.String()),
      entity: Maybe(Type.Object({ kind: Type.String(), id: Type.String(), version: Maybe(Type.Integer()) })),
      fields: Maybe(List(Type.String())),
      site: Maybe(Type.String()),
    }),
  ),
  proposals: List(
    Type.Object({
      id: Type.String(),
      action: Type.String(),
      status: Type.String(),
      site: Type.String(),
      target: Type.String(),
      patient: AffectedPatient,
    }),
  ),
  truncated: Type.Boolean({ description: 'more audit entries matched than a report lists' }),
});
export const ContainmentParams = Strict({ id: Uuid, proposalId: Uuid });
/** The report as JSON, or as Markdown text for people (`format=markdown`); both sent already rendered. */
export const IncidentReport = Type.Union([
  IncidentReportJson,
  Type.String({ description: 'the report in Markdown, with format=markdown (text/markdown)' }),
]);

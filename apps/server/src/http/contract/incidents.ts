/**
 * @module Incident response's requests. Incidents and their reports are sent whole, as JSON
 * objects: their shape is the incident desk's (packages/proposals/src/incidents).
 */
import { Type, type Static } from 'typebox';
import { JsonObject, List, Strict, Uuid } from './common.js';

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
export const Incident = JsonObject;
export const IncidentList = Type.Object({ items: List(JsonObject) });
export const ReportQuery = Strict({ format: Type.Optional(Type.Enum(['json', 'markdown'])) });
/** The report as JSON, or Markdown for people (`format=markdown`). */
export const IncidentReport = Type.Unknown();
export const ContainmentParams = Strict({ id: Uuid, proposalId: Uuid });

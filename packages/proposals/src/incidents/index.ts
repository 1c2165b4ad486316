/** @module Incident response: scope from the audit trail, rollbacks through review, the notification clock, the report. */
export { IncidentDesk } from './incident-desk.js';
export type { OpenIncidentInput } from './incident-desk.js';
export { breachClock, accessEvents, writeEvents, NOTIFY_DAYS, LARGE_BREACH } from './incident-model.js';
export type {
  IncidentOrigin,
  IncidentStatus,
  ContainmentStatus,
  Containment,
  BreachClock,
  Incident,
  AffectedPatient,
  ScopedEntry,
  ScopedProposal,
  IncidentReport,
} from './incident-model.js';
export { renderIncidentReport } from './incident-report.js';

/** @module The sandbox's FHIR R4 REST layer over Medplum's router and in-memory repository. */
export { loadFhirDefinitions } from './definitions.js';
export { SandboxRepository } from './sandbox-repository.js';
export type {
  ResourceChange,
  ChangeKind,
  ChangeListener,
  HistoryOptions,
  SandboxRepositoryOptions,
} from './sandbox-repository.js';
export { validateR4 } from './validation.js';
export { FhirHandler, defaultPageSize, maxPageSize } from './fhir-handler.js';
export type { FhirHandlerOptions } from './fhir-handler.js';
export { buildCapabilityStatement, buildSmartConfiguration } from './capability-statement.js';
export type { CapabilityOptions } from './capability-statement.js';
export { jsonReply, outcomeReply, fhirJson } from './http-reply.js';
export type { SandboxRequest, HttpReply } from './http-reply.js';

/**
 * @module @steward/sdk: Steward's platform API for AI and automation services — governed FHIR
 * reads, events (stream and signed webhooks), proposals for human review, governed model calls.
 */
export {
  apiToken,
  discoverTokenUrl,
  smartBackendServices,
  type SmartBackendOptions,
  type TokenSource,
} from './auth.js';
export { answer, createTransport, type StewardClientOptions, type StewardTransport } from './client.js';
export { StewardApiError, type ErrorDetail, type OperationOutcome } from './errors.js';
export { readEventStream, type EventSourceMessage } from './event-stream.js';
export type { components, paths } from './schema.js';

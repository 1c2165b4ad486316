/**
 * @module @steward/sdk: Steward's platform API for AI and automation services — governed FHIR
 * reads, events (stream and signed webhooks), proposals for human review, governed model calls.
 */
export { Steward } from './steward.js';
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
export { EventStream, type StreamOptions } from './events.js';
export { FhirReads, type SearchParams } from './fhir.js';
export {
  Proposals,
  ProposalTimeoutError,
  type AwaitOptions,
  type OutcomeName,
  type Proposal,
  type ProposalDraft,
  type ProposalPage,
  type ProposalQuery,
} from './proposals.js';
export { AiCalls, type AiCallAnswer, type AiCallRequest } from './ai.js';
export { isStewardEvent, type StewardEvent } from './event.js';
export { agentAccount, stewardForAccount, AgentAccountError, type AgentAccount } from './account.js';
export type { components, paths } from './schema.js';

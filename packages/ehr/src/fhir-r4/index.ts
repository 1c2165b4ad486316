/** @module FHIR R4 client layer: SMART Backend Services auth, resilient budgeted HTTP, and the FhirClient. */
export { FhirClient } from './fhir-client.js';
export type { FhirClientOptions, FhirResult, SearchParams, JsonPatchOperation } from './fhir-client.js';
export { supportsInteraction, supportsSearchParam } from './capability-statement.js';
export type { FhirInteraction } from './capability-statement.js';
export { SmartBackendAuth } from './smart-backend-auth.js';
export type { AccessTokenProvider, AssertionAlg, SmartBackendAuthOptions } from './smart-backend-auth.js';
export { GrantedScopes, parseSystemScope } from './smart-scopes.js';
export type { ScopeInteraction, ScopeNeed } from './smart-scopes.js';
export { CircuitBreaker } from './circuit-breaker.js';
export type { CircuitBreakerOptions, CircuitState, CircuitTicket } from './circuit-breaker.js';
export { RequestBudget } from './request-budget.js';
export type { RequestBudgetOptions, BudgetRelease } from './request-budget.js';
export { ResilientHttp } from './resilient-http.js';
export type { ResilienceOptions, ResilientHttpDeps, HttpRequest, HttpResult } from './resilient-http.js';
export {
  backoffDelay,
  parseRetryAfter,
  isRetryableStatus,
  isIdempotentMethod,
  failedBeforeSending,
} from './retry-policy.js';
export type { RetryOptions } from './retry-policy.js';
export { errorForResponse, outcomeDetails } from './fhir-errors.js';
export { realSleep } from './http-transport.js';
export type { HttpTransport, Sleep, RandomSource } from './http-transport.js';

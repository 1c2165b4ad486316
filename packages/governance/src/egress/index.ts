/** @module The egress registry: where data may go, and whether a BAA covers it. */
export { EgressRegistry, normalizeBaseUrl, isUnder, isPrivateAddress } from './egress-registry.js';
export { EgressAdmin } from './egress-admin.js';
export { AiCalls } from './ai-calls.js';
export type { AiCallPolicy, AiPatientFacts, AiMessage, AiCallRequest, AiCallResult, AiCallsDeps } from './ai-calls.js';
export { deidentify, removedKinds } from './deidentify.js';
export type { Deidentified, DeidentifyOptions, KnownPatient, RemovedKind } from './deidentify.js';
export type { EgressPolicy } from './egress-admin.js';
export type { EgressDestination, EgressSender, NewDestination, DestinationKind, Resolver } from './egress-registry.js';

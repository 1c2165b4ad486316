/** @module Test helpers for code that talks to the sandbox EHR (SMART client, authenticated FHIR fetch). */
export { makeKey, signAssertion, requestToken, tokenFor, fhirFetch } from './sandbox-test-client.js';
export type { TestKey } from './sandbox-test-client.js';

/** @module SMART Backend Services for the sandbox: scopes, client registration, the token endpoint. */
export { parseScope, parseScopes, scopesAllow, intersectScopes } from './scopes.js';
export type { Permission, SystemScope } from './scopes.js';
export { TokenEndpoint, clientAssertionType, allowedAssertionAlgs } from './token-endpoint.js';
export type {
  RegisteredClient,
  AccessToken,
  TokenErrorCode,
  TokenResult,
  TokenEndpointOptions,
} from './token-endpoint.js';

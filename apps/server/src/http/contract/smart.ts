/**
 * @module SMART Backend Services sign-in to Steward (issue 18): the discovery document, the token
 * endpoint's form and answers (RFC 6749 §5.1 and §5.2), and a service account's registration
 * (its public key set or JWKS URL, and the scopes it may be granted), as governance's identity
 * keeps them (packages/governance/src/identity/smart-backend.ts).
 */
import { Type, type Static } from 'typebox';
import { DateTime, List, Maybe, Nullable, Strict } from './common.js';

/** `/.well-known/smart-configuration`: what a backend client needs to sign in. */
export const SmartConfiguration = Type.Object({
  token_endpoint: Type.String(),
  token_endpoint_auth_methods_supported: List(Type.String()),
  token_endpoint_auth_signing_alg_values_supported: List(Type.String()),
  grant_types_supported: List(Type.String()),
  scopes_supported: List(Type.String()),
  response_types_supported: List(Type.String()),
  capabilities: List(Type.String()),
});

/** The token request, form-encoded (`application/x-www-form-urlencoded`). */
export const SmartTokenRequest = Strict({
  grant_type: Type.String({ description: 'client_credentials' }),
  client_assertion_type: Type.String({ description: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' }),
  client_assertion: Type.String({
    description: 'a JWT signed RS384 or ES384: iss = sub = client id, aud = the token endpoint, exp ≤ 5 min, jti',
  }),
  scope: Type.String({ description: 'space-separated: system/<Type>.<cruds> and Steward action names' }),
});
export type SmartTokenRequest = Static<typeof SmartTokenRequest>;

/** RFC 6749 §5.1: a bearer token for the API, short-lived (5 to 15 minutes). */
export const SmartTokenAnswer = Type.Object({
  access_token: Type.String(),
  token_type: Type.Enum(['bearer']),
  expires_in: Type.Integer(),
  scope: Type.String(),
});
/** RFC 6749 §5.2. */
export const SmartTokenError = Type.Object({
  error: Type.Enum(['invalid_request', 'invalid_client', 'invalid_grant', 'invalid_scope', 'unsupported_grant_type']),
  error_description: Type.String(),
});

/** A public key (JWK): RSA (n, e) or EC P-384 (x, y), with its kid. Private members are refused. */
const PublicJwk = Type.Object(
  {
    kty: Type.String(),
    kid: Type.String(),
    alg: Type.Optional(Type.String()),
    use: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
export const NewSmartClient = Strict({
  jwks: Type.Optional(Type.Object({ keys: Type.Array(PublicJwk, { minItems: 1, maxItems: 10 }) })),
  jwksUrl: Type.Optional(Type.String({ maxLength: 2000, description: 'under a registered egress destination' })),
  scopes: Type.Array(Type.String({ maxLength: 300 }), { minItems: 1, maxItems: 50, uniqueItems: true }),
});
export const SmartClient = Type.Object({
  clientId: Type.String(),
  serviceAccount: Type.String(),
  keys: List(
    Type.Object({ kid: Type.String(), kty: Type.String(), alg: Maybe(Type.String()), crv: Maybe(Type.String()) }),
  ),
  jwksUrl: Nullable(Type.String()),
  scopes: List(Type.String()),
  setBy: Type.String(),
  setAt: DateTime,
  /** Where its tokens are asked for. */
  tokenEndpoint: Type.String(),
});

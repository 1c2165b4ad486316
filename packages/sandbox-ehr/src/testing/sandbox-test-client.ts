/**
 * @module Test helpers: a SMART Backend Services client for the sandbox (keys, signed assertions, tokens) and a
 * small authenticated FHIR fetch. Used by this package's tests; not part of the sandbox itself.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK, JWTPayload } from 'jose';
import type { SandboxEhr } from '../sandbox-ehr.js';

export interface TestKey {
  readonly alg: 'RS384' | 'ES384';
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

export async function makeKey(alg: 'RS384' | 'ES384', kid = `${alg}-${randomUUID()}`): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg };
  return { alg, kid, privateKey, publicJwk };
}

/** A signed client assertion; `overrides` replace claims (undefined removes one). */
export async function signAssertion(
  ehr: SandboxEhr,
  clientId: string,
  key: TestKey,
  overrides: Partial<Record<keyof JWTPayload, unknown>> = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: clientId,
    sub: clientId,
    aud: ehr.tokenUrl,
    exp: now + 240,
    jti: randomUUID(),
  };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete claims[k];
    else claims[k] = v;
  }
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header })
    .sign(key.privateKey);
}

export async function requestToken(ehr: SandboxEhr, assertion: string, scope: string): Promise<Response> {
  return fetch(ehr.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
      scope,
    }),
  });
}

/** Registers a client allowed `allowedScopes` and returns an access token for `scope` (default: all allowed). */
export async function tokenFor(
  ehr: SandboxEhr,
  allowedScopes: string[],
  scope = allowedScopes.join(' '),
): Promise<string> {
  const key = await makeKey('ES384');
  const clientId = `client-${randomUUID()}`;
  ehr.registerClient({ clientId, jwks: { keys: [key.publicJwk] }, allowedScopes });
  const res = await requestToken(ehr, await signAssertion(ehr, clientId, key), scope);
  const body = (await res.json()) as { access_token?: string };
  if (res.status !== 200 || !body.access_token) throw new Error(`token request failed with ${res.status}`);
  return body.access_token;
}

/** An authenticated FHIR call below the base URL (or to an absolute URL); JSON in and out. */
export async function fhirFetch(
  ehr: SandboxEhr,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- FHIR JSON answers, asserted on by tests
): Promise<{ status: number; headers: Headers; json: any }> {
  const target = path.startsWith('http') ? path : `${ehr.fhirBaseUrl}/${path}`;
  const res = await fetch(target, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/fhir+json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  return { status: res.status, headers: res.headers, json };
}

/**
 * @module How the SDK proves who it is: a Steward API token, or SMART Backend Services (the
 * client-credentials grant with a signed JWT assertion, SMART App Launch 2.x), where the private key
 * never leaves the caller and Steward keeps only the public key.
 */
import { importJWK, SignJWT, type CryptoKey, type JWK, type KeyObject } from 'jose';
import { errorOf, isRecord, StewardApiError } from './errors.js';

/** Gives the bearer token for the next request; may fetch a new one when the last has expired. */
export interface TokenSource {
  token(fetcher: typeof fetch, baseUrl: string): Promise<string>;
  /** Forget a cached token (the server answered 401): the next `token()` signs in again. */
  invalidate?(): void;
}

/** An API token issued by a Steward administrator (`steward services token …`). */
export function apiToken(token: string): TokenSource {
  if (token.trim() === '') throw new TypeError('apiToken: the token is empty');
  return { token: () => Promise.resolve(token) };
}

export interface SmartBackendOptions {
  /** The client id Steward registered the service account's public key under. */
  readonly clientId: string;
  /** The private key: a JWK (with `d`), a WebCrypto CryptoKey or a Node KeyObject. */
  readonly privateKey: JWK | CryptoKey | KeyObject;
  /** RS384 or ES384, as SMART Backend Services requires. */
  readonly alg: 'RS384' | 'ES384';
  /** The key id in the JWKS Steward holds (the JWT header's `kid`). */
  readonly kid: string;
  /** Scopes asked for, e.g. `system/Appointment.rs system/Patient.rs`. */
  readonly scope: string;
  /** The token endpoint; read from `/.well-known/smart-configuration` when omitted. */
  readonly tokenUrl?: string;
  /** Renew this long before the token expires (default 30 s). */
  readonly renewBeforeMs?: number;
  /** The clock (tests). */
  readonly now?: () => number;
}

/**
 * SMART Backend Services: signs a one-use client assertion (iss = sub = client id, aud = the token
 * endpoint, 5 minutes, a fresh jti) and exchanges it for a short-lived access token, renewed when
 * it is about to expire. Concurrent callers share one exchange.
 */
export function smartBackendServices(options: SmartBackendOptions): TokenSource {
  const now = options.now ?? Date.now;
  const renewBefore = options.renewBeforeMs ?? 30_000;
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  let key: Promise<CryptoKey | KeyObject | Uint8Array> | undefined;

  const signingKey = () =>
    (key ??= isJwk(options.privateKey)
      ? importJWK(options.privateKey, options.alg)
      : Promise.resolve(options.privateKey));

  async function exchange(fetcher: typeof fetch, baseUrl: string): Promise<string> {
    const tokenUrl = options.tokenUrl ?? (await discoverTokenUrl(fetcher, baseUrl));
    const issuedAt = Math.floor(now() / 1000);
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: options.alg, kid: options.kid, typ: 'JWT' })
      .setIssuer(options.clientId)
      .setSubject(options.clientId)
      .setAudience(tokenUrl)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + 300)
      .setJti(crypto.randomUUID())
      .sign(await signingKey());
    const response = await fetcher(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: options.scope,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      }),
    });
    if (!response.ok) throw await errorOf(response);
    const body: unknown = await response.json();
    if (!isRecord(body) || typeof body['access_token'] !== 'string' || typeof body['expires_in'] !== 'number')
      throw new StewardApiError(
        response.status,
        'INVALID_TOKEN_RESPONSE',
        'the token endpoint answered no access token',
      );
    cached = { token: body['access_token'], expiresAt: now() + body['expires_in'] * 1000 };
    return cached.token;
  }

  return {
    token(fetcher, baseUrl) {
      if (cached !== undefined && cached.expiresAt - renewBefore > now()) return Promise.resolve(cached.token);
      pending ??= exchange(fetcher, baseUrl).finally(() => (pending = undefined));
      return pending;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

/** The token endpoint a Steward server advertises (SMART configuration discovery). */
export async function discoverTokenUrl(fetcher: typeof fetch, baseUrl: string): Promise<string> {
  const response = await fetcher(new URL('.well-known/smart-configuration', withSlash(baseUrl)), {
    headers: { accept: 'application/json' },
  });
  if (!response.ok) throw await errorOf(response);
  const body: unknown = await response.json();
  if (!isRecord(body) || typeof body['token_endpoint'] !== 'string')
    throw new StewardApiError(
      response.status,
      'INVALID_SMART_CONFIGURATION',
      'the SMART configuration names no token_endpoint',
    );
  return body['token_endpoint'];
}

export const withSlash = (url: string): string => (url.endsWith('/') ? url : `${url}/`);

const isJwk = (k: unknown): k is JWK => isRecord(k) && typeof k['kty'] === 'string';

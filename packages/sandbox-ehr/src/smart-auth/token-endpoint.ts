/**
 * @module The SMART Backend Services token endpoint: client_credentials with a signed JWT client assertion
 * (RFC 7523, SMART "asymmetric client authentication"), validated with jose, answering RFC 6749 errors.
 *
 * Known limits: keys come from a JWKS registered programmatically (no `jku` fetching); access tokens are opaque
 * and live in memory; the `jti` replay cache is per process.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '@steward/core';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import type { JSONWebKeySet } from 'jose';
import { intersectScopes, parseScopes } from './scopes.js';
import type { SystemScope } from './scopes.js';

export const clientAssertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const allowedAssertionAlgs = ['RS384', 'ES384'] as const;
/** SMART: the assertion's `exp` is at most five minutes in the future. */
const maxAssertionLifetimeSeconds = 300;
/** Tolerated clock skew between client and sandbox, in seconds. */
const clockSkewSeconds = 30;

export interface RegisteredClient {
  readonly clientId: string;
  /** Public keys only; each needs a `kid`, since the assertion names its key. */
  readonly jwks: JSONWebKeySet;
  /** What the client may ever be granted, as scope strings (v1 or v2 syntax). */
  readonly allowedScopes: readonly string[];
}

export interface AccessToken {
  readonly token: string;
  readonly clientId: string;
  readonly scopes: readonly SystemScope[];
  readonly expiresAt: number;
}

export type TokenErrorCode =
  'invalid_request' | 'invalid_client' | 'invalid_grant' | 'invalid_scope' | 'unsupported_grant_type';

export interface TokenResult {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export interface TokenEndpointOptions {
  /** The token endpoint's public URL: the only `aud` accepted. */
  readonly tokenUrl: string;
  readonly accessTokenTtlSeconds: number;
  readonly clock: Clock;
}

function tokenError(error: TokenErrorCode, description: string): TokenResult {
  return { status: error === 'invalid_client' ? 401 : 400, body: { error, error_description: description } };
}

/** Registered clients, issued access tokens and seen assertion ids, all in memory. */
export class TokenEndpoint {
  readonly #clients = new Map<string, { client: RegisteredClient; allowed: SystemScope[] }>();
  readonly #tokens = new Map<string, AccessToken>();
  /** `clientId jti` → the assertion's exp (seconds): kept until then, after which the assertion is dead anyway. */
  readonly #seenJtis = new Map<string, number>();
  readonly #options: TokenEndpointOptions;

  constructor(options: TokenEndpointOptions) {
    this.#options = options;
  }

  registerClient(client: RegisteredClient): void {
    for (const key of client.jwks.keys) {
      if (typeof key.kid !== 'string' || key.kid === '') throw new TypeError('every registered key needs a kid');
      if ('d' in key || 'k' in key) throw new TypeError('register public keys only');
    }
    this.#clients.set(client.clientId, { client, allowed: parseScopes(client.allowedScopes.join(' ')) });
  }

  /** The live access token for a bearer value, or undefined when unknown or expired. */
  introspect(token: string): AccessToken | undefined {
    const found = this.#tokens.get(token);
    if (!found) return undefined;
    if (found.expiresAt <= this.#nowMs()) {
      this.#tokens.delete(token);
      return undefined;
    }
    return found;
  }

  #nowMs(): number {
    return this.#options.clock.now().getTime();
  }

  /** Handles one form-encoded token request. */
  async handle(form: URLSearchParams): Promise<TokenResult> {
    const grantType = form.get('grant_type');
    if (grantType === null) return tokenError('invalid_request', 'grant_type is required');
    if (grantType !== 'client_credentials') {
      return tokenError('unsupported_grant_type', 'only client_credentials is supported');
    }
    if (form.get('client_assertion_type') !== clientAssertionType) {
      return tokenError('invalid_client', `client_assertion_type must be ${clientAssertionType}`);
    }
    const assertion = form.get('client_assertion');
    if (!assertion) return tokenError('invalid_client', 'client_assertion is required');
    const scopeText = form.get('scope');
    if (!scopeText) return tokenError('invalid_scope', 'scope is required');

    const verified = await this.#verifyAssertion(assertion);
    if ('error' in verified) return verified.error;
    const { client, allowed } = verified;

    const granted = intersectScopes(parseScopes(scopeText), allowed);
    if (granted.length === 0) {
      return tokenError('invalid_scope', 'none of the requested scopes is allowed for this client');
    }
    const ttl = this.#options.accessTokenTtlSeconds;
    const token: AccessToken = {
      token: randomBytes(32).toString('base64url'),
      clientId: client.clientId,
      scopes: granted,
      expiresAt: this.#nowMs() + ttl * 1000,
    };
    this.#tokens.set(token.token, token);
    const scope = granted.map((s) => s.text).join(' ');
    return { status: 200, body: { access_token: token.token, token_type: 'bearer', expires_in: ttl, scope } };
  }

  async #verifyAssertion(
    assertion: string,
  ): Promise<{ client: RegisteredClient; allowed: SystemScope[] } | { error: TokenResult }> {
    const fail = (description: string): { error: TokenResult } => ({
      error: tokenError('invalid_client', description),
    });
    let header: ReturnType<typeof decodeProtectedHeader>;
    let claims: ReturnType<typeof decodeJwt>;
    try {
      header = decodeProtectedHeader(assertion);
      claims = decodeJwt(assertion);
    } catch {
      return fail('client_assertion is not a JWT');
    }
    // Checked before any key is touched, so `none` and HMAC (even keyed with the public key) never verify.
    if (!(allowedAssertionAlgs as readonly unknown[]).includes(header.alg)) {
      return fail(`client_assertion alg must be one of ${allowedAssertionAlgs.join(', ')}`);
    }
    if (typeof header.kid !== 'string') return fail('client_assertion header has no kid');
    if (typeof claims.iss !== 'string') return fail('client_assertion has no iss');
    const registered = this.#clients.get(claims.iss);
    if (!registered) return fail('unknown client');
    if (!registered.client.jwks.keys.some((k) => k.kid === header.kid)) {
      return fail('client_assertion kid does not name a registered key');
    }
    const nowSeconds = Math.floor(this.#nowMs() / 1000);
    let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      ({ payload } = await jwtVerify(assertion, createLocalJWKSet(registered.client.jwks), {
        algorithms: [...allowedAssertionAlgs],
        issuer: registered.client.clientId,
        subject: registered.client.clientId,
        audience: this.#options.tokenUrl,
        requiredClaims: ['exp', 'jti'],
        currentDate: new Date(nowSeconds * 1000),
        clockTolerance: clockSkewSeconds,
      }));
    } catch (e) {
      // jose's codes name the failed rule (signature, claim, expiry) and never echo claim values.
      const code = e instanceof Error && 'code' in e ? String(e.code) : 'ERR_JWT_INVALID';
      const claim = e instanceof Error && 'claim' in e ? ` (${String(e.claim)})` : '';
      return fail(`client_assertion rejected: ${code}${claim}`);
    }
    const exp = payload.exp ?? 0;
    if (exp > nowSeconds + maxAssertionLifetimeSeconds + clockSkewSeconds) {
      return fail('client_assertion exp is more than 5 minutes ahead');
    }
    if (typeof payload.jti !== 'string' || payload.jti === '') return fail('client_assertion jti is required');
    this.#forgetExpiredJtis(nowSeconds);
    const jtiKey = `${registered.client.clientId} ${payload.jti}`;
    if (this.#seenJtis.has(jtiKey)) return fail('client_assertion jti was already used');
    this.#seenJtis.set(jtiKey, exp + clockSkewSeconds);
    return registered;
  }

  #forgetExpiredJtis(nowSeconds: number): void {
    for (const [key, until] of this.#seenJtis) if (until < nowSeconds) this.#seenJtis.delete(key);
  }
}

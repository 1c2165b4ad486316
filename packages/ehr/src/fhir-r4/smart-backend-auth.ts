/** @module SMART Backend Services: discovery, signed client assertions (RS384/ES384), token caching and refresh, granted scopes. */
import { randomBytes } from 'node:crypto';
import { ConfigError, OperationalError, UserError, isStewardError, systemClock } from '@steward/core';
import type { Clock } from '@steward/core';
import { SignJWT, importJWK } from 'jose';
import type { JWK } from 'jose';
import { readBodyCapped } from './http-transport.js';
import type { HttpTransport } from './http-transport.js';
import { GrantedScopes } from './smart-scopes.js';
import type { ScopeNeed } from './smart-scopes.js';

/** What the FHIR client needs from an authorizer; an open sandbox server needs none. */
export interface AccessTokenProvider {
  /** A bearer token valid for a while yet, fetched or refreshed as needed. */
  accessToken(): Promise<string>;
  /** The FHIR server refused `token` (401): forget it, so the next call gets a new one. */
  invalidate(token: string): void;
  /** EHR_SCOPE_NOT_GRANTED, before anything is sent, when the granted scopes do not cover `need`. */
  requireScope(need: ScopeNeed): Promise<void>;
}

export type AssertionAlg = 'RS384' | 'ES384';

export interface SmartBackendAuthOptions {
  /** The FHIR base URL; discovery reads `<base>/.well-known/smart-configuration`. */
  readonly fhirBaseUrl: string;
  readonly clientId: string;
  /** The private JWK registered (as its public half) with the EHR. Must carry `kid`. */
  readonly privateKey: JWK;
  /** Scopes asked for, e.g. `system/Patient.rs system/Task.cu`. */
  readonly scopes: readonly string[];
  readonly transport: HttpTransport;
  readonly clock?: Clock;
  /** Skips discovery (some EHRs publish the endpoint only in their documentation). */
  readonly tokenEndpoint?: string;
  /** Assertion lifetime; SMART allows at most 300 s. Default 240 s, leaving room for clock skew. */
  readonly assertionLifetimeSeconds?: number;
  /** Refresh this long before `expires_in` runs out (at most half the lifetime). Default 60 s. */
  readonly refreshMarginSeconds?: number;
  /** Time-out of discovery and token requests. Default 10 s. */
  readonly timeoutMs?: number;
}

interface CachedToken {
  readonly value: string;
  readonly refreshAt: number;
  readonly scopes: GrantedScopes;
}

const assertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const maxAuthBodyBytes = 256 * 1024;

/**
 * One instance per EHR connection. Known limits: the token request goes through the transport
 * (egress registry) but not through the FHIR connection's budget or breaker, and is not retried:
 * a failure surfaces as EHR_UNAVAILABLE and the next call tries again.
 */
export class SmartBackendAuth implements AccessTokenProvider {
  readonly #o: SmartBackendAuthOptions;
  readonly #clock: Clock;
  readonly #alg: AssertionAlg;
  readonly #kid: string;
  readonly #lifetime: number;
  #key: ReturnType<typeof importJWK> | undefined;
  #tokenUrl: Promise<string> | undefined;
  #token: CachedToken | undefined;
  #inflight: Promise<CachedToken> | undefined;

  constructor(options: SmartBackendAuthOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#alg = assertionAlg(options.privateKey);
    if (typeof options.privateKey.kid !== 'string' || options.privateKey.kid.length === 0) {
      throw new ConfigError([{ path: 'privateKey.kid', message: 'a kid is required (SMART Backend Services)' }]);
    }
    if (typeof options.privateKey.d !== 'string') {
      throw new ConfigError([{ path: 'privateKey.d', message: 'a private key is required' }]);
    }
    this.#kid = options.privateKey.kid;
    this.#lifetime = options.assertionLifetimeSeconds ?? 240;
    if (!(this.#lifetime > 0 && this.#lifetime <= 300)) {
      throw new ConfigError([{ path: 'assertionLifetimeSeconds', message: 'must be in (0, 300]' }]);
    }
  }

  /** The algorithm client assertions are signed with, from the key. */
  get alg(): AssertionAlg {
    return this.#alg;
  }

  /** Scopes granted by the last token response, which may be narrower than those asked for. */
  get grantedScopes(): readonly string[] | undefined {
    return this.#token?.scopes.raw;
  }

  async accessToken(): Promise<string> {
    return (await this.#current()).value;
  }

  invalidate(token: string): void {
    if (this.#token?.value === token) this.#token = undefined;
  }

  async requireScope(need: ScopeNeed): Promise<void> {
    (await this.#current()).scopes.require(need);
  }

  /** The token endpoint, discovered once (a failed discovery is retried on the next call). */
  tokenEndpoint(): Promise<string> {
    this.#tokenUrl ??= (
      this.#o.tokenEndpoint !== undefined ? Promise.resolve(this.#o.tokenEndpoint) : this.#discover()
    ).catch((e: unknown) => {
      this.#tokenUrl = undefined;
      throw e;
    });
    return this.#tokenUrl;
  }

  /** Signs one client assertion for `tokenUrl`: fresh `jti`, `exp` at most 300 s after `iat`. */
  async signAssertion(tokenUrl: string): Promise<string> {
    this.#key ??= importJWK(this.#o.privateKey, this.#alg);
    const iat = Math.floor(this.#clock.now().getTime() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: this.#alg, kid: this.#kid, typ: 'JWT' })
      .setIssuer(this.#o.clientId)
      .setSubject(this.#o.clientId)
      .setAudience(tokenUrl)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.#lifetime)
      .setJti(randomBytes(18).toString('base64url'))
      .sign(await this.#key);
  }

  async #current(): Promise<CachedToken> {
    const cached = this.#token;
    if (cached !== undefined && this.#clock.now().getTime() < cached.refreshAt) return cached;
    // One token request at a time: concurrent callers share the one in flight.
    this.#inflight ??= this.#fetchToken().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async #discover(): Promise<string> {
    const base = this.#o.fhirBaseUrl.replace(/\/+$/, '');
    const { status, json } = await this.#call(`${base}/.well-known/smart-configuration`, {
      method: 'GET',
      headers: { accept: 'application/json' },
    });
    if (status !== 200 || typeof json !== 'object' || json === null) {
      if (status >= 500) throw new OperationalError('EHR_UNAVAILABLE', 'SMART configuration unavailable');
      // Rate limited is a passing reason, not a missing configuration.
      if (status === 429) throw new OperationalError('EHR_RATE_LIMITED', 'EHR rate limited SMART discovery');
      throw new UserError('EHR_NOT_SUPPORTED', 'EHR publishes no readable SMART configuration');
    }
    const config = json as Record<string, unknown>;
    const endpoint = config['token_endpoint'];
    const methods = config['token_endpoint_auth_methods_supported'];
    const algs = config['token_endpoint_auth_signing_alg_values_supported'];
    if (typeof endpoint !== 'string' || !isAllowedEndpoint(endpoint, base)) {
      throw new UserError('EHR_NOT_SUPPORTED', 'SMART configuration has no usable token_endpoint');
    }
    if (!Array.isArray(methods) || !methods.includes('private_key_jwt')) {
      throw new UserError('EHR_NOT_SUPPORTED', 'EHR token endpoint does not support private_key_jwt');
    }
    if (algs !== undefined && (!Array.isArray(algs) || !algs.includes(this.#alg))) {
      throw new UserError('EHR_NOT_SUPPORTED', `EHR token endpoint does not accept ${this.#alg} assertions`);
    }
    return endpoint;
  }

  async #fetchToken(): Promise<CachedToken> {
    const tokenUrl = await this.tokenEndpoint();
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: this.#o.scopes.join(' '),
      client_assertion_type: assertionType,
      client_assertion: await this.signAssertion(tokenUrl),
    });
    const { status, json } = await this.#call(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
    });
    const body = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
    if (status >= 500) throw new OperationalError('EHR_UNAVAILABLE', 'EHR token endpoint unavailable');
    if (status === 429) throw new OperationalError('EHR_RATE_LIMITED', 'EHR rate limited the token request');
    if (status !== 200) {
      // The OAuth error code only: error_description may quote the request, and the assertion never leaves here.
      const code =
        typeof body['error'] === 'string' && /^[a-z_]{1,64}$/.test(body['error']) ? body['error'] : 'unknown';
      throw new UserError('EHR_AUTH_FAILED', `EHR token request refused: ${code}`, [{ path: 'error', message: code }]);
    }
    const accessToken = body['access_token'];
    const tokenType = body['token_type'];
    if (
      typeof accessToken !== 'string' ||
      accessToken.length === 0 ||
      typeof tokenType !== 'string' ||
      tokenType.toLowerCase() !== 'bearer'
    ) {
      throw new UserError('EHR_AUTH_FAILED', 'EHR token response has no bearer access_token');
    }
    // RFC 6749 §5.1: no expires_in means the server did not say; assume a short life and refresh early.
    const expiresIn = typeof body['expires_in'] === 'number' && body['expires_in'] > 0 ? body['expires_in'] : 300;
    // RFC 6749 §5.1: no scope in the response means the requested scopes were granted.
    const scopes =
      typeof body['scope'] === 'string' ? GrantedScopes.fromString(body['scope']) : new GrantedScopes(this.#o.scopes);
    const margin = Math.min(this.#o.refreshMarginSeconds ?? 60, expiresIn / 2);
    const token: CachedToken = {
      value: accessToken,
      refreshAt: this.#clock.now().getTime() + (expiresIn - margin) * 1000,
      scopes,
    };
    this.#token = token;
    return token;
  }

  async #call(url: string, init: RequestInit): Promise<{ status: number; json: unknown }> {
    let response: Response;
    let text: string;
    try {
      response = await this.#o.transport(url, {
        ...init,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#o.timeoutMs ?? 10_000),
      });
      text = await readBodyCapped(response, maxAuthBodyBytes);
    } catch (e) {
      if (isStewardError(e)) throw e;
      throw new OperationalError('EHR_UNAVAILABLE', 'EHR authorization server unreachable', [], { cause: e });
    }
    let json: unknown;
    try {
      json = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, json };
  }
}

function assertionAlg(key: JWK): AssertionAlg {
  if (key.alg !== undefined) {
    if (key.alg === 'RS384') return 'RS384';
    if (key.alg === 'ES384') return 'ES384';
    throw new ConfigError([{ path: 'privateKey.alg', message: 'must be RS384 or ES384 (SMART Backend Services)' }]);
  }
  if (key.kty === 'RSA') return 'RS384';
  if (key.kty === 'EC' && key.crv === 'P-384') return 'ES384';
  throw new ConfigError([{ path: 'privateKey', message: 'must be an RSA key or an EC P-384 key' }]);
}

/** https, or http only when the FHIR base itself is http (a local sandbox). */
function isAllowedEndpoint(endpoint: string, base: string): boolean {
  try {
    const url = new URL(endpoint);
    if (url.username !== '' || url.password !== '') return false;
    return url.protocol === 'https:' || (url.protocol === 'http:' && new URL(base).protocol === 'http:');
  } catch {
    return false;
  }
}

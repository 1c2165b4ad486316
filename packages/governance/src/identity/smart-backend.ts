/**
 * @module SMART Backend Services sign-in to Steward (SMART App Launch 2.x "Backend Services": the
 * OAuth client-credentials grant with a `private_key_jwt` client assertion, RFC 7523). A service
 * account's public key set is registered here (a JWKS kept in `smart_clients`, or a JWKS URL that
 * must be under an egress destination and is fetched through the registry), with the scopes it
 * may ever be granted. `exchange` verifies an assertion with jose — alg RS384 or ES384 only, the
 * key named by `kid`, iss = sub = the client id (the service account's id), aud = this token
 * endpoint, exp at most five minutes ahead, a `jti` never used before (kept until the assertion
 * expires) — and issues a short-lived API token (5 to 15 minutes) for the account with the granted
 * scopes, which the authenticator then accepts like any API token (tokens.ts).
 *
 * Errors are RFC 6749 §5.2 codes: everything about the assertion is `invalid_client` (401), as
 * SMART says; a disabled account `invalid_grant`; nothing grantable `invalid_scope`. Every refusal
 * is audited (`auth.login_failed`, the precise rule in the reason, never the assertion), every issue
 * too (`auth.token_created`, reason `smart_backend`).
 *
 * It checks no permission: registration goes through `AccountService` (tokens.manage). Known
 * limits: the JWKS of a URL is cached for a minute per process (fetched again early when a `kid`
 * is not in it); a `jti` is unique per client, not across clients.
 */
import type { Actor, Clock } from '@steward/core';
import { NotFoundError, ValidationError } from '@steward/core';
import type { Database } from '@steward/store';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import type { JSONWebKeySet, JWK } from 'jose';
import type { AuditSink } from '../audit/audit-entry.js';
import {
  anonymousActor,
  auditActor,
  auditOrUndo,
  auditSource,
  isUuid,
  type RequestSource,
} from './identity-support.js';
import { impliedActions, intersectScopes, isGrantableScope } from './smart-scopes.js';
import type { ApiTokens } from './tokens.js';

export const clientAssertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const assertionAlgs = ['RS384', 'ES384'] as const;
/** SMART: an assertion's `exp` is at most five minutes ahead. */
const maxAssertionSeconds = 300;
/** Tolerated clock difference between a client and Steward. */
const skewSeconds = 30;
const jwksCacheMs = 60_000;
/** The name every token of a SMART sign-in carries in token lists. */
export const smartTokenName = 'smart-backend-services';
const privateMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** A key as registration lists it: never more than its public identity. */
export interface SmartKeySummary {
  readonly kid: string;
  readonly kty: string;
  readonly alg?: string;
  readonly crv?: string;
}

export interface SmartClient {
  /** The `client_id` (= `iss` = `sub` of its assertions): the service account's id. */
  readonly clientId: string;
  readonly serviceAccount: string;
  /** The keys registered inline (public halves); empty when they come from `jwksUrl`. */
  readonly keys: readonly SmartKeySummary[];
  readonly jwksUrl: string | null;
  /** The most a token may be granted: SMART system scopes and Steward action names. */
  readonly scopes: readonly string[];
  readonly setBy: string;
  readonly setAt: Date;
}

export interface NewSmartClient {
  readonly jwks?: unknown;
  readonly jwksUrl?: string;
  readonly scopes: readonly string[];
}

/** Where a JWKS URL is checked and fetched: the egress registry, with no PHI (the kernel wires it). */
export interface JwksSource {
  /** Throws (and audits) when the URL is not under a registered destination. */
  check(actor: Actor, url: string): Promise<void>;
  /** The parsed JSON at the URL; throws when it cannot be had. */
  fetch(actor: Actor, url: string): Promise<unknown>;
}

export interface SmartBackendDeps {
  readonly db: Database;
  readonly audit: AuditSink;
  readonly clock: Clock;
  readonly tokens: ApiTokens;
  readonly jwks: JwksSource;
  /** Steward's action names (policy's table), which a client may be registered for beside SMART scopes. */
  readonly actions: readonly string[];
  /** Lifetime of an issued access token, 300 to 900 s. Default 300. */
  readonly accessTokenSeconds?: number;
}

export type SmartTokenErrorCode =
  'invalid_request' | 'invalid_client' | 'invalid_grant' | 'invalid_scope' | 'unsupported_grant_type';

export type SmartTokenResult =
  | {
      readonly ok: true;
      readonly body: {
        readonly access_token: string;
        readonly token_type: 'bearer';
        readonly expires_in: number;
        readonly scope: string;
      };
    }
  | {
      readonly ok: false;
      readonly status: 400 | 401;
      readonly body: { readonly error: SmartTokenErrorCode; readonly error_description: string };
    };

interface ClientRow {
  service_account_id: string;
  name: string;
  disabled_at: Date | null;
  jwks: JSONWebKeySet | null;
  jwks_url: string | null;
  scopes: string[];
  set_by: string;
  set_at: Date;
}

const clientColumns = `c.service_account_id, s.name, s.disabled_at, c.jwks, c.jwks_url, c.scopes, c.set_by, c.set_at`;

/** A refused token request, thrown inside the exchange and answered as RFC 6749 §5.2 says. */
class Refusal extends Error {
  constructor(
    readonly code: SmartTokenErrorCode,
    /** Told to the client: the rule, never a value from the request. */
    readonly description: string,
    /** For audit only: the precise rule. */
    readonly reason: string,
    readonly client?: { readonly id: string },
  ) {
    super(description);
  }
}

export class SmartBackendServices {
  readonly #d: SmartBackendDeps;
  readonly #ttl: number;
  readonly #jwksCache = new Map<string, { readonly keys: JSONWebKeySet; readonly at: number }>();

  constructor(deps: SmartBackendDeps) {
    this.#d = deps;
    this.#ttl = deps.accessTokenSeconds ?? 300;
    if (!Number.isInteger(this.#ttl) || this.#ttl < 300 || this.#ttl > 900) {
      throw new ValidationError('invalid SMART token lifetime', [
        { path: 'accessTokenSeconds', message: 'from 300 to 900 seconds' },
      ]);
    }
  }

  /** Access tokens' lifetime, in seconds. */
  get accessTokenSeconds(): number {
    return this.#ttl;
  }

  /**
   * Registers (or replaces) the account's key set: exactly one of `jwks` (public keys only, each
   * with a `kid`; RSA of at least 2048 bits or EC P-384) or `jwksUrl` (under an egress
   * destination), and the scopes it may be granted. Audited `admin.service_account_changed`.
   */
  async register(by: Actor, serviceAccountId: string, input: NewSmartClient): Promise<SmartClient> {
    const account = await this.#account(serviceAccountId);
    const problems: { path: string; message: string }[] = [];
    const scopes = [...new Set(input.scopes)];
    if (scopes.length === 0 || scopes.length > 50) problems.push({ path: 'scopes', message: '1 to 50 scopes' });
    scopes.forEach((s, i) => {
      if (!isGrantableScope(s, this.#d.actions))
        problems.push({
          path: `scopes/${i}`,
          message: 'not a SMART system scope (system/<Type|*>.<cruds>) nor a Steward action name',
        });
    });
    if ((input.jwks === undefined) === (input.jwksUrl === undefined)) {
      problems.push({ path: 'jwks', message: 'give exactly one of jwks (the public keys) or jwksUrl' });
    }
    let jwks: JSONWebKeySet | null = null;
    if (input.jwks !== undefined) {
      const checked = await checkKeySet(input.jwks);
      if (typeof checked === 'string') problems.push({ path: 'jwks', message: checked });
      else jwks = checked;
    }
    if (input.jwksUrl !== undefined && !/^https?:\/\/[^\s]{1,2000}$/.test(input.jwksUrl)) {
      problems.push({ path: 'jwksUrl', message: 'an http(s) URL' });
    }
    if (problems.length > 0) throw new ValidationError('the SMART client registration is invalid', problems);
    if (input.jwksUrl !== undefined) await this.#d.jwks.check(by, input.jwksUrl);
    const now = this.#d.clock.now();
    const previous = await this.#row(account.id);
    await this.#d.db.query(
      `insert into smart_clients (service_account_id, jwks, jwks_url, scopes, set_by, set_at)
       values ($1, $2, $3, $4, $5, $6)
       on conflict (service_account_id) do update
         set jwks = excluded.jwks, jwks_url = excluded.jwks_url, scopes = excluded.scopes,
             set_by = excluded.set_by, set_at = excluded.set_at`,
      [account.id, jwks === null ? null : JSON.stringify(jwks), input.jwksUrl ?? null, scopes, by.id, now],
    );
    if (input.jwksUrl !== undefined) this.#jwksCache.delete(input.jwksUrl);
    await auditOrUndo(
      this.#d.audit,
      this.#entry(by, account.id, previous === undefined ? 'C' : 'U', 'smart_keys_set'),
      () =>
        previous === undefined
          ? this.#d.db.query('delete from smart_clients where service_account_id = $1', [account.id])
          : this.#d.db.query(
              `update smart_clients set jwks = $2, jwks_url = $3, scopes = $4, set_by = $5, set_at = $6
             where service_account_id = $1`,
              [
                account.id,
                previous.jwks === null ? null : JSON.stringify(previous.jwks),
                previous.jwks_url,
                previous.scopes,
                previous.set_by,
                previous.set_at,
              ],
            ),
    );
    const row = await this.#row(account.id);
    if (row === undefined) throw new NotFoundError('SMART client');
    return toClient(row);
  }

  /** The account's registration, or NOT_FOUND. */
  async get(serviceAccountId: string): Promise<SmartClient> {
    const row = isUuid(serviceAccountId) ? await this.#row(serviceAccountId) : undefined;
    if (row === undefined) throw new NotFoundError('SMART client');
    return toClient(row);
  }

  /** Removes the registration: no further sign-in; tokens already issued run out by themselves (revoke them to end them now). */
  async remove(by: Actor, serviceAccountId: string): Promise<void> {
    const row = isUuid(serviceAccountId) ? await this.#row(serviceAccountId) : undefined;
    if (row === undefined) throw new NotFoundError('SMART client');
    await this.#d.db.query('delete from smart_clients where service_account_id = $1', [serviceAccountId]);
    if (row.jwks_url !== null) this.#jwksCache.delete(row.jwks_url);
    await this.#d.audit.append(this.#entry(by, serviceAccountId, 'D', 'smart_keys_removed'));
  }

  /**
   * One token request, its form fields as sent. `tokenUrls` are the `aud` values accepted (this
   * endpoint's URL as configured, and as the request reached it when none is).
   */
  async exchange(
    form: Readonly<Record<string, string | undefined>>,
    tokenUrls: readonly string[],
    source?: RequestSource,
  ): Promise<SmartTokenResult> {
    try {
      return await this.#exchange(form, tokenUrls);
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      await this.#d.audit.append({
        actor: anonymousActor('api-token'),
        event: 'auth.login_failed',
        action: 'E',
        outcome: 'denied',
        ...(e.client !== undefined ? { entity: { kind: 'service_account', id: e.client.id } } : {}),
        reason: `smart:${e.code}:${e.reason}`,
        ...auditSource(source),
      });
      return {
        ok: false,
        status: e.code === 'invalid_client' ? 401 : 400,
        body: { error: e.code, error_description: e.description },
      };
    }
  }

  async #exchange(
    form: Readonly<Record<string, string | undefined>>,
    tokenUrls: readonly string[],
  ): Promise<SmartTokenResult> {
    const grantType = form['grant_type'];
    if (grantType === undefined || grantType === '')
      throw new Refusal('invalid_request', 'grant_type is required', 'no_grant_type');
    if (grantType !== 'client_credentials')
      throw new Refusal('unsupported_grant_type', 'only client_credentials is supported', 'grant_type');
    if (form['client_assertion_type'] !== clientAssertionType)
      throw new Refusal('invalid_client', `client_assertion_type must be ${clientAssertionType}`, 'assertion_type');
    const assertion = form['client_assertion'];
    if (assertion === undefined || assertion === '')
      throw new Refusal('invalid_client', 'client_assertion is required', 'no_assertion');
    const requested = (form['scope'] ?? '').split(' ').filter((s) => s !== '');
    if (requested.length === 0) throw new Refusal('invalid_scope', 'scope is required', 'no_scope');

    let header: ReturnType<typeof decodeProtectedHeader>;
    let claims: ReturnType<typeof decodeJwt>;
    try {
      header = decodeProtectedHeader(assertion);
      claims = decodeJwt(assertion);
    } catch {
      throw new Refusal('invalid_client', 'client_assertion is not a JWT', 'not_jwt');
    }
    // Before any key is touched, so `none` and HMAC (even keyed with a public key) never verify.
    if (!(assertionAlgs as readonly unknown[]).includes(header.alg))
      throw new Refusal('invalid_client', `client_assertion alg must be one of ${assertionAlgs.join(', ')}`, 'alg');
    if (typeof header.kid !== 'string' || header.kid === '')
      throw new Refusal('invalid_client', 'client_assertion header has no kid', 'no_kid');
    const clientId = claims.iss;
    if (typeof clientId !== 'string' || !isUuid(clientId))
      throw new Refusal('invalid_client', 'unknown client', 'unknown_client');
    const row = await this.#row(clientId);
    if (row === undefined) throw new Refusal('invalid_client', 'unknown client', 'unknown_client');
    const client = { id: row.service_account_id };
    const actor: Actor = { kind: 'service', id: row.service_account_id, name: row.name, authMethod: 'api-token' };
    const keys = await this.#keysOf(row, header.kid, actor);
    const nowSeconds = Math.floor(this.#d.clock.now().getTime() / 1000);
    let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      ({ payload } = await jwtVerify(assertion, createLocalJWKSet(keys), {
        algorithms: [...assertionAlgs],
        issuer: clientId,
        subject: clientId,
        audience: [...tokenUrls],
        requiredClaims: ['exp', 'jti'],
        currentDate: new Date(nowSeconds * 1000),
        clockTolerance: skewSeconds,
      }));
    } catch (e) {
      // jose's codes name the rule that failed (signature, claim, expiry) and never echo a value.
      const code = e instanceof Error && 'code' in e ? String(e.code) : 'ERR_JWT_INVALID';
      const claim = e instanceof Error && 'claim' in e ? `:${String(e.claim)}` : '';
      throw new Refusal(
        'invalid_client',
        `client_assertion rejected: ${code}${claim.replace(':', ' ')}`,
        `${code}${claim}`,
        client,
      );
    }
    const exp = payload.exp ?? 0;
    if (exp > nowSeconds + maxAssertionSeconds + skewSeconds)
      throw new Refusal('invalid_client', 'client_assertion exp is more than 5 minutes ahead', 'exp_too_far', client);
    const jti = payload.jti ?? '';
    if (jti === '' || jti.length > 255)
      throw new Refusal('invalid_client', 'client_assertion jti must be 1 to 255 characters', 'jti', client);
    await this.#d.db.query('delete from smart_assertion_jtis where expires_at < $1', [new Date(nowSeconds * 1000)]);
    const { rowCount } = await this.#d.db.query(
      `insert into smart_assertion_jtis (client_id, jti, expires_at) values ($1, $2, $3)
       on conflict (client_id, jti) do nothing`,
      [clientId, jti, new Date((exp + skewSeconds) * 1000)],
    );
    if (rowCount === 0)
      throw new Refusal('invalid_client', 'client_assertion jti was already used', 'jti_replayed', client);
    if (row.disabled_at !== null)
      throw new Refusal('invalid_grant', 'the service account is disabled', 'account_disabled', client);
    const granted = intersectScopes(requested, row.scopes);
    if (granted.length === 0)
      throw new Refusal(
        'invalid_scope',
        'none of the requested scopes is allowed for this client',
        'no_scope_granted',
        client,
      );
    const issued = await this.#d.tokens.issueAccess(
      {
        principalId: clientId,
        name: smartTokenName,
        scopes: [...granted, ...impliedActions(granted).filter((a) => !granted.includes(a))],
        expiresAt: new Date(this.#d.clock.now().getTime() + this.#ttl * 1000),
      },
      actor,
    );
    return {
      ok: true,
      body: { access_token: issued.token, token_type: 'bearer', expires_in: this.#ttl, scope: granted.join(' ') },
    };
  }

  /** The client's key set: inline, or fetched from its URL through the egress registry (cached briefly). */
  async #keysOf(row: ClientRow, kid: string, actor: Actor): Promise<JSONWebKeySet> {
    if (row.jwks !== null) return row.jwks;
    const url = row.jwks_url ?? '';
    const now = this.#d.clock.now().getTime();
    const cached = this.#jwksCache.get(url);
    // A kid not in a set fetched more than a few seconds ago: the client may have rotated its keys.
    if (
      cached !== undefined &&
      now - cached.at < jwksCacheMs &&
      (cached.keys.keys.some((k) => k.kid === kid) || now - cached.at < 5_000)
    ) {
      return cached.keys;
    }
    let fetched: unknown;
    try {
      fetched = await this.#d.jwks.fetch(actor, url);
    } catch {
      throw new Refusal('invalid_client', 'the registered JWKS URL could not be read', 'jwks_unavailable', {
        id: row.service_account_id,
      });
    }
    const checked = await checkKeySet(fetched);
    if (typeof checked === 'string') {
      throw new Refusal('invalid_client', 'the registered JWKS URL holds no usable key set', 'jwks_invalid', {
        id: row.service_account_id,
      });
    }
    this.#jwksCache.set(url, { keys: checked, at: now });
    return checked;
  }

  async #account(id: string): Promise<{ id: string }> {
    const row = isUuid(id)
      ? (await this.#d.db.query<{ id: string }>('select id from service_accounts where id = $1', [id])).rows[0]
      : undefined;
    if (row === undefined) throw new NotFoundError('service account');
    return row;
  }

  async #row(id: string): Promise<ClientRow | undefined> {
    const { rows } = await this.#d.db.query<ClientRow>(
      `select ${clientColumns} from smart_clients c join service_accounts s on s.id = c.service_account_id
       where c.service_account_id = $1`,
      [id],
    );
    return rows[0];
  }

  #entry(by: Actor, id: string, action: 'C' | 'U' | 'D', reason: string) {
    return {
      actor: auditActor(by),
      event: 'admin.service_account_changed' as const,
      action,
      outcome: 'success' as const,
      entity: { kind: 'service_account', id },
      reason,
    };
  }
}

function toClient(r: ClientRow): SmartClient {
  return {
    clientId: r.service_account_id,
    serviceAccount: r.name,
    keys: (r.jwks?.keys ?? []).map((k) => ({
      kid: k.kid ?? '',
      kty: k.kty ?? '',
      ...(k.alg !== undefined ? { alg: k.alg } : {}),
      ...(k.crv !== undefined ? { crv: k.crv } : {}),
    })),
    jwksUrl: r.jwks_url,
    scopes: r.scopes,
    setBy: r.set_by,
    setAt: r.set_at,
  };
}

/**
 * A key set a client may sign with, reduced to each key's public members, or what is wrong with
 * it. A private member anywhere refuses the whole set: it was never meant to leave its holder.
 */
export async function checkKeySet(value: unknown): Promise<JSONWebKeySet | string> {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { keys?: unknown }).keys))
    return 'a JWKS: an object with a "keys" array';
  const keys = (value as { keys: unknown[] }).keys;
  if (keys.length < 1 || keys.length > 10) return '1 to 10 keys';
  const out: JWK[] = [];
  const kids = new Set<string>();
  for (const [i, raw] of keys.entries()) {
    if (typeof raw !== 'object' || raw === null) return `key ${i}: not an object`;
    const k = raw as Record<string, unknown>;
    if (privateMembers.some((m) => m in k))
      return `key ${i}: holds a private key member; register the public half only (and treat this key as exposed)`;
    if (typeof k['kid'] !== 'string' || k['kid'] === '' || k['kid'].length > 200) return `key ${i}: needs a kid`;
    if (kids.has(k['kid'])) return `key ${i}: kid used twice`;
    kids.add(k['kid']);
    const alg = k['alg'];
    if (alg !== undefined && alg !== 'RS384' && alg !== 'ES384') return `key ${i}: alg must be RS384 or ES384`;
    let key: JWK;
    if (k['kty'] === 'RSA' && typeof k['n'] === 'string' && typeof k['e'] === 'string') {
      // 2048 bits of modulus are 342 base64url characters (leading zero octets aside).
      if (k['n'].length < 342) return `key ${i}: an RSA key of at least 2048 bits`;
      if (alg === 'ES384') return `key ${i}: alg ES384 needs an EC key`;
      key = { kty: 'RSA', kid: k['kid'], n: k['n'], e: k['e'], alg: 'RS384' };
    } else if (k['kty'] === 'EC' && k['crv'] === 'P-384' && typeof k['x'] === 'string' && typeof k['y'] === 'string') {
      if (alg === 'RS384') return `key ${i}: alg RS384 needs an RSA key`;
      key = { kty: 'EC', kid: k['kid'], crv: 'P-384', x: k['x'], y: k['y'], alg: 'ES384' };
    } else {
      return `key ${i}: an RSA key (n, e) or an EC P-384 key (x, y)`;
    }
    try {
      await importJWK(key, key.alg);
    } catch {
      return `key ${i}: not a valid ${String(k['kty'])} public key`;
    }
    out.push(key);
  }
  return { keys: out };
}

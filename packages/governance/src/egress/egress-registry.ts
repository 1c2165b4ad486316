/**
 * @module The egress registry: every outbound destination (EHR endpoint, messaging gateway, AI
 * provider) is registered with whether a business-associate agreement is on record. PHI goes
 * only to a registered destination with a BAA; a URL is allowed only under a registered base
 * URL; private and loopback addresses are refused unless the destination is registered for them;
 * redirects are followed only while they stay on the registry. Refusals are audited.
 */
import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { Agent, fetch as undiciFetch, request as undiciRequest } from 'undici';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { newId, UserError, ValidationError, ConflictError, NotFoundError, type Actor } from '@steward/core';
import type { Database } from '@steward/store';
import type { AuditSink } from '../audit/audit-entry.js';

export type DestinationKind = 'ehr' | 'messaging' | 'ai' | 'other';

export interface EgressDestination {
  readonly id: string;
  readonly name: string;
  readonly kind: DestinationKind;
  readonly baseUrl: string;
  readonly baaOnRecord: boolean;
  readonly baaReference: string | undefined;
  readonly allowPrivateNetwork: boolean;
}

export interface NewDestination {
  readonly name: string;
  readonly kind: DestinationKind;
  readonly baseUrl: string;
  readonly baaOnRecord: boolean;
  readonly baaReference?: string;
  readonly allowPrivateNetwork?: boolean;
}

/** POSTs to one authorized destination (see `EgressRegistry.sender`): the answer's status only. */
export interface EgressSender {
  readonly destination: EgressDestination;
  send(
    url: string,
    request: {
      readonly headers: Readonly<Record<string, string>>;
      readonly body: string;
      readonly timeoutMs: number;
      readonly signal?: AbortSignal;
    },
  ): Promise<{ readonly status: number }>;
}

/** Resolves a host name to addresses; replaceable in tests. */
export type Resolver = (host: string) => Promise<string[]>;
const systemResolver: Resolver = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

export class EgressRegistry {
  readonly #agents = new Map<string, Agent>();

  constructor(
    private readonly db: Database,
    private readonly audit: AuditSink,
    private readonly resolve: Resolver = systemResolver,
  ) {}

  /** Closes the pinned connection pools. */
  async close(): Promise<void> {
    const agents = [...this.#agents.values()];
    this.#agents.clear();
    await Promise.all(agents.map((a) => a.close().catch(() => undefined)));
  }

  async register(by: Actor, d: NewDestination): Promise<EgressDestination> {
    const baseUrl = normalizeBaseUrl(d.baseUrl);
    if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(d.name)) {
      throw new ValidationError('invalid destination', [{ path: 'name', message: 'must be a lowercase name' }]);
    }
    if (d.baaOnRecord && (d.baaReference ?? '').trim() === '') {
      throw new ValidationError('invalid destination', [
        { path: 'baaReference', message: 'name the BAA on record (contract id or document)' },
      ]);
    }
    const id = newId();
    try {
      await this.db.query(
        `insert into egress_destinations (id, name, kind, base_url, baa_on_record, baa_reference, allow_private_network)
         values ($1, $2, $3, $4, $5, $6, $7)`,
        [id, d.name, d.kind, baseUrl, d.baaOnRecord, d.baaReference ?? null, d.allowPrivateNetwork ?? false],
      );
    } catch (e) {
      if ((e as { code?: string }).code === '23505')
        throw new ConflictError('ALREADY_EXISTS', `destination ${d.name} already exists`);
      throw e;
    }
    await this.audit.append({
      actor: by,
      event: 'config.changed',
      action: 'C',
      outcome: 'success',
      entity: { kind: 'EgressDestination', id },
      reason: `egress ${d.name} registered (baa=${String(d.baaOnRecord)})`,
    });
    return {
      id,
      name: d.name,
      kind: d.kind,
      baseUrl,
      baaOnRecord: d.baaOnRecord,
      baaReference: d.baaReference,
      allowPrivateNetwork: d.allowPrivateNetwork ?? false,
    };
  }

  async list(): Promise<EgressDestination[]> {
    const { rows } = await this.db.query<{
      id: string;
      name: string;
      kind: DestinationKind;
      base_url: string;
      baa_on_record: boolean;
      baa_reference: string | null;
      allow_private_network: boolean;
    }>(`select * from egress_destinations where disabled_at is null order by name`);
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      baseUrl: r.base_url,
      baaOnRecord: r.baa_on_record,
      baaReference: r.baa_reference ?? undefined,
      allowPrivateNetwork: r.allow_private_network,
    }));
  }

  async disable(by: Actor, name: string): Promise<void> {
    const { rowCount } = await this.db.query(
      `update egress_destinations set disabled_at = now(), updated_at = now() where name = $1 and disabled_at is null`,
      [name],
    );
    if (rowCount === 0) throw new NotFoundError('destination');
    await this.audit.append({
      actor: by,
      event: 'config.changed',
      action: 'D',
      outcome: 'success',
      reason: `egress ${name} disabled`,
    });
  }

  /**
   * Decides whether `url` may be sent to, carrying PHI or not. Returns the destination, or throws
   * (and audits) EGRESS_NOT_REGISTERED, EGRESS_NO_BAA or EGRESS_ADDRESS_BLOCKED.
   */
  async authorize(actor: Actor, url: string, options: { phi: boolean }): Promise<EgressDestination> {
    return (await this.#authorize(actor, url, options)).destination;
  }

  /** `authorize`, and the addresses the host resolved to when checked (undefined for an IP literal). */
  async #authorize(
    actor: Actor,
    url: string,
    options: { phi: boolean },
  ): Promise<{ destination: EgressDestination; addresses: readonly string[] | undefined }> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw new ValidationError('invalid outbound URL', [{ path: 'url', message: 'not a URL' }]);
    }
    const destination = (await this.list()).find((d) => isUnder(target, d.baseUrl));
    if (destination === undefined) {
      return this.refuse(actor, target, 'EGRESS_NOT_REGISTERED', 'the destination is not in the egress registry');
    }
    if (options.phi && !destination.baaOnRecord) {
      return this.refuse(
        actor,
        target,
        'EGRESS_NO_BAA',
        `no business-associate agreement is on record for ${destination.name}`,
        destination,
      );
    }
    // Resolved once: the connection goes to exactly these addresses (see `fetch`), so a DNS answer
    // that changes between this check and the connection (rebinding) cannot redirect it.
    const host = target.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host) !== 0 ? undefined : await this.resolve(host).catch(() => []);
    if (!destination.allowPrivateNetwork) {
      if (addresses?.length === 0 || (addresses ?? [host]).some(isPrivateAddress)) {
        return this.refuse(
          actor,
          target,
          'EGRESS_ADDRESS_BLOCKED',
          `${target.host} resolves to a private, loopback or unknown address`,
          destination,
        );
      }
    }
    if (addresses?.length === 0) {
      return this.refuse(actor, target, 'EGRESS_ADDRESS_BLOCKED', `${target.host} does not resolve`, destination);
    }
    if (options.phi) {
      await this.audit.append({
        actor,
        event: 'egress.allowed',
        action: 'E',
        outcome: 'success',
        entity: { kind: 'EgressDestination', id: destination.id },
        reason: `phi to ${destination.name}`,
      });
    }
    return { destination, addresses };
  }

  /**
   * `fetch` through the registry: the URL is authorized first, and each redirect is followed only
   * if its target is authorized too (at most 5).
   */
  async fetch(actor: Actor, url: string, init: RequestInit & { phi: boolean }): Promise<Response> {
    let current = url;
    for (let hop = 0; hop <= 5; hop++) {
      const { addresses } = await this.#authorize(actor, current, { phi: init.phi });
      // A host name is connected to at the addresses checked above (Host and TLS SNI stay the name).
      const response =
        addresses === undefined
          ? await fetch(current, { ...init, redirect: 'manual' })
          : await undiciFetch(current, {
              ...(init as unknown as Parameters<typeof undiciFetch>[1]),
              redirect: 'manual',
              dispatcher: this.#pinned(addresses),
            });
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) return response;
      current = new URL(location, current).toString();
    }
    throw new UserError('EGRESS_NOT_REGISTERED', 'too many redirects');
  }

  /**
   * Authorizes `url` once (audited as `authorize` does) and returns a sender for requests to URLs
   * under the same destination and host, at the addresses checked now, for as long as the caller
   * keeps it: a high-volume caller (the webhook worker) authorizes once per short interval instead
   * of once per request, so a destination removed or a BAA withdrawn stops it within that interval.
   * A sender POSTs (undici's `request` over a kept-alive pool: several times fetch's rate), follows
   * no redirect (a 3xx is answered as it is), keeps nothing of the answer but its status, and
   * refuses a URL outside the destination or on another host (EGRESS_NOT_REGISTERED).
   */
  async sender(actor: Actor, url: string, options: { phi: boolean }): Promise<EgressSender> {
    const { destination, addresses } = await this.#authorize(actor, url, options);
    const host = new URL(url).host;
    // An IP literal needs no pinning: it is the address that was checked.
    const dispatcher = this.#pinned(addresses ?? [new URL(url).hostname.replace(/^\[|\]$/g, '')]);
    return {
      destination,
      send: async (target, request) => {
        const parsed = new URL(target);
        if (parsed.host !== host || !isUnder(parsed, destination.baseUrl))
          throw new UserError('EGRESS_NOT_REGISTERED', 'the URL is outside the authorized destination');
        const response = await undiciRequest(parsed, {
          method: 'POST',
          headers: request.headers,
          body: request.body,
          dispatcher,
          headersTimeout: request.timeoutMs,
          bodyTimeout: request.timeoutMs,
          ...(request.signal !== undefined ? { signal: request.signal } : {}),
        });
        // Nothing of the answer is kept but its status: the body is drained unread.
        await response.body.dump().catch(() => undefined);
        return { status: response.statusCode };
      },
    };
  }

  /** One connection pool per set of checked addresses, kept for reuse (a few: destinations are few). */
  #pinned(addresses: readonly string[]): Agent {
    const key = addresses.join(',');
    let agent = this.#agents.get(key);
    if (agent === undefined) {
      agent = new Agent({ connect: { lookup: pinnedLookup(addresses) } });
      this.#agents.set(key, agent);
      if (this.#agents.size > 32) {
        const [oldest, old] = this.#agents.entries().next().value as [string, Agent];
        this.#agents.delete(oldest);
        void old.close().catch(() => undefined);
      }
    }
    return agent;
  }

  private async refuse(
    actor: Actor,
    target: URL,
    code: 'EGRESS_NOT_REGISTERED' | 'EGRESS_NO_BAA' | 'EGRESS_ADDRESS_BLOCKED',
    message: string,
    destination?: EgressDestination,
  ): Promise<never> {
    await this.audit.append({
      actor,
      event: 'egress.denied',
      action: 'E',
      outcome: 'denied',
      ...(destination !== undefined ? { entity: { kind: 'EgressDestination', id: destination.id } } : {}),
      // The origin only: paths and query strings can carry identifiers.
      reason: `${code}:${target.origin}`,
    });
    throw new UserError(code, message);
  }
}

/** A DNS lookup that answers only the addresses already checked, whatever the name. */
export function pinnedLookup(addresses: readonly string[]): LookupFunction {
  const list = addresses.map((address) => ({ address, family: isIP(address) === 6 ? 6 : 4 }));
  return (_hostname, options, callback) => {
    const first = list[0];
    if (first === undefined) {
      callback(Object.assign(new Error('no checked address'), { code: 'ENOTFOUND' }), '', 4);
      return;
    }
    const wanted =
      options.family === 6 || options.family === 4 ? list.filter((a) => a.family === options.family) : list;
    if (options.all === true)
      (callback as unknown as (e: null, a: typeof list) => void)(null, wanted.length > 0 ? wanted : list);
    else callback(null, (wanted[0] ?? first).address, (wanted[0] ?? first).family);
  };
}

export function normalizeBaseUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ValidationError('invalid destination', [{ path: 'baseUrl', message: 'not a URL' }]);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:' && u.protocol !== 'mllp:') {
    throw new ValidationError('invalid destination', [{ path: 'baseUrl', message: 'must be https, http or mllp' }]);
  }
  if (u.username !== '' || u.password !== '' || u.search !== '' || u.hash !== '') {
    throw new ValidationError('invalid destination', [
      { path: 'baseUrl', message: 'must not carry credentials, a query or a fragment' },
    ]);
  }
  return u.toString().replace(/\/?$/, '/');
}

/** Same scheme, host and port, and a path at or under the base path. */
export function isUnder(target: URL, baseUrl: string): boolean {
  const base = new URL(baseUrl);
  if (target.protocol !== base.protocol || target.host !== base.host) return false;
  const path = target.pathname.endsWith('/') ? target.pathname : `${target.pathname}/`;
  return path.startsWith(base.pathname);
}

/** Loopback, private, link-local, unique-local, CGNAT, unspecified and similar: not the internet. */
export function isPrivateAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() !== 'unicast';
}

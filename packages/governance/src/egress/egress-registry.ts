/**
 * @module The egress registry: every outbound destination (EHR endpoint, messaging gateway, AI
 * provider) is registered with whether a business-associate agreement is on record. PHI goes
 * only to a registered destination with a BAA; a URL is allowed only under a registered base
 * URL; private and loopback addresses are refused unless the destination is registered for them;
 * redirects are followed only while they stay on the registry. Refusals are audited.
 */
import { lookup } from 'node:dns/promises';
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

/** Resolves a host name to addresses; replaceable in tests. */
export type Resolver = (host: string) => Promise<string[]>;
const systemResolver: Resolver = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

export class EgressRegistry {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditSink,
    private readonly resolve: Resolver = systemResolver,
  ) {}

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
    if (!destination.allowPrivateNetwork) {
      const host = target.hostname.replace(/^\[|\]$/g, '');
      const addresses = isIP(host) !== 0 ? [host] : await this.resolve(host).catch(() => []);
      if (addresses.length === 0 || addresses.some(isPrivateAddress)) {
        return this.refuse(
          actor,
          target,
          'EGRESS_ADDRESS_BLOCKED',
          `${target.host} resolves to a private, loopback or unknown address`,
          destination,
        );
      }
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
    return destination;
  }

  /**
   * `fetch` through the registry: the URL is authorized first, and each redirect is followed only
   * if its target is authorized too (at most 5).
   */
  async fetch(actor: Actor, url: string, init: RequestInit & { phi: boolean }): Promise<Response> {
    let current = url;
    for (let hop = 0; hop <= 5; hop++) {
      await this.authorize(actor, current, { phi: init.phi });
      const response = await fetch(current, { ...init, redirect: 'manual' });
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) return response;
      current = new URL(location, current).toString();
    }
    throw new UserError('EGRESS_NOT_REGISTERED', 'too many redirects');
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

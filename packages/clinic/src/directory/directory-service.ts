/**
 * @module The directory as a governed service: each method takes the request context, decides
 * through the policy decision point, then reads or writes. Reading needs `directory.read` (every
 * staff role and the automation accounts); learning from the EHR needs `directory.learn` (the
 * router's and the workflows' accounts); marking an organization in or out of the clinic's network
 * needs `config.manage` and is audited (`config.changed`, with the old and new mark). No PHI here.
 */
import {
  NotFoundError,
  systemClock,
  ValidationError,
  type Clock,
  type EhrIdentifier,
  type RequestContext,
} from '@steward/core';
import { sourceOf, type AuditSink, type PolicyDecisionPoint } from '@steward/governance';
import type { Database, Sql } from '@steward/store';
import type { DirectoryEntry, DirectoryFacts, DirectoryKind, DirectoryLinks, NetworkMark } from './directory-model.js';
import {
  findEntry,
  getEntry,
  networkConfigured,
  noteReadFailure,
  recordFacts,
  searchEntries,
  setNetwork,
  type DirectorySearch,
} from './directory-store.js';

export interface DirectoryServiceDeps {
  readonly db: Database;
  readonly policy: Pick<PolicyDecisionPoint, 'enforce' | 'decide'>;
  /**
   * The site of an EHR connection (the connection registry's), so a grant for one site reads the
   * directory of that site's connections. Absent (tests): every entry is read at no site.
   */
  readonly siteOf?: (connectionId: string) => Promise<string | undefined>;
  readonly audit: AuditSink;
  readonly clock?: Clock;
}

/** A participant as a referral or appointment names it: the kind, the raw reference and/or an identifier. */
export interface ParticipantQuery {
  readonly kind: string;
  /** `Kind/ehrId`, when the source gave an EHR reference. */
  readonly ref: string | null;
  /** `system|value`, when the source gave an identifier (HL7). */
  readonly identifier?: string | null;
}

/** What a person sees for a participant: the name and where it belongs, or the raw reference, unresolved. */
export interface ParticipantView {
  readonly kind: string;
  /** The raw reference as the source gave it (kept, resolved or not). */
  readonly reference: string | null;
  readonly status: 'resolved' | 'unresolved';
  readonly entryId: string | null;
  readonly name: string | null;
  /** The service (HealthcareService name, or the specialty) it stands for. */
  readonly service: string | null;
  readonly organization: string | null;
  /** From the directory: the entry's or its organization's mark; `out` for an unmarked organization once any is marked in; else null. */
  readonly network: NetworkMark | null;
}

export class DirectoryService {
  readonly #d: DirectoryServiceDeps;
  readonly #clock: Clock;

  constructor(deps: DirectoryServiceDeps) {
    this.#d = deps;
    this.#clock = deps.clock ?? systemClock;
  }

  /**
   * Entries matching the query. A grant for every site reads all; a grant for some sites reads the
   * entries of those sites' connections (others are left out of the answer, not refused).
   */
  async search(ctx: RequestContext, query: DirectorySearch): Promise<DirectoryEntry[]> {
    if (query.connectionId !== undefined) {
      await this.#enforce(ctx, query.connectionId);
      return searchEntries(this.#d.db, query);
    }
    if ((await this.#d.policy.decide(ctx, 'directory.read', {})).allowed) return searchEntries(this.#d.db, query);
    const rows = await searchEntries(this.#d.db, { ...query, limit: 200 });
    const allowed = new Map<string, boolean>();
    for (const c of new Set(rows.map((r) => r.connectionId))) {
      const site = await this.#d.siteOf?.(c);
      allowed.set(c, site !== undefined && (await this.#d.policy.decide(ctx, 'directory.read', { site })).allowed);
    }
    // Nothing readable among the matches: refused (and audited) as a read of every site.
    if (![...allowed.values()].some(Boolean)) await this.#d.policy.enforce(ctx, 'directory.read');
    return rows.filter((r) => allowed.get(r.connectionId) === true).slice(0, query.limit ?? 50);
  }

  async show(
    ctx: RequestContext,
    id: string,
  ): Promise<DirectoryEntry & { readonly resolvedNetwork: NetworkMark | null }> {
    const e = await getEntry(this.#d.db, id);
    if (e === undefined) throw new NotFoundError('directory entry');
    await this.#enforce(ctx, e.connectionId);
    return { ...e, resolvedNetwork: await this.#networkOf(this.#d.db, e) };
  }

  /** An administrator marks an organization in or out of the clinic's network (null clears). Audited. */
  async setNetwork(ctx: RequestContext, id: string, mark: NetworkMark | null): Promise<DirectoryEntry> {
    await this.#d.policy.enforce(ctx, 'config.manage');
    const before = await getEntry(this.#d.db, id);
    if (before === undefined) throw new NotFoundError('directory entry');
    if (before.kind !== 'Organization')
      throw new ValidationError('only an organization is marked in or out of network', [
        { path: 'id', message: `is a ${before.kind}; mark its organization` },
      ]);
    const after = await this.#d.db.transaction(async (tx) => {
      const updated = await setNetwork(tx, id, mark, ctx.actor.id, this.#clock.now());
      if (updated === undefined) throw new NotFoundError('directory entry');
      return updated;
    });
    await this.#d.audit.append({
      actor: ctx.actor,
      event: 'config.changed',
      action: 'U',
      outcome: 'success',
      entity: { kind: 'DirectoryEntry', id },
      fields: ['network'],
      source: sourceOf(ctx),
      reason: `directory network ${before.network ?? 'unset'} -> ${mark ?? 'unset'}`,
    });
    return after;
  }

  /** Merges what an EHR source said about directory entries (idempotent). Returns the entry ids. */
  async learn(ctx: RequestContext, connectionId: string, facts: readonly DirectoryFacts[]): Promise<string[]> {
    await this.#d.policy.enforce(ctx, 'directory.learn');
    if (facts.length === 0) return [];
    const now = this.#clock.now();
    return this.#d.db.transaction(async (tx) => {
      const ids: string[] = [];
      for (const f of facts) {
        const id = await recordFacts(tx, connectionId, f, now);
        if (id !== undefined) ids.push(id);
      }
      return ids;
    });
  }

  /**
   * The links of the entry for `Kind/ehrId` when it was read from the EHR itself (then it need not be
   * read again, but what it points at may still be unread); undefined when it must be read.
   */
  async readBefore(
    ctx: RequestContext,
    connectionId: string,
    kind: DirectoryKind,
    ehrId: string,
  ): Promise<DirectoryLinks | undefined> {
    await this.#d.policy.enforce(ctx, 'directory.learn');
    const e = await findEntry(this.#d.db, connectionId, { kind, ehrId });
    return e !== undefined && e.sources.includes('fhir') ? e.links : undefined;
  }

  /** A read from the EHR failed: the entry stays (unresolved when nothing named it), with the code. */
  async noteReadFailure(
    ctx: RequestContext,
    connectionId: string,
    kind: DirectoryKind,
    ehrId: string,
    code: string,
  ): Promise<void> {
    await this.#d.policy.enforce(ctx, 'directory.learn');
    await noteReadFailure(this.#d.db, connectionId, kind, ehrId, code, this.#clock.now());
  }

  /**
   * Names for participants (a referral's requester and destination), one view each in order. A
   * participant the directory does not know is `unresolved` with its raw reference: never dropped.
   */
  async describe(
    ctx: RequestContext,
    connectionId: string | null,
    participants: readonly ParticipantQuery[],
    /** The site the caller reads at (a referral's), when known; else the connection's. */
    site?: string | null,
  ): Promise<ParticipantView[]> {
    if (site !== undefined && site !== null) await this.#d.policy.enforce(ctx, 'directory.read', { site });
    else await this.#enforce(ctx, connectionId);
    const out: ParticipantView[] = [];
    for (const p of participants) {
      const e = connectionId !== null ? await this.#lookup(this.#d.db, connectionId, p) : undefined;
      out.push(e === undefined ? unresolvedParticipant(p) : await this.#view(this.#d.db, e, p));
    }
    return out;
  }

  /** `directory.read` at the connection's site (at every site when it has none or it is not known). */
  async #enforce(ctx: RequestContext, connectionId: string | null): Promise<void> {
    const site = connectionId !== null ? await this.#d.siteOf?.(connectionId) : undefined;
    await this.#d.policy.enforce(ctx, 'directory.read', site !== undefined ? { site } : {});
  }

  async #lookup(sql: Sql, connectionId: string, p: ParticipantQuery): Promise<DirectoryEntry | undefined> {
    if (!isKind(p.kind)) return undefined;
    if (p.ref !== null) {
      const ehrId = p.ref.slice(p.ref.indexOf('/') + 1);
      const e = await findEntry(sql, connectionId, { kind: p.kind, ehrId });
      if (e !== undefined) return e;
    }
    const identifier = parseToken(p.identifier ?? null);
    return identifier !== undefined ? findEntry(sql, connectionId, { kind: p.kind, identifier }) : undefined;
  }

  async #byReference(sql: Sql, connectionId: string, ref: string | undefined): Promise<DirectoryEntry | undefined> {
    if (ref === undefined) return undefined;
    const slash = ref.indexOf('/');
    const kind = ref.slice(0, slash);
    return slash > 0 && isKind(kind) ? findEntry(sql, connectionId, { kind, ehrId: ref.slice(slash + 1) }) : undefined;
  }

  async #organizationOf(sql: Sql, e: DirectoryEntry): Promise<DirectoryEntry | undefined> {
    if (e.kind === 'Organization') return e;
    return this.#byReference(sql, e.connectionId, e.links.organization);
  }

  async #networkOf(sql: Sql, e: DirectoryEntry): Promise<NetworkMark | null> {
    if (e.network !== null) return e.network;
    const org = await this.#organizationOf(sql, e);
    if (org?.network !== undefined && org.network !== null) return org.network;
    // Once the clinic's own organizations are marked, a known organization not among them is outside.
    if (org !== undefined && (await networkConfigured(sql, e.connectionId))) return 'out';
    return null;
  }

  async #view(sql: Sql, e: DirectoryEntry, p: ParticipantQuery): Promise<ParticipantView> {
    const org = await this.#organizationOf(sql, e);
    let service: string | null = e.kind === 'HealthcareService' ? e.name : null;
    if (service === null && e.links.services?.[0] !== undefined)
      service = (await this.#byReference(sql, e.connectionId, e.links.services[0]))?.name ?? null;
    if (service === null) service = e.specialties[0] ?? null;
    let name = e.name;
    if (e.kind === 'PractitionerRole' && e.links.practitioner !== undefined)
      name = (await this.#byReference(sql, e.connectionId, e.links.practitioner))?.name ?? name;
    return {
      kind: e.kind,
      reference: p.ref ?? p.identifier ?? e.reference,
      status: e.status,
      entryId: e.id,
      name,
      service,
      organization: (org !== e ? org?.name : null) ?? e.organizationName,
      network: await this.#networkOf(sql, e),
    };
  }
}

/** A participant the directory cannot name (or was not asked about): its raw reference, unresolved. */
export function unresolvedParticipant(p: ParticipantQuery): ParticipantView {
  return {
    kind: p.kind,
    reference: p.ref ?? p.identifier ?? null,
    status: 'unresolved',
    entryId: null,
    name: null,
    service: null,
    organization: null,
    network: null,
  };
}

const kinds = new Set(['Practitioner', 'PractitionerRole', 'Organization', 'Location', 'HealthcareService']);
function isKind(k: string): k is DirectoryKind {
  return kinds.has(k);
}

function parseToken(token: string | null): EhrIdentifier | undefined {
  if (token === null) return undefined;
  const bar = token.indexOf('|');
  return bar > 0 && bar < token.length - 1 ? { system: token.slice(0, bar), value: token.slice(bar + 1) } : undefined;
}

/**
 * @module Screen maps as governed, versioned configuration: the only code on
 * `automation_screen_maps`. A map is proposed (validated whole, stored as the next version of its
 * connection and site, `proposed`), then approved or rejected by a second person — never the one
 * who proposed it (four eyes) — with `automation.maps.propose` and `automation.maps.review` at the
 * map's site. Approving a version supersedes the approved one before it and every other open
 * proposal (each was made on an older map and would undo this one's changes). The executor follows
 * `current`: the latest approved version. Every change is audited (`config.changed`, entity
 * `ScreenMap` with the version, the map's SHA-256 in the reason) in the transaction that makes it.
 */
import { createHash } from 'node:crypto';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  systemClock,
  type Clock,
  type RequestContext,
} from '@steward/core';
import {
  canonicalJson,
  sourceOf,
  type AuditEntryInput,
  type AuditSink,
  type PolicyDecisionPoint,
} from '@steward/governance';
import type { Database, Sql } from '@steward/store';
import type { ScreenMap } from '../model/screen-map.js';
import { diffScreenMaps, type MapDiff } from './map-diff.js';
import { validateScreenMap } from './map-schema.js';

export type ScreenMapStatus = 'proposed' | 'approved' | 'rejected' | 'superseded';

/** One version as a list shows it (without the map itself). */
export interface ScreenMapVersion {
  readonly connectionId: string;
  readonly site: string;
  readonly version: number;
  readonly status: ScreenMapStatus;
  /** SHA-256 (hex) of the map's canonical JSON. */
  readonly hash: string;
  /** The approved version it was proposed on (null: the first map). */
  readonly basedOn: number | null;
  readonly note: string | null;
  readonly proposedBy: string;
  readonly proposedAt: Date;
  readonly reviewedBy: string | null;
  readonly reviewedAt: Date | null;
  /** The reviewer's reason (required to reject). */
  readonly reason: string | null;
  readonly supersededBy: number | null;
  /** Screens, forms and fields the map describes. */
  readonly counts: { readonly screens: number; readonly forms: number; readonly fields: number };
}

export interface ScreenMapRecord extends ScreenMapVersion {
  readonly map: ScreenMap;
}

export interface ScreenMapsDeps {
  readonly db: Database;
  readonly policy: Pick<PolicyDecisionPoint, 'enforce' | 'decide'>;
  readonly audit: AuditSink & {
    transact<T>(write: (tx: Sql) => Promise<T>, entries: (result: T) => readonly AuditEntryInput[]): Promise<T>;
  };
  readonly clock?: Clock;
  /**
   * A connection's id from its name or id (the connection registry's), undefined for an unknown one
   * (refused NOT_FOUND). Without it (tests), connections are named by id only.
   */
  readonly resolveConnection?: (nameOrId: string) => Promise<string | undefined>;
}

interface Row {
  connection_id: string;
  site: string;
  version: number;
  map: ScreenMap | string;
  hash: string;
  status: ScreenMapStatus;
  based_on: number | null;
  note: string | null;
  proposed_by: string;
  proposed_at: Date;
  reviewed_by: string | null;
  reviewed_at: Date | null;
  reason: string | null;
  superseded_by: number | null;
}

const columns =
  'connection_id, site, version, map, hash, status, based_on, note, proposed_by, proposed_at, reviewed_by, reviewed_at, reason, superseded_by';
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class ScreenMaps {
  readonly #d: ScreenMapsDeps;
  readonly #clock: Clock;

  constructor(deps: ScreenMapsDeps) {
    this.#d = deps;
    this.#clock = deps.clock ?? systemClock;
  }

  /**
   * Validates `candidate` whole (every problem named by its path) and stores it as the next version
   * of its connection and site, `proposed`. Its `version` is the store's, whatever the file said.
   */
  async propose(ctx: RequestContext, candidate: unknown, note?: string): Promise<ScreenMapVersion> {
    const site = siteOfCandidate(candidate);
    await this.#d.policy.enforce(ctx, 'automation.maps.propose', site !== undefined ? { site } : {});
    const valid = validateScreenMap(candidate);
    // A map may name its connection by name; it is stored under the connection's id.
    const map: ScreenMap = { ...valid, connectionId: await this.#connection(valid.connectionId, '/connectionId') };
    if (note !== undefined && note.length > 2000)
      throw new ValidationError('the note is too long', [{ path: 'note', message: 'at most 2000 characters' }]);
    const now = this.#clock.now();
    const row = await this.#d.audit.transact(
      async (tx) => {
        const { rows: latest } = await tx.query<{ version: number | null; approved: number | null }>(
          `select max(version) as version, max(version) filter (where status = 'approved') as approved
             from automation_screen_maps where connection_id = $1 and site = $2`,
          [map.connectionId, map.site],
        );
        const version = (latest[0]?.version ?? 0) + 1;
        const stored: ScreenMap = { ...map, version };
        const { rows } = await tx.query<Row>(
          `insert into automation_screen_maps (connection_id, site, version, map, hash, status, based_on, note, proposed_by, proposed_at)
           values ($1, $2, $3, $4, $5, 'proposed', $6, $7, $8, $9)
           on conflict do nothing returning ${columns}`,
          [
            map.connectionId,
            map.site,
            version,
            JSON.stringify(stored),
            hashOf(stored),
            latest[0]?.approved ?? null,
            note?.trim() || null,
            ctx.actor.id,
            now,
          ],
        );
        const r = rows[0];
        if (r === undefined)
          throw new ConflictError(
            'VERSION_CONFLICT',
            'another map was proposed for this connection and site at the same time: propose again',
          );
        return r;
      },
      (r) => [this.#entry(ctx, r, 'C', `screen_map_proposed:${r.hash}`)],
    );
    return toVersion(row);
  }

  /**
   * Approves or rejects a proposed version. Refused to the person who proposed it (four eyes) and
   * without `automation.maps.review` at its site; a reject needs a reason. Approving supersedes the
   * approved version before it and every other open proposal of the same connection and site.
   */
  async review(
    ctx: RequestContext,
    connectionId: string,
    site: string,
    version: number,
    decision: 'approve' | 'reject',
    reason?: string,
  ): Promise<ScreenMapVersion> {
    await this.#d.policy.enforce(ctx, 'automation.maps.review', { site });
    connectionId = await this.#connection(connectionId);
    const why = reason?.trim() ?? '';
    if (decision === 'reject' && why === '')
      throw new ValidationError('a rejection needs a reason', [
        { path: 'reason', message: 'say what to change (1–2000 characters)' },
      ]);
    if (why.length > 2000)
      throw new ValidationError('the reason is too long', [{ path: 'reason', message: 'at most 2000 characters' }]);
    const found = await this.#row(this.#d.db, connectionId, site, version);
    if (found.proposed_by === ctx.actor.id) {
      await this.#d.audit.append({
        ...this.#entry(ctx, found, 'U', 'own_proposal'),
        event: 'access.denied',
        outcome: 'denied',
      });
      throw new ForbiddenError('a screen map is reviewed by someone other than the person who proposed it');
    }
    const now = this.#clock.now();
    const { row } = await this.#d.audit.transact(
      async (tx) => {
        const cur = await this.#row(tx, connectionId, site, version, true);
        if (cur.status !== 'proposed')
          throw new ConflictError(
            'VERSION_CONFLICT',
            `version ${version} is ${cur.status}${cur.superseded_by !== null ? ` by version ${cur.superseded_by}` : ''}: only a proposed version is reviewed`,
          );
        const { rows } = await tx.query<Row>(
          `update automation_screen_maps set status = $4, reviewed_by = $5, reviewed_at = $6, reason = $7
           where connection_id = $1 and site = $2 and version = $3 and status = 'proposed' returning ${columns}`,
          [
            connectionId,
            site,
            version,
            decision === 'approve' ? 'approved' : 'rejected',
            ctx.actor.id,
            now,
            why || null,
          ],
        );
        const r = rows[0];
        if (r === undefined) throw new ConflictError('VERSION_CONFLICT', `version ${version} was reviewed meanwhile`);
        let superseded: Row[] = [];
        if (decision === 'approve') {
          ({ rows: superseded } = await tx.query<Row>(
            `update automation_screen_maps set status = 'superseded', superseded_by = $3
             where connection_id = $1 and site = $2 and version <> $3 and status in ('approved', 'proposed')
             returning ${columns}`,
            [connectionId, site, version],
          ));
        }
        return { row: r, superseded };
      },
      ({ row: r, superseded: gone }) => [
        this.#entry(ctx, r, 'U', `screen_map_${decision === 'approve' ? 'approved' : 'rejected'}:${r.hash}`),
        ...gone
          .sort((a, b) => b.version - a.version)
          .map((g) => this.#entry(ctx, g, 'U', `screen_map_superseded_by:${version}`)),
      ],
    );
    return toVersion(row);
  }

  /** The map the executor follows: the latest approved version, or undefined. No check: no PHI, for the wiring. */
  async current(connectionId: string, site: string): Promise<ScreenMap | undefined> {
    if (!uuid.test(connectionId)) return undefined;
    const { rows } = await this.#d.db.query<Row>(
      `select ${columns} from automation_screen_maps where connection_id = $1 and site = $2 and status = 'approved'
       order by version desc limit 1`,
      [connectionId, site],
    );
    const r = rows[0];
    return r === undefined ? undefined : mapOf(r);
  }

  /** Every connection and site with a map: the latest version of each, and the approved one's number. */
  async list(ctx: RequestContext): Promise<(ScreenMapVersion & { readonly approvedVersion: number | null })[]> {
    const { rows } = await this.#d.db.query<Row & { approved_version: number | null }>(
      `select ${columns}, (select max(version) from automation_screen_maps a
                           where a.connection_id = m.connection_id and a.site = m.site and a.status = 'approved') as approved_version
         from automation_screen_maps m
        where version = (select max(version) from automation_screen_maps b where b.connection_id = m.connection_id and b.site = m.site)
        order by site, connection_id`,
    );
    if (await this.#mayRead(ctx, undefined))
      return rows.map((r) => ({ ...toVersion(r), approvedVersion: r.approved_version }));
    // A grant for some sites lists those sites' maps; nothing readable at all is refused (and audited).
    const out = [];
    for (const r of rows)
      if (await this.#mayRead(ctx, r.site)) out.push({ ...toVersion(r), approvedVersion: r.approved_version });
    if (out.length === 0) await this.#d.policy.enforce(ctx, 'automation.maps.review', {});
    return out;
  }

  /** Every version of one connection and site, newest first. */
  async history(ctx: RequestContext, connectionId: string, site: string): Promise<ScreenMapVersion[]> {
    await this.#enforceRead(ctx, site);
    connectionId = await this.#connection(connectionId);
    const { rows } = await this.#d.db.query<Row>(
      `select ${columns} from automation_screen_maps where connection_id = $1 and site = $2 order by version desc`,
      [connectionId, site],
    );
    return rows.map(toVersion);
  }

  /** One version with its map. */
  async show(ctx: RequestContext, connectionId: string, site: string, version: number): Promise<ScreenMapRecord> {
    await this.#enforceRead(ctx, site);
    connectionId = await this.#connection(connectionId);
    const r = await this.#row(this.#d.db, connectionId, site, version);
    return { ...toVersion(r), map: mapOf(r) };
  }

  /**
   * What `version` changes from `against` (default: the version it was proposed on, or for an
   * approved one the approved version before it).
   */
  async diff(
    ctx: RequestContext,
    connectionId: string,
    site: string,
    version: number,
    against?: number,
  ): Promise<MapDiff> {
    await this.#enforceRead(ctx, site);
    connectionId = await this.#connection(connectionId);
    const to = await this.#row(this.#d.db, connectionId, site, version);
    let from: number | null = against ?? to.based_on;
    if (against === undefined && to.based_on === null && to.status !== 'proposed') {
      const { rows } = await this.#d.db.query<{ v: number | null }>(
        `select max(version) as v from automation_screen_maps
          where connection_id = $1 and site = $2 and version < $3 and status in ('approved', 'superseded') and reviewed_by is not null`,
        [connectionId, site, version],
      );
      from = rows[0]?.v ?? null;
    }
    const base = from === null ? null : mapOf(await this.#row(this.#d.db, connectionId, site, from));
    return diffScreenMaps(base, mapOf(to), from, version);
  }

  /** The connection's id, from its name or id; NOT_FOUND for an unknown one (VALIDATION_FAILED naming `path` in a map). */
  async #connection(ref: string, path?: string): Promise<string> {
    const id =
      this.#d.resolveConnection !== undefined ? await this.#d.resolveConnection(ref) : uuid.test(ref) ? ref : undefined;
    if (id !== undefined) return id;
    if (path !== undefined && this.#d.resolveConnection === undefined)
      throw new ValidationError('the screen map is not valid', [{ path, message: 'an EHR connection id (UUID)' }]);
    throw new NotFoundError('EHR connection');
  }

  async #row(sql: Sql, connectionId: string, site: string, version: number, lock = false): Promise<Row> {
    if (!uuid.test(connectionId) || !Number.isInteger(version)) throw new NotFoundError('screen map version');
    const { rows } = await sql.query<Row>(
      `select ${columns} from automation_screen_maps where connection_id = $1 and site = $2 and version = $3${lock ? ' for update' : ''}`,
      [connectionId, site, version],
    );
    const r = rows[0];
    if (r === undefined) throw new NotFoundError('screen map version');
    return r;
  }

  /** Reading maps is for those who propose or review them. */
  async #mayRead(ctx: RequestContext, site: string | undefined): Promise<boolean> {
    const scope = site !== undefined ? { site } : {};
    return (
      (await this.#d.policy.decide(ctx, 'automation.maps.review', scope)).allowed ||
      (await this.#d.policy.decide(ctx, 'automation.maps.propose', scope)).allowed
    );
  }

  async #enforceRead(ctx: RequestContext, site: string): Promise<void> {
    if (!(await this.#mayRead(ctx, site))) await this.#d.policy.enforce(ctx, 'automation.maps.review', { site });
  }

  #entry(ctx: RequestContext, r: Row, action: 'C' | 'U', reason: string): AuditEntryInput {
    return {
      actor: ctx.actor,
      event: 'config.changed',
      action,
      outcome: 'success',
      entity: { kind: 'ScreenMap', id: `${r.connection_id}/${r.site}`, version: r.version },
      site: r.site,
      ...(ctx.purposeOfUse !== undefined ? { purposeOfUse: ctx.purposeOfUse } : {}),
      source: sourceOf(ctx),
      reason,
    };
  }
}

/** SHA-256 of the canonical JSON (keys sorted), so the same map always has the same hash. */
export function hashOf(map: ScreenMap): string {
  return createHash('sha256').update(canonicalJson(map)).digest('hex');
}

function siteOfCandidate(candidate: unknown): string | undefined {
  if (typeof candidate !== 'object' || candidate === null) return undefined;
  const site = (candidate as { site?: unknown }).site;
  return typeof site === 'string' ? site : undefined;
}

function mapOf(r: Row): ScreenMap {
  return typeof r.map === 'string' ? (JSON.parse(r.map) as ScreenMap) : r.map;
}

function toVersion(r: Row): ScreenMapVersion {
  const map = mapOf(r);
  return {
    connectionId: r.connection_id,
    site: r.site,
    version: r.version,
    status: r.status,
    hash: r.hash,
    basedOn: r.based_on,
    note: r.note,
    proposedBy: r.proposed_by,
    proposedAt: r.proposed_at,
    reviewedBy: r.reviewed_by,
    reviewedAt: r.reviewed_at,
    reason: r.reason,
    supersededBy: r.superseded_by,
    counts: {
      screens: map.screens.length,
      forms: map.forms.length,
      fields: map.forms.reduce((n, f) => n + f.templates.reduce((m, t) => m + t.fields.length, 0), 0),
    },
  };
}

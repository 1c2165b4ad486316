/**
 * @module The site registry, governed: each method takes the request context first, asks the
 * decision point for `config.manage` (a denial is audited and answered FORBIDDEN), then reads or
 * changes the `sites` table, a change in the same transaction as its audit entry (`config.changed`,
 * entity `Site`, the fields changed). No PHI is kept here.
 *
 * Sites existed before their records: grants, break-glass and EHR connections carry a site code. A
 * code referenced there without a record is listed as not configured (its clock is the deployment's
 * defaults, see `clockOf`), and one being referenced by a grant or break-glass is checked by
 * `assertUsable`: while no site is configured every code is accepted (a deployment from before
 * sites keeps working); once one is, an unknown code is refused (SITE_UNKNOWN).
 */
import { ConflictError, NotFoundError, UserError, systemClock, type Clock, type RequestContext } from '@steward/core';
import { sourceOf, type AuditEntryInput, type PolicyDecisionPoint } from '@steward/governance';
import type { Database, Sql } from '@steward/store';
import {
  defaultBusinessHours,
  defaultQuietHours,
  mergeHours,
  normalDates,
  siteCode,
  validateSite,
  type BusinessHours,
  type Site,
  type SiteClock,
  type SiteInput,
} from './site-model.js';

/** Where a site code without a record is referenced from. */
export type SiteReference = 'grants' | 'connections';

/** A site in the list: configured (with its record) or only referenced. */
export interface SiteListing {
  readonly id: string;
  readonly configured: boolean;
  readonly referencedBy: readonly SiteReference[];
  readonly site: Site | null;
}

/** The audit log as the registry uses it: a change committed with its entry. */
export interface SiteAudit {
  transact<T>(write: (tx: Sql) => Promise<T>, entries: (result: T) => AuditEntryInput[]): Promise<T>;
}

export interface SiteRegistryDeps {
  readonly db: Database;
  readonly policy: Pick<PolicyDecisionPoint, 'enforce'>;
  readonly audit: SiteAudit;
  readonly clock?: Clock;
  /** The site codes grants and connections carry today (read when listing), by where they are. */
  readonly referencedSites?: () => Promise<ReadonlyMap<string, readonly SiteReference[]>>;
  /** Checks an owner pool and escalation contacts being set against the staff records (the staff service). */
  readonly staff?: SiteStaffCheck;
}

/** What a site's owner pool and escalation contacts may name, once staff exist (POOL_UNKNOWN, STAFF_UNKNOWN). */
export interface SiteStaffCheck {
  assertSiteReferences(
    site: string,
    refs: { readonly ownerPool?: string | null; readonly escalationContacts?: readonly string[] },
  ): Promise<void>;
}

interface SiteRow {
  id: string;
  name: string;
  zone: string;
  business_hours: BusinessHours | string;
  holidays: string[] | string;
  quiet_hours: Site['quietHours'] | string;
  ehr_refs: string[] | string;
  owner_pool: string | null;
  escalation_contacts: string[] | string;
  version: number;
  created_by: string;
  created_at: Date;
  updated_by: string;
  updated_at: Date;
}

const columns =
  'id, name, zone, business_hours, holidays, quiet_hours, ehr_refs, owner_pool, escalation_contacts, version, created_by, created_at, updated_by, updated_at';

export class SiteRegistry {
  private readonly clock: Clock;

  constructor(private readonly deps: SiteRegistryDeps) {
    this.clock = deps.clock ?? systemClock;
  }

  /** Every configured site, and every site code referenced without a record (not configured). */
  async list(ctx: RequestContext): Promise<readonly SiteListing[]> {
    await this.deps.policy.enforce(ctx, 'config.manage', {});
    const { rows } = await this.deps.db.query<SiteRow>(`select ${columns} from sites order by id`);
    const refs = (await this.deps.referencedSites?.()) ?? new Map<string, readonly SiteReference[]>();
    const out = new Map<string, SiteListing>();
    for (const r of rows)
      out.set(r.id, { id: r.id, configured: true, referencedBy: refs.get(r.id) ?? [], site: toSite(r) });
    for (const [id, by] of refs) {
      if (id === '*' || out.has(id)) continue;
      out.set(id, { id, configured: false, referencedBy: by, site: null });
    }
    return [...out.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** One site: its record, or a referenced code without one (not configured); else NOT_FOUND. */
  async show(ctx: RequestContext, id: string): Promise<SiteListing> {
    await this.deps.policy.enforce(ctx, 'config.manage', {});
    const site = await this.get(id);
    const refs = (await this.deps.referencedSites?.())?.get(id) ?? [];
    if (site !== undefined) return { id, configured: true, referencedBy: refs, site };
    if (refs.length > 0) return { id, configured: false, referencedBy: refs, site: null };
    throw new NotFoundError('site');
  }

  /** Configures a site (`name` and `zone` required; hours Monday–Friday 08:00–17:00, quiet 20:00–08:00 unless given). */
  async add(ctx: RequestContext, id: string, input: SiteInput): Promise<Site> {
    await this.deps.policy.enforce(ctx, 'config.manage', {});
    validateSite(id, input, true);
    await this.#checkStaff(id, input);
    const now = this.clock.now();
    const row = await this.deps.audit.transact(
      async (tx) => {
        const { rows } = await tx.query<SiteRow>(
          `insert into sites (${columns}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $10, $11)
           on conflict (id) do nothing returning ${columns}`,
          [
            id,
            input.name?.trim(),
            input.zone,
            JSON.stringify(mergeHours(defaultBusinessHours, input.businessHours)),
            JSON.stringify(normalDates(input.holidays ?? [])),
            JSON.stringify(input.quietHours === undefined ? defaultQuietHours : input.quietHours),
            JSON.stringify([...(input.ehrRefs ?? [])]),
            input.ownerPool ?? null,
            JSON.stringify([...(input.escalationContacts ?? [])]),
            ctx.actor.id,
            now,
          ],
        );
        const r = rows[0];
        if (r === undefined) throw new ConflictError('ALREADY_EXISTS', `site ${id} already exists`);
        return r;
      },
      (r) => [this.entry(ctx, 'C', r, Object.keys(input))],
    );
    return toSite(row);
  }

  /**
   * Changes the fields given (the others stay). `expectedVersion` (the version the administrator
   * saw) keeps two administrators from overwriting each other unseen.
   */
  async update(ctx: RequestContext, id: string, input: SiteInput, expectedVersion?: number): Promise<Site> {
    await this.deps.policy.enforce(ctx, 'config.manage', {});
    validateSite(id, input, false);
    await this.#checkStaff(id, input);
    const now = this.clock.now();
    const row = await this.deps.audit.transact(
      async (tx) => {
        const { rows } = await tx.query<SiteRow>(`select ${columns} from sites where id = $1 for update`, [id]);
        const cur = rows[0];
        if (cur === undefined) throw new NotFoundError('site');
        if (expectedVersion !== undefined && expectedVersion !== cur.version)
          throw new ConflictError('VERSION_CONFLICT', `site ${id} changed since version ${expectedVersion}`);
        const site = toSite(cur);
        const updated = await tx.query<SiteRow>(
          `update sites set name = $2, zone = $3, business_hours = $4, holidays = $5, quiet_hours = $6, ehr_refs = $7,
             owner_pool = $8, escalation_contacts = $9, version = version + 1, updated_by = $10, updated_at = $11
           where id = $1 and version = $12 returning ${columns}`,
          [
            id,
            input.name?.trim() ?? site.name,
            input.zone ?? site.zone,
            JSON.stringify(mergeHours(site.businessHours, input.businessHours)),
            JSON.stringify(normalDates(input.holidays ?? site.holidays)),
            JSON.stringify(input.quietHours === undefined ? site.quietHours : input.quietHours),
            JSON.stringify([...(input.ehrRefs ?? site.ehrRefs)]),
            input.ownerPool === undefined ? site.ownerPool : input.ownerPool,
            JSON.stringify([...(input.escalationContacts ?? site.escalationContacts)]),
            ctx.actor.id,
            now,
            cur.version,
          ],
        );
        const r = updated.rows[0];
        if (r === undefined) throw new ConflictError('VERSION_CONFLICT', `site ${id} changed meanwhile`);
        return r;
      },
      (r) => [this.entry(ctx, 'U', r, Object.keys(input))],
    );
    return toSite(row);
  }

  /** A site's record, without a permission check: for the kernel's wiring (clocks of workflows, messages, reports). */
  async get(id: string): Promise<Site | undefined> {
    const { rows } = await this.deps.db.query<SiteRow>(`select ${columns} from sites where id = $1`, [id]);
    const r = rows[0];
    return r === undefined ? undefined : toSite(r);
  }

  /** A configured site's clock; undefined for a code without a record (the caller keeps its defaults). */
  async clockOf(id: string): Promise<SiteClock | undefined> {
    const site = await this.get(id);
    return site === undefined
      ? undefined
      : { zone: site.zone, businessHours: site.businessHours, holidays: site.holidays, quietHours: site.quietHours };
  }

  /**
   * Refuses a site code a grant or break-glass episode may not name: `*` (every site) always
   * passes; with no site configured every valid code passes (deployments from before sites); once
   * one is configured, only configured ones do (SITE_UNKNOWN).
   */
  async assertUsable(id: string): Promise<void> {
    if (id === '*' || !siteCode.test(id)) return; // the grant's own validation answers a malformed code
    const { rows } = await this.deps.db.query<{ known: boolean; any: boolean }>(
      'select exists (select 1 from sites where id = $1) as known, exists (select 1 from sites) as any',
      [id],
    );
    const r = rows[0];
    if (r === undefined || r.known || !r.any) return;
    throw new UserError('SITE_UNKNOWN', `site ${id} is not configured: add it first (steward sites add ${id})`, [
      { path: 'site', message: 'a configured site code (steward sites list)' },
    ]);
  }

  /** Only the references being set are checked: values stored while they were free-form stay as they are. */
  async #checkStaff(id: string, input: SiteInput): Promise<void> {
    if (input.ownerPool === undefined && input.escalationContacts === undefined) return;
    await this.deps.staff?.assertSiteReferences(id, {
      ...(input.ownerPool !== undefined ? { ownerPool: input.ownerPool } : {}),
      ...(input.escalationContacts !== undefined ? { escalationContacts: input.escalationContacts } : {}),
    });
  }

  private entry(ctx: RequestContext, action: 'C' | 'U', r: SiteRow, fields: string[]): AuditEntryInput {
    return {
      actor: ctx.actor,
      event: 'config.changed',
      action,
      outcome: 'success',
      entity: { kind: 'Site', id: r.id, version: r.version },
      fields: fields.sort(),
      site: r.id,
      ...(ctx.purposeOfUse !== undefined ? { purposeOfUse: ctx.purposeOfUse } : {}),
      source: sourceOf(ctx),
      reason: action === 'C' ? 'site_added' : 'site_changed',
    };
  }
}

/** jsonb comes back parsed from PostgreSQL and PGlite; a string is parsed for safety. */
function json<T>(v: T | string): T {
  return typeof v === 'string' ? (JSON.parse(v) as T) : v;
}

function toSite(r: SiteRow): Site {
  return {
    id: r.id,
    name: r.name,
    zone: r.zone,
    businessHours: json(r.business_hours),
    holidays: json(r.holidays),
    quietHours: json(r.quiet_hours),
    ehrRefs: json(r.ehr_refs),
    ownerPool: r.owner_pool,
    escalationContacts: json(r.escalation_contacts),
    version: r.version,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    updatedBy: r.updated_by,
    updatedAt: r.updated_at.toISOString(),
  };
}

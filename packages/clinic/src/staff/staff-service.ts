/**
 * @module The clinic's staff, governed: each method takes the request context first and asks the
 * decision point (`staff.manage` to change, a denial audited and answered FORBIDDEN; `staff.read`,
 * which every role has, to list names: at every site, or at the sites the caller's grants name).
 * A change is written in the same transaction as its audit entry (`config.changed`, entity `Staff`,
 * the fields changed). No PHI is kept here: names, titles, sites, pools, leads.
 *
 * The questions workflows and handoffs ask (`membersOf`, `leadOf`, `nameOf`, `staffAt`) take no
 * context: they are for the kernel's wiring, like a site's clock, and answer names only.
 */
import { ConflictError, NotFoundError, UserError, ValidationError, systemClock } from '@steward/core';
import type { Clock, ErrorDetail, RequestContext } from '@steward/core';
import { sourceOf, type AuditEntryInput, type PolicyDecisionPoint, type UserRoster } from '@steward/governance';
import type { Database, Sql } from '@steward/store';
import {
  isUuid,
  poolName,
  validateStaff,
  type Pool,
  type PoolMembership,
  type StaffInput,
  type StaffMember,
  type StaffName,
} from './staff-model.js';

/** The audit log as the service uses it: a change committed with its entry. */
export interface StaffAudit {
  transact<T>(write: (tx: Sql) => Promise<T>, entries: (result: T) => AuditEntryInput[]): Promise<T>;
}

export interface StaffServiceDeps {
  readonly db: Database;
  readonly policy: Pick<PolicyDecisionPoint, 'enforce' | 'decide'>;
  readonly audit: StaffAudit;
  /** Who the users are (identity owns them): ids and usernames. */
  readonly users: Pick<UserRoster, 'usernames' | 'userIds'>;
  /** Refuses a site code grants could not name either (SITE_UNKNOWN once sites are configured). */
  readonly sites?: { assertUsable(site: string): Promise<void> };
  readonly clock?: Clock;
}

interface StaffRow {
  user_id: string;
  display_name: string;
  title: string | null;
  practitioner: string | null;
  sites: string[] | string;
  pools: PoolMembership[] | string;
  lead_user_id: string | null;
  lead_name: string | null;
  lead_title: string | null;
  version: number;
  created_by: string;
  created_at: Date;
  updated_by: string;
  updated_at: Date;
}

const select = `select s.user_id::text as user_id, s.display_name, s.title, s.practitioner, s.sites,
    coalesce((select jsonb_agg(jsonb_build_object('pool', m.pool, 'site', m.site) order by m.pool)
              from staff_pool_members m where m.user_id = s.user_id), '[]'::jsonb) as pools,
    s.lead_user_id::text as lead_user_id, l.display_name as lead_name, l.title as lead_title,
    s.version, s.created_by, s.created_at, s.updated_by, s.updated_at
  from staff s left join staff l on l.user_id = s.lead_user_id`;

/** A lead chain longer than this is treated as a cycle (it cannot be a real org chart). */
const maxChain = 1000;

export class StaffService {
  readonly #d: StaffServiceDeps;
  readonly #clock: Clock;

  constructor(deps: StaffServiceDeps) {
    this.#d = deps;
    this.#clock = deps.clock ?? systemClock;
  }

  /** Staff the caller may see (every one, or those at the caller's sites), by name; `site` narrows it. */
  async list(ctx: RequestContext, filter: { readonly site?: string } = {}): Promise<readonly StaffMember[]> {
    const visible = await this.#visibleSites(ctx);
    const all =
      filter.site === undefined
        ? await this.#load('', [])
        : await this.#load('where s.sites @> $1::jsonb', [JSON.stringify([filter.site])]);
    return all.filter((m) => visible(m.sites));
  }

  /** One staff member by user id or username; NOT_FOUND when the user has no staff record. */
  async show(ctx: RequestContext, user: string): Promise<StaffMember> {
    const visible = await this.#visibleSites(ctx);
    const id = await this.#userId(user);
    const m = id === undefined ? undefined : (await this.#load('where s.user_id = $1', [id]))[0];
    if (m === undefined) throw new NotFoundError('staff member');
    if (!visible(m.sites)) await this.#d.policy.enforce(ctx, 'staff.read', { site: m.sites[0] ?? '' });
    return m;
  }

  /**
   * Creates the user's staff record (`displayName` required) or changes the fields given (the others
   * stay). Refused: an unknown user or lead (STAFF_UNKNOWN), a site not configured (SITE_UNKNOWN),
   * a pool at a site the member does not work at or that is already at another site, a lead cycle
   * (VALIDATION_FAILED), a stale `expectedVersion` (VERSION_CONFLICT).
   */
  async set(ctx: RequestContext, user: string, input: StaffInput, expectedVersion?: number): Promise<StaffMember> {
    await this.#d.policy.enforce(ctx, 'staff.manage', {});
    validateStaff(input, false);
    const userId = await this.#userId(user);
    if (userId === undefined) throw new UserError('STAFF_UNKNOWN', 'no such user: create the user first');
    let leadId: string | null | undefined = input.lead;
    if (input.lead !== undefined && input.lead !== null) {
      leadId = await this.#userId(input.lead);
      if (leadId === undefined) throw new UserError('STAFF_UNKNOWN', `lead ${input.lead} is not a user`);
    }
    for (const s of new Set([...(input.sites ?? []), ...(input.pools ?? []).map((p) => p.site)]))
      await this.#d.sites?.assertUsable(s);
    const now = this.#clock.now();
    const written = await this.#d.audit.transact(
      async (tx) => {
        // Staff changes are rare: one at a time, so lead cycles and pools' sites are checked against a stable set.
        await tx.query('lock table staff in share row exclusive mode');
        const cur = (await this.#load('where s.user_id = $1', [userId], tx))[0];
        if (cur === undefined) validateStaff(input, true);
        if (cur !== undefined && expectedVersion !== undefined && expectedVersion !== cur.version)
          throw new ConflictError('VERSION_CONFLICT', `staff record changed since version ${expectedVersion}`);
        const sites = [...new Set(input.sites ?? cur?.sites ?? [])];
        const pools = input.pools ?? cur?.pools ?? [];
        const lead = leadId === undefined ? (cur?.lead?.userId ?? null) : leadId;
        await this.#check(tx, userId, sites, pools, lead);
        const params = [
          userId,
          input.displayName?.trim() ?? cur?.displayName,
          input.title === undefined ? (cur?.title ?? null) : input.title,
          input.practitioner === undefined ? (cur?.practitioner ?? null) : input.practitioner,
          JSON.stringify(sites),
          lead,
          ctx.actor.id,
          now,
        ];
        const { rows } = await tx.query<{ version: number }>(
          cur === undefined
            ? `insert into staff (user_id, display_name, title, practitioner, sites, lead_user_id, version,
                 created_by, created_at, updated_by, updated_at)
               values ($1, $2, $3, $4, $5, $6, 1, $7, $8, $7, $8) returning version`
            : `update staff set display_name = $2, title = $3, practitioner = $4, sites = $5, lead_user_id = $6,
                 version = version + 1, updated_by = $7, updated_at = $8
               where user_id = $1 and version = $9 returning version`,
          cur === undefined ? params : [...params, cur.version],
        );
        const version = rows[0]?.version;
        if (version === undefined) throw new ConflictError('VERSION_CONFLICT', 'staff record changed meanwhile');
        if (input.pools !== undefined) {
          await tx.query('delete from staff_pool_members where user_id = $1', [userId]);
          for (const p of input.pools)
            await tx.query('insert into staff_pool_members (pool, site, user_id) values ($1, $2, $3)', [
              p.pool,
              p.site,
              userId,
            ]);
        }
        return { version, created: cur === undefined };
      },
      (r) => [this.#entry(ctx, r.created ? 'C' : 'U', userId, r.version, Object.keys(input))],
    );
    const m = (await this.#load('where s.user_id = $1', [userId]))[0];
    if (m === undefined || m.version !== written.version)
      throw new ConflictError('VERSION_CONFLICT', 'staff record changed meanwhile');
    return m;
  }

  /** Every pool the caller may see, with its members by name. */
  async pools(ctx: RequestContext, filter: { readonly site?: string } = {}): Promise<readonly Pool[]> {
    const visible = await this.#visibleSites(ctx);
    const all = await this.#pools(filter.site === undefined ? '' : 'where m.site = $1', filter.site ?? null);
    return all.filter((p) => visible([p.site]));
  }

  /** One pool and its members; NOT_FOUND when it has none. */
  async pool(ctx: RequestContext, name: string): Promise<Pool> {
    const visible = await this.#visibleSites(ctx);
    const p = (await this.#pools('where m.pool = $1', name))[0];
    if (p === undefined) throw new NotFoundError('pool');
    if (!visible([p.site])) await this.#d.policy.enforce(ctx, 'staff.read', { site: p.site });
    return p;
  }

  /** A pool's members by name (empty: no such pool). For workflows and handoffs. */
  async membersOf(pool: string): Promise<readonly StaffName[]> {
    return (await this.#pools('where m.pool = $1', pool))[0]?.members ?? [];
  }

  /** A staff member's user id from a user id or username; undefined when the user has no staff record. */
  async resolve(user: string): Promise<string | undefined> {
    const id = await this.#userId(user);
    return id !== undefined && (await this.nameOf(id)) !== undefined ? id : undefined;
  }

  /** Staff members by user id, by name (ids without a staff record are left out). */
  async namesOf(userIds: readonly string[]): Promise<ReadonlyMap<string, StaffName>> {
    const ids = [...new Set(userIds.filter(isUuid))];
    if (ids.length === 0) return new Map();
    return new Map((await this.#load('where s.user_id = any($1::uuid[])', [ids])).map((m) => [m.userId, nameOnly(m)]));
  }

  /** The pools a user is a member of, with their sites (empty: none, or no staff record). For handoffs' queues. */
  async poolsOf(userId: string): Promise<readonly PoolMembership[]> {
    if (!isUuid(userId)) return [];
    const { rows } = await this.#d.db.query<{ pool: string; site: string }>(
      'select pool, site from staff_pool_members where user_id = $1 order by pool',
      [userId],
    );
    return rows.map((r) => ({ pool: r.pool, site: r.site }));
  }

  /** The user's lead by name; undefined when the user has no staff record or no lead. */
  async leadOf(userId: string): Promise<StaffName | undefined> {
    if (!isUuid(userId)) return undefined;
    return (await this.#load('where s.user_id = $1', [userId]))[0]?.lead ?? undefined;
  }

  /** The name people see for a user; undefined when the user has no staff record. */
  async nameOf(userId: string): Promise<string | undefined> {
    if (!isUuid(userId)) return undefined;
    const { rows } = await this.#d.db.query<{ display_name: string }>(
      'select display_name from staff where user_id = $1',
      [userId],
    );
    return rows[0]?.display_name;
  }

  /**
   * The staff member at a site who is one of these practitioners (directory entry ids or NPIs), when
   * exactly one is: whom a referral's owner maps to. For workflows and handoffs.
   */
  async byPractitioner(site: string, practitioners: readonly string[]): Promise<StaffName | undefined> {
    const values = practitioners.filter((v) => v !== '');
    if (values.length === 0) return undefined;
    const found = await this.#load('where s.practitioner = any($1::text[]) and s.sites @> $2::jsonb', [
      values,
      JSON.stringify([site]),
    ]);
    return found.length === 1 ? nameOnly(found[0] as StaffMember) : undefined;
  }

  /** The staff who work at a site, by name. */
  async staffAt(site: string): Promise<readonly StaffName[]> {
    return (await this.#load('where s.sites @> $1::jsonb', [JSON.stringify([site])])).map(nameOnly);
  }

  /**
   * Refuses what a site's owner pool and escalation contacts may not name, once staff records exist
   * (before, every value is accepted, as when they were free-form): the owner pool must have members
   * at that site (POOL_UNKNOWN); each contact must be a pool, or a staff member's user id or username
   * (STAFF_UNKNOWN). Values already stored are not checked again: they stay readable as they are.
   */
  async assertSiteReferences(
    site: string,
    refs: { readonly ownerPool?: string | null; readonly escalationContacts?: readonly string[] },
  ): Promise<void> {
    const { rows } = await this.#d.db.query<{ any: boolean }>('select exists (select 1 from staff) as any');
    if (rows[0]?.any !== true) return;
    if (refs.ownerPool !== undefined && refs.ownerPool !== null) {
      const at = await this.#poolSite(refs.ownerPool);
      if (at === undefined)
        throw new UserError(
          'POOL_UNKNOWN',
          `pool ${refs.ownerPool} has no members: put staff in it first (steward staff set <user> --pool ${refs.ownerPool}@${site})`,
          [{ path: 'ownerPool', message: 'a pool of the site (steward pools list)' }],
        );
      if (at !== site)
        throw new UserError('POOL_UNKNOWN', `pool ${refs.ownerPool} is at site ${at}, not at ${site}`, [
          { path: 'ownerPool', message: 'a pool of the site (steward pools list)' },
        ]);
    }
    const unknown: ErrorDetail[] = [];
    for (const [i, c] of (refs.escalationContacts ?? []).entries()) {
      if (poolName.test(c) && (await this.#poolSite(c)) !== undefined) continue;
      const id = await this.#userId(c);
      if (id !== undefined && (await this.nameOf(id)) !== undefined) continue;
      unknown.push({ path: `escalationContacts.${i}`, message: `${c}: neither a pool nor a staff member` });
    }
    if (unknown.length > 0)
      throw new UserError(
        'STAFF_UNKNOWN',
        'escalation contacts must be pools or staff members (steward pools list, steward staff list)',
        unknown,
      );
  }

  /** The pools' sites and the lead, checked against the other records (inside the change's transaction). */
  async #check(tx: Sql, userId: string, sites: string[], pools: readonly PoolMembership[], lead: string | null) {
    const problems: ErrorDetail[] = [];
    pools.forEach((p, i) => {
      if (!sites.includes(p.site))
        problems.push({ path: `pools.${i}.site`, message: `site ${p.site} is not among the member's sites` });
    });
    if (pools.length > 0) {
      const { rows } = await tx.query<{ pool: string; site: string }>(
        'select distinct pool, site from staff_pool_members where pool = any($1::text[]) and user_id <> $2',
        [pools.map((p) => p.pool), userId],
      );
      pools.forEach((p, i) => {
        const other = rows.find((r) => r.pool === p.pool && r.site !== p.site);
        if (other !== undefined)
          problems.push({ path: `pools.${i}.pool`, message: `pool ${p.pool} is at site ${other.site}` });
      });
    }
    if (lead !== null) {
      const chain = [userId];
      for (let cur: string | null = lead; cur !== null;) {
        if (cur === userId || chain.length > maxChain) {
          problems.push({ path: 'lead', message: `a lead cycle: each would lead the other (${chain.length} steps)` });
          break;
        }
        const found: { rows: { lead: string | null }[] } = await tx.query<{ lead: string | null }>(
          'select lead_user_id::text as lead from staff where user_id = $1',
          [cur],
        );
        const row: { lead: string | null } | undefined = found.rows[0];
        if (row === undefined) {
          if (cur === lead) throw new UserError('STAFF_UNKNOWN', 'the lead has no staff record: set theirs first');
          break;
        }
        chain.push(cur);
        cur = row.lead;
      }
    }
    if (problems.length > 0) throw new ValidationError('invalid staff record', problems);
  }

  /** Decides `staff.read` once at every site, else per site named by staff records; none: refused (audited). */
  async #visibleSites(ctx: RequestContext): Promise<(sites: readonly string[]) => boolean> {
    if ((await this.#d.policy.decide(ctx, 'staff.read', {})).allowed) return () => true;
    const { rows } = await this.#d.db.query<{ site: string }>(
      `select distinct jsonb_array_elements_text(sites) as site from staff
       union select distinct site from staff_pool_members`,
    );
    const allowed = new Set<string>();
    for (const { site } of rows)
      if ((await this.#d.policy.decide(ctx, 'staff.read', { site })).allowed) allowed.add(site);
    if (allowed.size === 0) await this.#d.policy.enforce(ctx, 'staff.read', {});
    return (sites) => sites.some((s) => allowed.has(s));
  }

  /** A user id from a user id or a username; undefined when no user has it. */
  async #userId(ref: string): Promise<string | undefined> {
    if (isUuid(ref))
      return (await this.#d.users.usernames([ref.toLowerCase()])).has(ref.toLowerCase())
        ? ref.toLowerCase()
        : undefined;
    return (await this.#d.users.userIds([ref])).get(ref);
  }

  async #poolSite(pool: string): Promise<string | undefined> {
    const { rows } = await this.#d.db.query<{ site: string }>(
      'select site from staff_pool_members where pool = $1 limit 1',
      [pool],
    );
    return rows[0]?.site;
  }

  /** Records with their usernames; inside a transaction (`tx`) without them (identity answers on its own connection). */
  async #load(where: string, params: unknown[], tx?: Sql): Promise<StaffMember[]> {
    const q = tx ?? this.#d.db;
    const { rows } = await q.query<StaffRow>(`${select} ${where} order by s.display_name, s.user_id`, params);
    const ids = rows.flatMap((r) => (r.lead_user_id === null ? [r.user_id] : [r.user_id, r.lead_user_id]));
    const names = tx === undefined ? await this.#d.users.usernames(ids) : new Map<string, string>();
    return rows.map((r) => toMember(r, names));
  }

  async #pools(where: string, param: string | null): Promise<Pool[]> {
    const { rows } = await this.#d.db.query<{ pool: string; site: string; user_id: string }>(
      `select m.pool, m.site, m.user_id::text as user_id from staff_pool_members m ${where} order by m.pool`,
      param === null ? [] : [param],
    );
    const members = new Map(
      (await this.#load('where s.user_id = any($1::uuid[])', [[...new Set(rows.map((r) => r.user_id))]])).map((m) => [
        m.userId,
        nameOnly(m),
      ]),
    );
    const out = new Map<string, { pool: string; site: string; members: StaffName[] }>();
    for (const r of rows) {
      const p = out.get(r.pool) ?? { pool: r.pool, site: r.site, members: [] };
      const m = members.get(r.user_id);
      if (m !== undefined) p.members.push(m);
      out.set(r.pool, p);
    }
    for (const p of out.values()) p.members.sort((a, b) => a.displayName.localeCompare(b.displayName));
    return [...out.values()];
  }

  #entry(ctx: RequestContext, action: 'C' | 'U', userId: string, version: number, fields: string[]): AuditEntryInput {
    return {
      actor: ctx.actor,
      event: 'config.changed',
      action,
      outcome: 'success',
      entity: { kind: 'Staff', id: userId, version },
      fields: fields.sort(),
      ...(ctx.purposeOfUse !== undefined ? { purposeOfUse: ctx.purposeOfUse } : {}),
      source: sourceOf(ctx),
      reason: action === 'C' ? 'staff_added' : 'staff_changed',
    };
  }
}

/** jsonb comes back parsed from PostgreSQL and PGlite; a string is parsed for safety. */
function json<T>(v: T | string): T {
  return typeof v === 'string' ? (JSON.parse(v) as T) : v;
}

function nameOnly(m: StaffName): StaffName {
  return { userId: m.userId, username: m.username, displayName: m.displayName, title: m.title };
}

function toMember(r: StaffRow, usernames: ReadonlyMap<string, string>): StaffMember {
  return {
    userId: r.user_id,
    username: usernames.get(r.user_id) ?? '',
    displayName: r.display_name,
    title: r.title,
    practitioner: r.practitioner,
    sites: json(r.sites),
    pools: json(r.pools),
    lead:
      r.lead_user_id === null
        ? null
        : {
            userId: r.lead_user_id,
            username: usernames.get(r.lead_user_id) ?? '',
            displayName: r.lead_name ?? '',
            title: r.lead_title,
          },
    version: r.version,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    updatedBy: r.updated_by,
    updatedAt: r.updated_at.toISOString(),
  };
}

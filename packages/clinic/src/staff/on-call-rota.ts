/**
 * @module On-call rotas: per site, a named rota (a pool's, or any name) of shifts, each a staff
 * member from one instant to another. Governed like staff: `staff.read` at the site to read one,
 * `staff.manage` to replace one (whole, with a version; audited `config.changed`, entity
 * `OnCallRota`, in the same transaction). `onCallAt` takes no context: escalations ask it when they
 * fire, like a lead. Overlapping shifts are allowed (a hand-over); the one that started last covers
 * the overlap. A gap in the rota means nobody is on call then: the caller decides what that means.
 */
import { ConflictError, UserError, ValidationError, systemClock } from '@steward/core';
import type { Clock, ErrorDetail, RequestContext } from '@steward/core';
import { sourceOf, type PolicyDecisionPoint } from '@steward/governance';
import type { Database } from '@steward/store';
import { poolName, type StaffName } from './staff-model.js';
import type { StaffAudit } from './staff-service.js';

export interface OnCallShiftInput {
  /** A user id or username of a staff member working at the rota's site. */
  readonly user: string;
  /** ISO 8601 with an offset. */
  readonly start: string;
  readonly end: string;
}

export interface OnCallShift {
  readonly user: StaffName;
  readonly start: string;
  readonly end: string;
}

export interface OnCallRota {
  readonly site: string;
  readonly name: string;
  readonly shifts: readonly OnCallShift[];
  readonly version: number;
  readonly updatedBy: string;
  readonly updatedAt: string;
}

export interface OnCallRotasDeps {
  readonly db: Database;
  readonly policy: Pick<PolicyDecisionPoint, 'enforce'>;
  readonly audit: StaffAudit;
  /** Staff by id or username, and their names (the staff service). */
  readonly staff: {
    resolve(user: string): Promise<string | undefined>;
    namesOf(userIds: readonly string[]): Promise<ReadonlyMap<string, StaffName>>;
  };
  readonly clock?: Clock;
}

/** Shifts in one rota: more than this is a data-entry mistake (a year of hourly shifts). */
const maxShifts = 10_000;
const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export class OnCallRotas {
  readonly #d: OnCallRotasDeps;
  readonly #clock: Clock;

  constructor(deps: OnCallRotasDeps) {
    this.#d = deps;
    this.#clock = deps.clock ?? systemClock;
  }

  /** A rota with its shifts by name; NOT_FOUND when the site has no rota of that name. */
  async get(ctx: RequestContext, site: string, name: string): Promise<OnCallRota> {
    await this.#d.policy.enforce(ctx, 'staff.read', { site });
    const rota = await this.#load(site, name);
    if (rota === undefined) throw new UserError('NOT_FOUND', 'no such rota at this site');
    return rota;
  }

  /**
   * Replaces a rota's shifts (creating the rota). Refused: a bad name or instant, an end not after
   * its start (VALIDATION_FAILED), a user who is not staff at the site (STAFF_UNKNOWN), a stale
   * `expectedVersion` (VERSION_CONFLICT).
   */
  async set(
    ctx: RequestContext,
    site: string,
    name: string,
    shifts: readonly OnCallShiftInput[],
    expectedVersion?: number,
  ): Promise<OnCallRota> {
    await this.#d.policy.enforce(ctx, 'staff.manage', { site });
    const problems: ErrorDetail[] = [];
    if (!poolName.test(name))
      problems.push({ path: 'name', message: 'lowercase letters, digits and dashes (like a pool name)' });
    if (shifts.length > maxShifts) problems.push({ path: 'shifts', message: `at most ${maxShifts} shifts` });
    const resolved: { userId: string; start: Date; end: Date }[] = [];
    for (const [i, s] of shifts.entries()) {
      if (!instant.test(s.start) || !instant.test(s.end)) {
        problems.push({ path: `shifts.${i}`, message: 'start and end are ISO 8601 instants with an offset' });
        continue;
      }
      const start = new Date(s.start);
      const end = new Date(s.end);
      if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end <= start) {
        problems.push({ path: `shifts.${i}.end`, message: 'a shift ends after it starts' });
        continue;
      }
      const userId = await this.#d.staff.resolve(s.user);
      if (userId === undefined) {
        problems.push({ path: `shifts.${i}.user`, message: 'not a staff member' });
        continue;
      }
      resolved.push({ userId, start, end });
    }
    if (problems.some((p) => p.path?.endsWith('.user') === true))
      throw new UserError('STAFF_UNKNOWN', 'every shift names a staff member (steward staff list)', problems);
    if (problems.length > 0) throw new ValidationError('invalid rota', problems);
    const now = this.#clock.now();
    const version = await this.#d.audit.transact(
      async (tx) => {
        const cur = await tx.query<{ version: number }>(
          'select version from on_call_rotas where site = $1 and name = $2 for update',
          [site, name],
        );
        const current = cur.rows[0]?.version;
        if (current !== undefined && expectedVersion !== undefined && expectedVersion !== current)
          throw new ConflictError('VERSION_CONFLICT', `rota changed since version ${expectedVersion}`);
        const next = (current ?? 0) + 1;
        if (current === undefined)
          await tx.query(
            'insert into on_call_rotas (site, name, version, updated_by, updated_at) values ($1, $2, 1, $3, $4)',
            [site, name, ctx.actor.id, now],
          );
        else
          await tx.query(
            'update on_call_rotas set version = $3, updated_by = $4, updated_at = $5 where site = $1 and name = $2',
            [site, name, next, ctx.actor.id, now],
          );
        await tx.query('delete from on_call_shifts where site = $1 and rota = $2', [site, name]);
        for (const s of resolved)
          await tx.query(
            'insert into on_call_shifts (site, rota, user_id, starts_at, ends_at) values ($1, $2, $3, $4, $5)',
            [site, name, s.userId, s.start, s.end],
          );
        return next;
      },
      (v) => [
        {
          actor: ctx.actor,
          event: 'config.changed',
          action: v === 1 ? 'C' : 'U',
          outcome: 'success',
          entity: { kind: 'OnCallRota', id: `${site}/${name}`, version: v },
          fields: ['shifts'],
          site,
          source: sourceOf(ctx),
          reason: 'rota_set',
        },
      ],
    );
    const rota = await this.#load(site, name);
    if (rota === undefined || rota.version !== version)
      throw new ConflictError('VERSION_CONFLICT', 'rota changed meanwhile');
    return rota;
  }

  /** Who is on call in a site's rota at an instant (the latest-starting covering shift); undefined: nobody. */
  async onCallAt(site: string, rota: string, at: Date): Promise<string | undefined> {
    const { rows } = await this.#d.db.query<{ user_id: string }>(
      `select user_id::text as user_id from on_call_shifts
       where site = $1 and rota = $2 and starts_at <= $3 and ends_at > $3
       order by starts_at desc, user_id limit 1`,
      [site, rota, at],
    );
    return rows[0]?.user_id;
  }

  async #load(site: string, name: string): Promise<OnCallRota | undefined> {
    const head = await this.#d.db.query<{ version: number; updated_by: string; updated_at: Date }>(
      'select version, updated_by, updated_at from on_call_rotas where site = $1 and name = $2',
      [site, name],
    );
    const h = head.rows[0];
    if (h === undefined) return undefined;
    const { rows } = await this.#d.db.query<{ user_id: string; starts_at: Date; ends_at: Date }>(
      `select user_id::text as user_id, starts_at, ends_at from on_call_shifts
       where site = $1 and rota = $2 order by starts_at, user_id`,
      [site, name],
    );
    const names = await this.#d.staff.namesOf([...new Set(rows.map((r) => r.user_id))]);
    return {
      site,
      name,
      shifts: rows.map((r) => ({
        user: names.get(r.user_id) ?? { userId: r.user_id, username: '', displayName: r.user_id, title: null },
        start: r.starts_at.toISOString(),
        end: r.ends_at.toISOString(),
      })),
      version: h.version,
      updatedBy: h.updated_by,
      updatedAt: h.updated_at.toISOString(),
    };
  }
}

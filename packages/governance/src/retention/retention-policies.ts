/**
 * @module Retention policies: how long each kind of stored data is kept, set by a compliance
 * officer. Versioned: a change adds a row (the previous versions stay, as the policy's history),
 * in the same transaction as its audit entry.
 */
import { ConflictError, ValidationError, systemClock, type Clock, type RequestContext } from '@steward/core';
import type { Database, Sql } from '@steward/store';
import type { AuditEntryInput } from '../audit/audit-entry.js';
import type { PolicyDecisionPoint } from '../policy/decision-point.js';
import { sourceOf } from '../policy/decision-point.js';
import { defaultDays, floorDays, isRetentionKind, retentionKinds, type RetentionKind } from './retention-kinds.js';

export interface RetentionPolicy {
  readonly kind: RetentionKind;
  /** Days kept; undefined: kept without limit (no policy set, and no default). */
  readonly periodDays: number | undefined;
  /** 0 for a default nobody set. */
  readonly version: number;
  readonly setBy?: string;
  readonly setAt?: string;
}

/** The audit log as retention uses it: single entries, and writes committed with their entries. */
export interface RetentionAudit {
  append(entry: AuditEntryInput): Promise<{ readonly seq: number }>;
  transact<T>(write: (tx: Sql) => Promise<T>, entries: (result: T) => AuditEntryInput[]): Promise<T>;
}

export interface RetentionDeps {
  readonly db: Database;
  readonly policy: PolicyDecisionPoint;
  readonly audit: RetentionAudit;
  readonly clock?: Clock;
}

interface PolicyRow {
  kind: string;
  version: number;
  period_days: number;
  set_by: string;
  set_at: Date;
}

export class RetentionPolicies {
  constructor(private readonly deps: RetentionDeps) {}

  /** The policy in force for every kind (the newest version, or the default). */
  async list(ctx: RequestContext): Promise<readonly RetentionPolicy[]> {
    await this.deps.policy.enforce(ctx, 'retention.manage');
    return this.current();
  }

  /** Every version of one kind's policy, newest first. */
  async history(ctx: RequestContext, kind: RetentionKind): Promise<readonly RetentionPolicy[]> {
    await this.deps.policy.enforce(ctx, 'retention.manage');
    const { rows } = await this.deps.db.query<PolicyRow>(
      'select kind, version, period_days, set_by, set_at from retention_policies where kind = $1 order by version desc',
      [kind],
    );
    return rows.map(toPolicy);
  }

  /**
   * Sets a kind's period as a new version. `expectedVersion` (the version the officer saw) keeps
   * two officers from overwriting each other unseen. The audit log may not go under six years.
   */
  async set(ctx: RequestContext, kind: string, periodDays: number, expectedVersion?: number): Promise<RetentionPolicy> {
    await this.deps.policy.enforce(ctx, 'retention.manage');
    if (!isRetentionKind(kind))
      throw new ValidationError('unknown retention kind', [
        { path: 'kind', message: `one of ${retentionKinds.join(', ')}` },
      ]);
    const floor = floorDays(kind);
    if (!Number.isInteger(periodDays) || periodDays < floor || periodDays > 100 * 366)
      throw new ValidationError('retention period out of range', [
        { path: 'periodDays', message: `an integer from ${floor} to ${100 * 366} days for ${kind}` },
      ]);
    const now = (this.deps.clock ?? systemClock).now();
    const row = await this.deps.audit.transact(
      async (tx) => {
        const { rows } = await tx.query<{ version: number | null }>(
          'select max(version) as version from retention_policies where kind = $1',
          [kind],
        );
        const current = rows[0]?.version ?? 0;
        if (expectedVersion !== undefined && expectedVersion !== current)
          throw new ConflictError('VERSION_CONFLICT', `the ${kind} policy changed since version ${expectedVersion}`);
        // A concurrent set of the same kind collides on the primary key: one wins, one is refused.
        const inserted = await tx.query<PolicyRow>(
          `insert into retention_policies (kind, version, period_days, set_by, set_at) values ($1, $2, $3, $4, $5)
           on conflict do nothing returning kind, version, period_days, set_by, set_at`,
          [kind, current + 1, periodDays, ctx.actor.id, now],
        );
        const r = inserted.rows[0];
        if (r === undefined) throw new ConflictError('VERSION_CONFLICT', `the ${kind} policy changed meanwhile`);
        return r;
      },
      (r) => [
        {
          actor: ctx.actor,
          event: 'retention.policy_changed',
          action: 'U',
          outcome: 'success',
          entity: { kind: 'RetentionPolicy', id: kind, version: r.version },
          ...(ctx.purposeOfUse !== undefined ? { purposeOfUse: ctx.purposeOfUse } : {}),
          source: sourceOf(ctx),
          reason: `days:${r.period_days}`,
        },
      ],
    );
    return toPolicy(row);
  }

  /** The policies in force, without a permission check: for the purge, which checks its own. */
  async current(): Promise<readonly RetentionPolicy[]> {
    const { rows } = await this.deps.db.query<PolicyRow>(
      `select distinct on (kind) kind, version, period_days, set_by, set_at
         from retention_policies order by kind, version desc`,
    );
    const set = new Map(rows.map((r) => [r.kind, toPolicy(r)]));
    return retentionKinds.map((kind) => set.get(kind) ?? { kind, periodDays: defaultDays(kind), version: 0 });
  }
}

function toPolicy(r: PolicyRow): RetentionPolicy {
  return {
    kind: r.kind as RetentionKind,
    periodDays: r.period_days,
    version: r.version,
    setBy: r.set_by,
    setAt: r.set_at.toISOString(),
  };
}

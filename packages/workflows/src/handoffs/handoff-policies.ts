/**
 * @module Escalation policies per site and kind: read (a site's own, else the built-in default for
 * the kind, version 0), and replaced whole with a version and a `config.changed` audit entry.
 */
import { ConflictError, UserError, type Clock, type RequestContext } from '@steward/core';
import { sourceOf } from '@steward/governance';
import { assertValid, checkKind, checkSteps, type EscalationStep } from './handoff-model.js';
import { json } from './handoff-rows.js';
import type { EscalationPolicy, HandoffServiceDeps } from './handoff-types.js';

export class EscalationPolicies {
  readonly #d: HandoffServiceDeps;
  readonly #clock: Clock;

  constructor(deps: HandoffServiceDeps, clock: Clock) {
    this.#d = deps;
    this.#clock = clock;
  }

  /** A site+kind's escalation policy (version 0 and no steps when none is set). */
  async policy(ctx: RequestContext, site: string, kind: string): Promise<EscalationPolicy> {
    assertValid(checkKind(kind), 'invalid kind');
    if (!(await this.#d.policy.decide(ctx, 'handoff.read', { site })).allowed)
      await this.#d.policy.enforce(ctx, 'config.manage', { site });
    return this.current(site, kind);
  }

  /**
   * Replaces a site+kind's escalation policy (config.manage, audited `config.changed` with the new
   * version). Handoffs already raised keep the steps they were planned with.
   */
  async setPolicy(
    ctx: RequestContext,
    site: string,
    kind: string,
    steps: readonly EscalationStep[],
    expectedVersion?: number,
  ): Promise<EscalationPolicy> {
    await this.#d.policy.enforce(ctx, 'config.manage', { site });
    assertValid([...checkKind(kind), ...checkSteps(steps)], 'invalid escalation policy');
    await this.#d.sites?.assertUsable(site);
    for (const [i, s] of steps.entries())
      if (s.target.kind === 'pool' && (await this.#d.staff.membersOf(s.target.ref)).length === 0)
        throw new UserError('POOL_UNKNOWN', `pool ${s.target.ref} has no members`, [
          { path: `steps.${i}.target`, message: 'a pool of the site (steward pools list)' },
        ]);
    const now = this.#clock.now();
    const clean = steps.map((s) => ({
      condition: s.condition,
      delay: { amount: s.delay.amount, unit: s.delay.unit, business: s.delay.business },
      target: s.target.kind === 'lead' ? { kind: 'lead' } : { kind: s.target.kind, ref: s.target.ref },
    }));
    const version = await this.#d.audit.transact(
      async (tx) => {
        const cur = await tx.query<{ version: number }>(
          'select version from handoff_escalation_policies where site = $1 and kind = $2 for update',
          [site, kind],
        );
        const current = cur.rows[0]?.version ?? 0;
        if (expectedVersion !== undefined && expectedVersion !== current)
          throw new ConflictError('VERSION_CONFLICT', `escalation policy changed since version ${expectedVersion}`);
        await tx.query(
          `insert into handoff_escalation_policies (site, kind, steps, version, updated_by, updated_at)
           values ($1, $2, $3, $4, $5, $6)
           on conflict (site, kind) do update set steps = $3, version = $4, updated_by = $5, updated_at = $6`,
          [site, kind, JSON.stringify(clean), current + 1, ctx.actor.id, now],
        );
        return current + 1;
      },
      (v) => [
        {
          actor: ctx.actor,
          event: 'config.changed',
          action: v === 1 ? 'C' : 'U',
          outcome: 'success',
          entity: { kind: 'HandoffEscalationPolicy', id: `${site}/${kind}`, version: v },
          fields: ['steps'],
          site,
          source: sourceOf(ctx),
          reason: 'escalation_policy_set',
        },
      ],
    );
    const p = await this.current(site, kind);
    if (p.version !== version) throw new ConflictError('VERSION_CONFLICT', 'escalation policy changed meanwhile');
    return p;
  }

  /** The policy in force: the site's own, else the built-in default for the kind (version 0). */
  async current(site: string, kind: string): Promise<EscalationPolicy> {
    const { rows } = await this.#d.db.query<{
      steps: EscalationStep[] | string;
      version: number;
      updated_by: string;
      updated_at: Date;
    }>('select steps, version, updated_by, updated_at from handoff_escalation_policies where site = $1 and kind = $2', [
      site,
      kind,
    ]);
    const r = rows[0];
    return r === undefined
      ? {
          site,
          kind,
          steps: [...(this.#d.defaultPolicies?.[kind] ?? [])],
          version: 0,
          updatedBy: null,
          updatedAt: null,
        }
      : {
          site,
          kind,
          steps: json(r.steps),
          version: r.version,
          updatedBy: r.updated_by,
          updatedAt: r.updated_at.toISOString(),
        };
  }
}

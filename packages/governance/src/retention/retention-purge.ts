/**
 * @module The purge: deletes what the retention policies say has expired, kind by kind, keeping
 * what a legal hold names. Each kind's deletion and its one audit entry (with the counts) commit
 * in one transaction. Rows are deleted, not crypto-shredded: data keys are shared by every kind
 * and period today (ADR 0011), so destroying one would destroy live data too.
 *
 * What it never does: touch the audit log (its triggers refuse DELETE for every role, and the
 * audit entries of purged rows stay, so the chain still verifies); purge a kind without a policy;
 * purge anything while a case hold is active.
 */
import { UnexpectedError, systemClock, type RequestContext } from '@steward/core';
import { sourceOf } from '../policy/decision-point.js';
import type { LegalHolds } from './legal-holds.js';
import type { RetentionDeps, RetentionPolicies } from './retention-policies.js';
import type { HeldPatient, RetentionKind, RetentionPurger } from './retention-kinds.js';

export type KindOutcome =
  /** Expired rows deleted (possibly none). */
  | 'purged'
  /** No policy for the kind: kept. */
  | 'no-policy'
  /** A policy, but Steward stores nothing of this kind yet. */
  | 'not-stored'
  /** The audit log: kept for its period, never deleted by the application. */
  | 'never-purged'
  /** A case hold is active: nothing purged. */
  | 'suspended';

export interface KindReport {
  readonly kind: RetentionKind;
  readonly outcome: KindOutcome;
  readonly periodDays?: number;
  /** Rows stored before this instant were expired. */
  readonly before?: string;
  readonly deleted: number;
  readonly kept: number;
  /** The per-run limit was reached: the next run deletes more. */
  readonly more: boolean;
}

export interface PurgeReport {
  readonly at: string;
  readonly caseHolds: number;
  readonly patientHolds: number;
  readonly kinds: readonly KindReport[];
}

export interface PurgeOptions {
  /** Most rows deleted per kind in one run. Default 10,000. */
  readonly limit?: number;
}

const DAY_MS = 86_400_000;

export class RetentionPurge {
  readonly #purgers: ReadonlyMap<RetentionKind, RetentionPurger>;

  constructor(
    private readonly deps: RetentionDeps,
    private readonly policies: RetentionPolicies,
    private readonly holds: LegalHolds,
    purgers: readonly RetentionPurger[],
  ) {
    const byKind = new Map<RetentionKind, RetentionPurger>();
    for (const p of purgers) {
      if (p.kind === 'audit-log') throw new UnexpectedError('the audit log has no purger: it is never purged');
      if (byKind.has(p.kind)) throw new UnexpectedError(`two purgers for ${p.kind}`);
      byKind.set(p.kind, p);
    }
    this.#purgers = byKind;
  }

  /** Runs one purge as `ctx` (needs `retention.purge`): the server's periodic job, or `steward retention purge`. */
  async run(ctx: RequestContext, options: PurgeOptions = {}): Promise<PurgeReport> {
    const decision = await this.deps.policy.enforce(ctx, 'retention.purge');
    const limit = Math.max(1, Math.min(options.limit ?? 10_000, 100_000));
    const now = (this.deps.clock ?? systemClock).now();
    const active = await this.holds.active();
    const caseHolds = active.filter((h) => h.scope === 'case').length;
    const held: HeldPatient[] = active.flatMap((h) => (h.scope === 'patient' ? [h.patient] : []));
    const purposeOfUse = decision.purposeOfUse;
    const kinds: KindReport[] = [];
    for (const policy of await this.policies.current()) {
      const { kind, periodDays } = policy;
      const none = { kind, deleted: 0, kept: 0, more: false, ...(periodDays !== undefined ? { periodDays } : {}) };
      if (kind === 'audit-log') kinds.push({ ...none, outcome: 'never-purged' });
      else if (periodDays === undefined) kinds.push({ ...none, outcome: 'no-policy' });
      else if (caseHolds > 0) kinds.push({ ...none, outcome: 'suspended' });
      else {
        const purger = this.#purgers.get(kind);
        const before = new Date(now.getTime() - periodDays * DAY_MS);
        if (purger === undefined) {
          kinds.push({ ...none, outcome: 'not-stored', before: before.toISOString() });
          continue;
        }
        const count = await this.deps.audit.transact(
          (tx) => purger.purge(tx, { before, held, limit }),
          (c) => [
            {
              actor: ctx.actor,
              event: 'retention.purged',
              action: 'D',
              outcome: 'success',
              entity: { kind: 'RetentionKind', id: kind, version: policy.version },
              ...(purposeOfUse !== undefined ? { purposeOfUse } : {}),
              source: sourceOf(ctx),
              reason: `deleted:${c.deleted} kept:${c.kept} before:${before.toISOString()}`,
            },
          ],
        );
        kinds.push({
          ...none,
          outcome: 'purged',
          before: before.toISOString(),
          ...count,
          more: count.deleted >= limit,
        });
      }
    }
    // A suspended run is still recorded: one entry saying why nothing was purged.
    if (caseHolds > 0) {
      await this.deps.audit.append({
        actor: ctx.actor,
        event: 'retention.purged',
        action: 'D',
        outcome: 'failure',
        entity: { kind: 'RetentionKind', id: '*' },
        ...(purposeOfUse !== undefined ? { purposeOfUse } : {}),
        source: sourceOf(ctx),
        reason: `suspended:case-holds:${caseHolds}`,
      });
    }
    return { at: now.toISOString(), caseHolds, patientHolds: held.length, kinds };
  }
}

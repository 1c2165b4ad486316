/**
 * @module Outside effects, from the outbox, after the step that asked for them committed.
 *
 * The contract (ADR 0006): delivery is at-least-once, and every handler is idempotent by the
 * engine's key (`<workflow>/<step>/<n>`), which together make the outside result exactly-once.
 * A worker holds a lease on each effect it runs: written with the effect by the worker's own step
 * batch (committed with the step), or taken by a claim whose commit does not wait for the disk (a
 * lease lost in a crash only lets the effect run again). It runs the handlers with no transaction
 * open, then records each result and hands it to its workflow as an input in one transaction, in
 * which the worker also takes its next step batch (a result and the step it feeds: one commit).
 * Killed between the handler's outside write and the record, the lease expires and another
 * worker runs the handler again with the same key: the outside system sees the key twice and
 * applies it once (the EHR writer's client-assigned identifier does exactly that).
 *
 * A handler's error that is operational (retryable) is retried with backoff up to a limit; any
 * other error, or the last retry's, goes to the workflow as `{ ok: false, code, message }`.
 */
import { isStewardError } from '@steward/core';
import type { Database, Sql } from '@steward/store';
import type { Registry } from './registry.js';
import { pgArray } from './pg-array.js';
import type { LeasedEffect } from './step-runner.js';
import type { EffectResult } from './types.js';

export interface EffectPolicy {
  /** How long a claimed effect belongs to its worker before another may run it again. */
  readonly leaseMs: number;
  /** Runs of one effect (first run included) before a retryable error becomes its result. */
  readonly maxAttempts: number;
  /** Wait before the next run after a retryable error on run `attempt`. */
  backoffMs(attempt: number): number;
}

export const defaultEffectPolicy: EffectPolicy = {
  leaseMs: 60_000,
  maxAttempts: 8,
  backoffMs: (attempt) => Math.min(60_000, 250 * 2 ** (attempt - 1)),
};

type ClaimedEffect = LeasedEffect;

export interface EffectBatchResult {
  /** Effects run: those claimed here and those the worker's step batch had leased to it. */
  readonly claimed: number;
  readonly completed: number;
  readonly retried: number;
  /** Steps taken in the transaction that recorded the results (`EffectBatchOptions.then`). */
  readonly steps: number;
}

export interface EffectBatchOptions {
  /** Effects already leased to this worker (written so by its step batch): run first, not claimed. */
  readonly leased?: readonly LeasedEffect[];
  /**
   * Runs in the transaction that records the results, after them (the engine takes the next step
   * batch there, so an effect's result and the step it feeds commit together).
   */
  readonly then?: (tx: Sql, doneAt: Date) => Promise<number>;
}

/** An effect handler's failure as it happened: the workflow records only its code. */
export interface EffectFailure {
  readonly kind: string;
  readonly attempt: number;
  /** Whether the effect runs again later (a retryable error under the attempt limit). */
  readonly willRetry: boolean;
  readonly error: unknown;
}

/**
 * Claims up to `limit` due effects of kinds this worker handles, runs them concurrently, and
 * records the results. `now` is read from the clock at each phase.
 */
export async function runEffectBatch(
  db: Database,
  registry: Registry,
  workerId: string,
  clock: () => Date,
  policy: EffectPolicy,
  limit: number,
  onFailure?: (failure: EffectFailure) => void,
  options: EffectBatchOptions = {},
): Promise<EffectBatchResult> {
  const claimedAt = clock();
  const leased = options.leased ?? [];
  const room = Math.max(0, limit - leased.length);
  // One statement, and a lease that may be lost: its commit does not wait for the disk
  // (synchronous_commit off for this statement's own transaction). A crash that loses it leaves
  // the effect to be claimed again, which handlers allow (idempotent by key); the result's record
  // later is a durable commit, and flushes the WAL this one wrote before it.
  const claimed =
    room === 0
      ? []
      : (
          await db.query<ClaimedEffect>(
            `update workflow_effects e
             set lease_owner = $1, lease_until = $2, attempts = e.attempts + 1
             where e.key in (
               select key from workflow_effects
               where status = 'pending' and available_at <= $3 and (lease_until is null or lease_until <= $3)
                 and kind in (select jsonb_array_elements_text($5::jsonb))
               order by available_at
               limit $4
               for update skip locked)
               and (select set_config('synchronous_commit', 'off', true)) is not null
             returning e.key, e.workflow_id, e.kind, e.input, e.attempts`,
            [
              workerId,
              new Date(claimedAt.getTime() + policy.leaseMs),
              claimedAt,
              room,
              JSON.stringify(registry.effectKinds()),
            ],
          )
        ).rows;
  const toRun = [...leased, ...claimed];
  if (toRun.length === 0) return { claimed: 0, completed: 0, retried: 0, steps: 0 };

  const outcomes = await Promise.all(
    toRun.map(async (e): Promise<{ e: ClaimedEffect; result: EffectResult; retry: boolean }> => {
      const handler = registry.effect(e.kind);
      try {
        if (handler === undefined) throw new Error('no handler');
        const value = await handler({
          key: e.key,
          kind: e.kind,
          workflowId: e.workflow_id,
          input: e.input,
          attempt: e.attempts,
        });
        return { e, result: { ok: true, value: value ?? null }, retry: false };
      } catch (err) {
        const se = isStewardError(err) ? err : undefined;
        // Errors that are not Steward's (a dropped socket, a bug) are retried too: the handler
        // is idempotent, and the attempt limit bounds a bug's cost.
        const retryable = se === undefined || se.retryable;
        const retry = retryable && e.attempts < policy.maxAttempts;
        onFailure?.({ kind: e.kind, attempt: e.attempts, willRetry: retry, error: err });
        return {
          e,
          result: { ok: false, code: se?.code ?? 'INTERNAL', message: se?.message ?? 'effect handler failed' },
          retry,
        };
      }
    }),
  );

  const doneAt = clock();
  const retries = outcomes.filter((o) => o.retry);
  const finals = outcomes.filter((o) => !o.retry);
  const steps = await db.transaction(async (tx) => {
    if (retries.length > 0) {
      await tx.query(
        `update workflow_effects w set lease_owner = null, lease_until = null, available_at = x.available_at
         from jsonb_to_recordset($1::jsonb) as x(key text, available_at timestamptz)
         where w.key = any($3::text[]) and w.key = x.key and w.status = 'pending' and w.lease_owner = $2`,
        [
          JSON.stringify(
            retries.map((o) => ({
              key: o.e.key,
              available_at: new Date(doneAt.getTime() + policy.backoffMs(o.e.attempts)),
            })),
          ),
          workerId,
          pgArray(retries.map((o) => o.e.key)),
        ],
      );
    }
    if (finals.length > 0) {
      // Only the first record of an effect counts (status = 'pending'): if a lease expired and
      // two workers ran it, the second record changes nothing and delivers nothing.
      await tx.query(
        `with recorded as (
           update workflow_effects w
           set status = x.status, result = x.result, completed_at = $2, lease_owner = null, lease_until = null
           from jsonb_to_recordset($1::jsonb) as x(key text, status text, result jsonb)
           where w.key = any($3::text[]) and w.key = x.key and w.status = 'pending'
           returning w.key, w.workflow_id, w.kind, w.tag, w.result)
         insert into workflow_inbox (workflow_id, kind, name, payload, dedup_key, available_at, created_at)
         select r.workflow_id, 'effect', r.kind, jsonb_build_object('key', r.key, 'tag', r.tag, 'result', r.result),
                'effect:' || r.key, $2, $2
         from recorded r join workflow_instances i on i.id = r.workflow_id and i.status = 'running'
         on conflict (workflow_id, dedup_key) do nothing`,
        [
          JSON.stringify(
            finals.map((o) => ({ key: o.e.key, status: o.result.ok ? 'done' : 'failed', result: o.result })),
          ),
          doneAt,
          pgArray(finals.map((o) => o.e.key)),
        ],
      );
    }
    return finals.length > 0 && options.then !== undefined ? options.then(tx, doneAt) : 0;
  });
  return { claimed: toRun.length, completed: finals.length, retried: retries.length, steps };
}

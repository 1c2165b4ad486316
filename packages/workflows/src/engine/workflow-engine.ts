/**
 * @module The durable workflow engine: start and signal workflows (durably, optionally inside the
 * caller's transaction), run batches of steps and effects for workers, replay a workflow from its
 * history, and report queue depth and counters. Its state and timers live in the `workflow_*`
 * tables of the store (migration 010); any number of engines on one PostgreSQL share the work.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { NotFoundError, systemClock, ValidationError, type Clock, type JsonValue } from '@steward/core';
import { notify, type Database, type Sql } from '@steward/store';
import { canonicalJson, makeContext, stateDigest } from './determinism.js';
import {
  defaultEffectPolicy,
  runEffectBatch,
  type EffectBatchResult,
  type EffectFailure,
  type EffectPolicy,
} from './effect-runner.js';
import { Registry } from './registry.js';
import {
  decideSafely,
  runStepBatch,
  type BatchResult,
  type EffectLease,
  type LeasedEffect,
  type StepRecord,
} from './step-runner.js';
import { pgArray } from './pg-array.js';
import type { Command, EffectHandler, Json, WorkflowDefinition, WorkflowInput } from './types.js';
import type { SignalDefinition, StartDefinition } from './extension-points.js';

/** Hooks for metrics and audit (and for crash tests, which kill the process in them). */
export interface EngineObserver {
  /** Inside a batch's transaction, after its writes, before commit. */
  stepsWritten?(steps: readonly StepRecord[]): void | Promise<void>;
  /** After a batch committed. A workflow that completed or failed has that status here. */
  stepsCommitted?(steps: readonly StepRecord[]): void;
  /** An effect handler threw: the error itself, for the log (its code is what the workflow records). */
  effectFailed?(failure: EffectFailure): void;
}

export interface WorkflowEngineOptions {
  readonly db: Database;
  readonly definitions: readonly WorkflowDefinition[];
  /** Effect handlers by kind: each must be idempotent by its request's `key`. */
  readonly effects?: Readonly<Record<string, EffectHandler>>;
  readonly clock?: Clock;
  readonly effectPolicy?: Partial<EffectPolicy>;
  readonly observer?: EngineObserver;
}

export interface EnqueueOptions {
  /** The caller's transaction: the input commits (or not) with the caller's own writes. */
  readonly tx?: Sql;
}

export interface RunStepsOptions {
  /**
   * Write the effects the steps ask for already leased to this worker, to be run by its next
   * `runEffects` (no claim of their own to commit). Only for a caller that calls `runEffects`
   * with the same worker id next (the worker loop); `releaseEffects` gives back what is left.
   */
  readonly leaseEffects?: boolean;
}

export interface RunEffectsOptions {
  /**
   * Take the next step batch (up to this many inputs) in the transaction that records the
   * effects' results: a result and the step it feeds commit together (one commit, not two).
   */
  readonly stepLimit?: number;
}

export interface SignalOptions extends EnqueueOptions {
  /** Only workflows of this type. */
  readonly type?: string;
  /** A signal with a key a workflow already received (say, an EHR event's id) is not delivered again. */
  readonly dedupKey?: string;
}

export interface WorkflowSnapshot {
  readonly id: string;
  readonly type: string;
  readonly version: number;
  readonly correlationKey: string;
  readonly status: 'running' | 'completed' | 'failed';
  readonly state: Json;
  readonly step: number;
  readonly outcome: Json;
}

export interface QueueDepth {
  /** Inputs (start, signal, effect result, due timer) waiting for a step now. */
  readonly inputsDue: number;
  /** Timers not yet due. */
  readonly timersScheduled: number;
  /** Effects not yet recorded (queued or running). */
  readonly effectsPending: number;
}

export interface EngineCounters {
  readonly steps: number;
  readonly inputsDropped: number;
  readonly effectsCompleted: number;
  readonly effectsRetried: number;
}

export type ReplayReport =
  | { readonly ok: true; readonly steps: number }
  | {
      readonly ok: false;
      readonly step: number;
      readonly reason: 'commands differ' | 'state differs' | 'final state differs';
      readonly recorded: Json;
      readonly replayed: Json;
    };

/**
 * The channel a start or signal NOTIFYs on PostgreSQL (delivered when its transaction commits):
 * idle workers of every process LISTEN on it and run a batch at once instead of at their next poll.
 */
export const WORKFLOW_CHANNEL = 'steward_workflows';

export class WorkflowEngine {
  readonly #db: Database;
  readonly #registry: Registry;
  readonly #clock: Clock;
  readonly #policy: EffectPolicy;
  readonly #observer: EngineObserver;
  readonly #wakeListeners = new Set<() => void>();
  #unlisten: (() => void) | undefined;
  /** Effects step batches leased to a worker of this engine, by worker id: its next `runEffects` runs them. */
  readonly #leased = new Map<string, LeasedEffect[]>();
  #counters = { steps: 0, inputsDropped: 0, effectsCompleted: 0, effectsRetried: 0 };

  constructor(options: WorkflowEngineOptions) {
    this.#db = options.db;
    this.#registry = new Registry(options.definitions, options.effects ?? {});
    this.#clock = options.clock ?? systemClock;
    this.#policy = { ...defaultEffectPolicy, ...options.effectPolicy };
    this.#observer = options.observer ?? {};
  }

  get clock(): Clock {
    return this.#clock;
  }

  /**
   * Starts a workflow of the newest registered version of `type`, once per correlation key: a
   * second start with the same (type, key) returns the first one's id with `created: false`.
   */
  start<T extends JsonValue>(
    start: StartDefinition<T>,
    correlationKey: string,
    payload: T,
    options?: EnqueueOptions,
  ): Promise<{ workflowId: string; created: boolean }>;
  start(
    type: string,
    correlationKey: string,
    payload?: Json,
    options?: EnqueueOptions,
  ): Promise<{ workflowId: string; created: boolean }>;
  async start(
    startOf: string | StartDefinition<JsonValue>,
    correlationKey: string,
    given: JsonValue = null,
    options: EnqueueOptions = {},
  ): Promise<{ workflowId: string; created: boolean }> {
    // A declared start checks its payload here, before anything is stored.
    const type = typeof startOf === 'string' ? startOf : startOf.type;
    const payload = typeof startOf === 'string' ? given : startOf.encode(given);
    const definition = this.#registry.latest(type);
    if (definition === undefined) {
      throw new ValidationError('unknown workflow type', [{ path: 'type', message: 'no definition registered' }]);
    }
    const run = async (tx: Sql): Promise<{ workflowId: string; created: boolean }> => {
      const now = this.#clock.now();
      const id = randomUUID();
      const inserted = await tx.query<{ id: string }>(
        `insert into workflow_instances (id, type, version, correlation_key, status, state, step, created_at, updated_at)
         values ($1, $2, $3, $4, 'running', $5, 0, $6, $6)
         on conflict (type, correlation_key) do nothing returning id`,
        [id, type, definition.version, correlationKey, JSON.stringify(definition.initialState), now],
      );
      if (inserted.rows.length === 0) {
        const existing = await tx.query<{ id: string }>(
          'select id from workflow_instances where type = $1 and correlation_key = $2',
          [type, correlationKey],
        );
        return { workflowId: existing.rows[0]?.id ?? '', created: false };
      }
      await tx.query(
        `insert into workflow_inbox (workflow_id, kind, name, payload, dedup_key, available_at, created_at)
         values ($1, 'start', 'start', $2, 'start', $3, $3)`,
        [id, JSON.stringify(payload), now],
      );
      // In the caller's transaction, its commit delivers the NOTIFY; in our own, it is sent after.
      if (options.tx !== undefined) await notify(this.#db, tx, WORKFLOW_CHANNEL);
      return { workflowId: id, created: true };
    };
    if (options.tx !== undefined) {
      const result = await run(options.tx);
      this.#wake();
      return result;
    }
    const result = await this.#db.transaction(run);
    if (result.created) await this.#notifyCommitted();
    return result;
  }

  /**
   * Delivers a signal to every running workflow with this correlation key (of `type`, if given).
   * Returns how many received it; a signal for a key no running workflow has is not kept.
   * Inside the caller's `tx`, this process's workers are woken before the caller commits, so
   * they may find nothing and pick the signal up at their next poll (`idleMs`).
   */
  signal<T extends JsonValue>(
    correlationKey: string,
    signal: SignalDefinition<T>,
    payload: T,
    options?: SignalOptions,
  ): Promise<number>;
  signal(correlationKey: string, name: string, payload?: Json, options?: SignalOptions): Promise<number>;
  async signal(
    correlationKey: string,
    signal: string | SignalDefinition<JsonValue>,
    given: JsonValue = null,
    options: SignalOptions = {},
  ): Promise<number> {
    // A declared signal checks its payload here, before anything is stored.
    const name = typeof signal === 'string' ? signal : signal.name;
    const payload = typeof signal === 'string' ? given : signal.encode(given);
    const sql = options.tx ?? this.#db;
    const now = this.#clock.now();
    // One statement: the inputs, and in the caller's transaction on PostgreSQL the NOTIFY when any
    // was delivered (its commit delivers it). On its own, the signal commits first and the NOTIFY
    // follows (#notifyCommitted): a transaction that notifies holds PostgreSQL's notify lock
    // through its commit's WAL flush, so signals sent at once from several connections would
    // commit one disk flush after another instead of sharing one.
    const inTx = options.tx !== undefined;
    const r = await sql.query<{ n: number }>(
      `with delivered as (
         insert into workflow_inbox (workflow_id, kind, name, payload, dedup_key, available_at, created_at)
         select id, 'signal', $2, $3, $4, $5, $5 from workflow_instances
         where correlation_key = $1 and status = 'running' and ($6::text is null or type = $6)
         on conflict (workflow_id, dedup_key) do nothing
         returning 1)
       select count(*)::int8 as n${
         inTx && this.#db.kind === 'postgres'
           ? `, (select pg_notify('${WORKFLOW_CHANNEL}', null) where exists (select from delivered)) as woke`
           : ''
       } from delivered`,
      [correlationKey, name, JSON.stringify(payload), options.dedupKey ?? null, now, options.type ?? null],
    );
    const delivered = r.rows[0]?.n ?? 0;
    if (delivered > 0) {
      if (inTx) this.#wake();
      else await this.#notifyCommitted();
    }
    return delivered;
  }

  /**
   * After a start or signal committed on its own: wakes this process's workers, and on PostgreSQL
   * every process's (a NOTIFY in a statement of its own). That statement's transaction writes no
   * WAL and does not wait for the disk, so it holds the notify lock only for a moment. A NOTIFY
   * that fails is only a late wake-up (workers poll), so its error is not the caller's.
   */
  async #notifyCommitted(): Promise<void> {
    this.#wake();
    if (this.#db.kind !== 'postgres') return;
    await this.#db
      .query(`select pg_notify($1, null) where set_config('synchronous_commit', 'off', true) is not null`, [
        WORKFLOW_CHANNEL,
      ])
      .catch(() => undefined);
  }

  /** One batch of up to `limit` due inputs, as steps in one transaction. Returns the steps taken. */
  async runSteps(workerId: string, limit = 64, options: RunStepsOptions = {}): Promise<readonly StepRecord[]> {
    const now = this.#clock.now();
    const lease = options.leaseEffects === true ? this.#lease(now) : undefined;
    const result = await this.#db.transaction(async (tx) => {
      const r = await runStepBatch(tx, this.#registry, workerId, now, limit, lease);
      if (r.steps.length > 0) await this.#observer.stepsWritten?.(r.steps);
      return r;
    });
    this.#stepped(workerId, result);
    return result.steps;
  }

  /**
   * One batch of up to `limit` due effects (first those leased to this worker by its step batch):
   * run, then recorded and delivered to their workflows, with the next step batch in the same
   * transaction when `stepLimit` is given (its steps counted in `steps`).
   */
  async runEffects(workerId: string, limit = 32, options: RunEffectsOptions = {}): Promise<EffectBatchResult> {
    const leased = this.#leased.get(workerId) ?? [];
    this.#leased.delete(workerId);
    let stepped: BatchResult | undefined;
    const stepLimit = options.stepLimit;
    const r = await runEffectBatch(
      this.#db,
      this.#registry,
      workerId,
      () => this.#clock.now(),
      this.#policy,
      limit,
      this.#observer.effectFailed?.bind(this.#observer),
      {
        leased,
        ...(stepLimit !== undefined
          ? {
              then: async (tx: Sql, doneAt: Date) => {
                const b = await runStepBatch(tx, this.#registry, workerId, doneAt, stepLimit, this.#lease(doneAt));
                if (b.steps.length > 0) await this.#observer.stepsWritten?.(b.steps);
                stepped = b;
                return b.steps.length;
              },
            }
          : {}),
      },
    );
    if (stepped !== undefined) this.#stepped(workerId, stepped);
    this.#counters.effectsCompleted += r.completed;
    this.#counters.effectsRetried += r.retried;
    // Results waiting in the inbox for a step: any worker may take it.
    if (r.completed > 0 && stepped === undefined) this.#wake();
    return r;
  }

  /**
   * Gives back the effects leased to `workerId` by its step batches and not yet run (a worker
   * that stops): another worker claims them at once instead of after the lease.
   */
  async releaseEffects(workerId: string): Promise<void> {
    const leased = this.#leased.get(workerId) ?? [];
    this.#leased.delete(workerId);
    if (leased.length === 0) return;
    await this.#db.query(
      `update workflow_effects set lease_owner = null, lease_until = null, attempts = attempts - 1
       where key = any($1::text[]) and lease_owner = $2 and status = 'pending'`,
      [pgArray(leased.map((e) => e.key)), workerId],
    );
    this.#wake();
  }

  #lease(now: Date): EffectLease {
    return { until: new Date(now.getTime() + this.#policy.leaseMs), kinds: this.#registry.effectKindSet() };
  }

  /** After a step batch committed: counters, the observer, and its leased effects kept for the worker. */
  #stepped(workerId: string, result: BatchResult): void {
    this.#counters.steps += result.steps.length;
    this.#counters.inputsDropped += result.dropped;
    if (result.steps.length > 0) this.#observer.stepsCommitted?.(result.steps);
    if (result.leased.length > 0) this.#leased.set(workerId, [...(this.#leased.get(workerId) ?? []), ...result.leased]);
    // Effects not leased to this worker wait in the outbox: wake the workers that claim them.
    const effects = result.steps.reduce((n, s) => n + s.commands.filter((c) => c.type === 'effect').length, 0);
    if (effects > result.leased.length) this.#wake();
  }

  async get(workflowId: string): Promise<WorkflowSnapshot> {
    const r = await this.#db.query<{
      id: string;
      type: string;
      version: number;
      correlation_key: string;
      status: WorkflowSnapshot['status'];
      state: Json;
      step: number;
      outcome: Json;
    }>(
      'select id, type, version, correlation_key, status, state, step, outcome from workflow_instances where id = $1',
      [workflowId],
    );
    const row = r.rows[0];
    if (row === undefined) throw new NotFoundError('workflow');
    return {
      id: row.id,
      type: row.type,
      version: row.version,
      correlationKey: row.correlation_key,
      status: row.status,
      state: row.state,
      step: row.step,
      outcome: row.outcome,
    };
  }

  /**
   * Re-runs `decide` over the workflow's recorded inputs, with its recorded times, from the initial
   * state, and compares every step's commands and state digest (and the final state) with what
   * was recorded. `definition` replays another version of the code against this history (to
   * check that a change keeps running workflows' decisions).
   */
  async replay(workflowId: string, definition?: WorkflowDefinition): Promise<ReplayReport> {
    const inst = await this.get(workflowId);
    const def = definition ?? this.#registry.get(inst.type, inst.version);
    if (def === undefined) {
      throw new ValidationError('no definition for this workflow', [{ path: 'type', message: 'not registered' }]);
    }
    const history = await this.#db.query<{
      step: number;
      input: WorkflowInput;
      decided_at: Date;
      commands: Command[];
      state_digest: string;
    }>(
      'select step, input, decided_at, commands, state_digest from workflow_history where workflow_id = $1 order by step',
      [workflowId],
    );
    let state: Json = def.initialState;
    for (const h of history.rows) {
      const out = decideSafely(
        def,
        state,
        h.input,
        makeContext(inst.id, inst.correlationKey, h.step, new Date(h.decided_at)),
      );
      if (canonicalJson(out.commands) !== canonicalJson(h.commands)) {
        return {
          ok: false,
          step: h.step,
          reason: 'commands differ',
          recorded: [...h.commands],
          replayed: [...out.commands],
        };
      }
      if (stateDigest(out.state) !== h.state_digest) {
        return { ok: false, step: h.step, reason: 'state differs', recorded: h.state_digest, replayed: out.state };
      }
      state = out.state;
    }
    if (canonicalJson(state) !== canonicalJson(inst.state)) {
      return { ok: false, step: inst.step, reason: 'final state differs', recorded: inst.state, replayed: state };
    }
    return { ok: true, steps: history.rows.length };
  }

  async queueDepth(): Promise<QueueDepth> {
    const now = this.#clock.now();
    const r = await this.#db.query<{ due: number; scheduled: number; effects: number }>(
      `select
         (select count(*) from workflow_inbox where available_at <= $1)::int8 as due,
         (select count(*) from workflow_inbox where kind = 'timer' and available_at > $1)::int8 as scheduled,
         (select count(*) from workflow_effects where status = 'pending')::int8 as effects`,
      [now],
    );
    const row = r.rows[0];
    return { inputsDue: row?.due ?? 0, timersScheduled: row?.scheduled ?? 0, effectsPending: row?.effects ?? 0 };
  }

  /** Counters of this engine (this process) since it was built. */
  counters(): EngineCounters {
    return { ...this.#counters };
  }

  /**
   * Called when work arrives: enqueued by this process (at once), or, on PostgreSQL, committed by
   * any process (a NOTIFY on `WORKFLOW_CHANNEL`, through the store's one listening connection,
   * held while this engine has listeners).
   */
  onWork(listener: () => void): () => void {
    this.#wakeListeners.add(listener);
    if (this.#unlisten === undefined && this.#db.listen !== undefined) {
      this.#unlisten = this.#db.listen(WORKFLOW_CHANNEL, () => this.#wake());
    }
    return () => {
      this.#wakeListeners.delete(listener);
      if (this.#wakeListeners.size === 0) {
        this.#unlisten?.();
        this.#unlisten = undefined;
      }
    };
  }

  #wake(): void {
    for (const l of this.#wakeListeners) l();
  }

  /** A default worker id: host, process, and a random suffix (two workers in one process differ). */
  static workerId(): string {
    return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }
}

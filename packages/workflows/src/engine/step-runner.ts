/**
 * @module One batch of workflow steps, in ONE transaction: claim due inputs (and lock their
 * instances) with FOR UPDATE SKIP LOCKED, run each workflow's pure `decide` over them in order,
 * then write the new states, the history, the timers, the effects outbox rows, and remove the
 * inputs. A crash before commit leaves everything as it was; after commit, the step is done and
 * is never run again (the history's primary key (workflow, step) and the instance's step guard
 * refuse a second write even if a bug claimed an input twice).
 *
 * The row locks are the step's lease: they last only for the transaction (milliseconds, no I/O
 * but the database's), and die with the worker's connection if it is killed, so there is no
 * lease to expire. Effects, which run outside any transaction, have real leases (effect-runner).
 */
import { UnexpectedError } from '@steward/core';
import type { Sql } from '@steward/store';
import { asStoredJson, makeContext, stateDigest } from './determinism.js';
import type { Registry } from './registry.js';
import { resolveTimer } from './timers.js';
import type { Command, Decision, Json, WorkflowDefinition, WorkflowInput } from './types.js';
import { pgArray } from './pg-array.js';

export interface StepRecord {
  readonly workflowId: string;
  readonly type: string;
  readonly step: number;
  readonly input: WorkflowInput;
  readonly commands: readonly Command[];
  readonly status: 'running' | 'completed' | 'failed';
}

export interface BatchResult {
  readonly steps: StepRecord[];
  /** Inputs removed without a step: for a finished workflow, or a timer cancelled in the batch. */
  readonly dropped: number;
  /** Effects the batch wrote already leased to its worker (`EffectLease`), to run next. */
  readonly leased: LeasedEffect[];
}

/**
 * Effects a batch asks for, written already leased to the batch's worker (which runs them next),
 * so no claim of its own has to commit. Only kinds this worker handles.
 */
export interface EffectLease {
  readonly until: Date;
  readonly kinds: ReadonlySet<string>;
}

/** An effect leased to a worker, as its runner needs it. */
export interface LeasedEffect {
  readonly key: string;
  readonly workflow_id: string;
  readonly kind: string;
  readonly input: Json;
  readonly attempts: number;
}

interface InboxRow {
  seq: number;
  workflow_id: string;
  kind: WorkflowInput['kind'];
  name: string;
  payload: Json;
  // The instance, as locked (FOR UPDATE returns the newest version of a row it locks).
  type: string;
  version: number;
  correlation_key: string;
  status: 'running' | 'completed' | 'failed';
  state: Json;
  step: number;
  outcome: Json;
}

interface InstanceRow {
  id: string;
  type: string;
  version: number;
  correlation_key: string;
  status: 'running' | 'completed' | 'failed';
  state: Json;
  step: number;
  outcome: Json;
  prevStep: number;
}

// The join locks the instance too, so one workflow's inputs are taken by one worker at a time and
// in order; `of i, w` also locks the input, so an input another worker just removed is skipped
// rather than re-read through the join. Only workflows this worker has definitions for.
//
// The last condition is evaluated once, when the claim runs (after it was planned), and always
// true: it turns sequential scans off for the rest of this transaction, so the write statement
// below plans with the indexes. For that transaction only: no sequential scan where an index
// answers. The write statement names at most a batch of rows by key; PostgreSQL 15 still read a
// table of 10,000 workflows whole for a batch of 128 (its cost model expects every index probe to
// go to disk). Set here rather than by its own `set local`, which cost a round trip per batch.
const CLAIM = `
select i.seq, i.workflow_id, i.kind, i.name, i.payload,
  w.type, w.version, w.correlation_key, w.status, w.state, w.step, w.outcome
from workflow_inbox i join workflow_instances w on w.id = i.workflow_id
where i.available_at <= $1
  and (w.type || '@' || w.version) in (select jsonb_array_elements_text($3::jsonb))
  and (select set_config('enable_seqscan', 'off', true)) is not null
order by i.available_at, i.seq
limit $2
for update of i, w skip locked`;

/** Runs one batch inside `tx`. `hook` runs after the writes, before the caller commits. */
export async function runStepBatch(
  tx: Sql,
  registry: Registry,
  workerId: string,
  now: Date,
  limit: number,
  lease?: EffectLease,
): Promise<BatchResult> {
  const claimed = (await tx.query<InboxRow>(CLAIM, [now, limit, JSON.stringify(registry.definitionKeys())])).rows;
  if (claimed.length === 0) return { steps: [], dropped: 0, leased: [] };
  const instances = new Map<string, InstanceRow>();
  for (const r of claimed) {
    if (instances.has(r.workflow_id)) continue;
    instances.set(r.workflow_id, {
      id: r.workflow_id,
      type: r.type,
      version: r.version,
      correlation_key: r.correlation_key,
      status: r.status,
      state: r.state,
      step: r.step,
      outcome: r.outcome,
      prevStep: r.step,
    });
  }

  const steps: StepRecord[] = [];
  const history: Json[] = [];
  const effects: {
    key: string;
    workflow_id: string;
    kind: string;
    tag: string | null;
    input: Json;
    leased: boolean;
  }[] = [];
  const timers = new Map<string, Json>(); // `${workflow}\u0000${name}` → timer row to insert
  const touchedTimers = new Set<string>();
  let dropped = 0;
  const decidedAt = now.toISOString();

  for (const row of claimed) {
    const inst = instances.get(row.workflow_id);
    const timerKey = `${row.workflow_id}\u0000${row.name}`;
    const definition = inst === undefined ? undefined : registry.get(inst.type, inst.version);
    if (
      inst === undefined ||
      definition === undefined ||
      inst.status !== 'running' ||
      (row.kind === 'timer' && touchedTimers.has(timerKey))
    ) {
      dropped++;
      continue;
    }
    const step = inst.step + 1;
    const input = { kind: row.kind, name: row.name, payload: row.payload } as WorkflowInput;
    const decision = decideSafely(definition, inst.state, input, makeContext(inst.id, inst.correlation_key, step, now));
    const commands = decision.commands;
    let effectIndex = 0;
    for (const c of commands) {
      switch (c.type) {
        case 'setTimer':
        case 'cancelTimer': {
          const k = `${inst.id}\u0000${c.name}`;
          touchedTimers.add(k);
          timers.delete(k);
          if (c.type === 'setTimer') {
            const dueAt = resolveTimer(c, now).toISOString();
            timers.set(k, { workflow_id: inst.id, name: c.name, payload: { dueAt }, available_at: dueAt });
          }
          break;
        }
        case 'effect':
          effects.push({
            key: `${inst.id}/${step}/${effectIndex++}`,
            workflow_id: inst.id,
            kind: c.kind,
            tag: c.tag ?? null,
            input: c.input,
            leased: lease?.kinds.has(c.kind) ?? false,
          });
          break;
        case 'complete':
          inst.status = 'completed';
          inst.outcome = c.outcome;
          break;
        case 'fail':
          inst.status = 'failed';
          inst.outcome = { reason: c.reason };
          break;
      }
    }
    inst.state = decision.state;
    inst.step = step;
    history.push({
      workflow_id: inst.id,
      step,
      version: inst.version,
      input,
      decided_at: decidedAt,
      commands: [...commands],
      state_digest: stateDigest(decision.state),
      worker_id: workerId,
    });
    steps.push({ workflowId: inst.id, type: inst.type, step, input, commands, status: inst.status });
  }

  const changed = [...instances.values()].filter((i) => i.step !== i.prevStep);
  const finished = new Set(changed.filter((i) => i.status !== 'running').map((i) => i.id));
  const split = (k: string): { workflow_id: string; name: string } => {
    const [workflowId = '', name = ''] = k.split('\u0000');
    return { workflow_id: workflowId, name };
  };
  // One statement, one round trip. Its parts share one snapshot and cannot see each other's
  // rows, which is what is wanted: old timers of a touched name go, new ones come, and a
  // finished workflow's leftover inputs go (no new timer is written for it). jsonb_to_recordset
  // reads a JSON null as SQL NULL, so a null state is turned back into JSON null.
  //
  // Every row it changes or removes is also named by a typed array (`= any($n::uuid[])`): the
  // planner sizes that from the array itself, so the primary key and the inbox's indexes are used
  // at every table size (joined to jsonb_to_recordset alone, which it guesses at 100 rows, it read
  // whole tables sequentially while they were small: docs/benchmarks.md, workflow-plans).
  const timerWorkflows = [...new Set([...touchedTimers].map((k) => split(k).workflow_id))];
  const r = await tx.query<{ updated: number }>(
    `with
     consumed as (
       delete from workflow_inbox where seq = any($1::int8[]) returning 1),
     moved as (
       update workflow_instances w
       set state = coalesce(x.state, 'null'::jsonb), step = x.step, status = x.status, outcome = x.outcome, updated_at = $8
       from jsonb_to_recordset($2::jsonb) as x(id uuid, state jsonb, step int, prev_step int, status text, outcome jsonb)
       where w.id = any($9::uuid[]) and w.id = x.id and w.step = x.prev_step
       returning 1),
     recorded as (
       insert into workflow_history (workflow_id, step, version, input, decided_at, commands, state_digest, worker_id)
       select workflow_id, step, version, input, decided_at, commands, state_digest, worker_id
       from jsonb_to_recordset($3::jsonb) as x(workflow_id uuid, step int, version int, input jsonb,
         decided_at timestamptz, commands jsonb, state_digest text, worker_id text)
       returning 1),
     timers_gone as (
       delete from workflow_inbox i using jsonb_to_recordset($4::jsonb) as x(workflow_id uuid, name text)
       where i.kind = 'timer' and i.workflow_id = any($10::uuid[]) and i.workflow_id = x.workflow_id and i.name = x.name
       returning 1),
     timers_set as (
       insert into workflow_inbox (workflow_id, kind, name, payload, available_at, created_at)
       select workflow_id, 'timer', name, payload, available_at, $8
       from jsonb_to_recordset($5::jsonb) as x(workflow_id uuid, name text, payload jsonb, available_at timestamptz)
       returning 1),
     outbox as (
       insert into workflow_effects (key, workflow_id, kind, tag, input, status, available_at, created_at,
         lease_owner, lease_until, attempts)
       select key, workflow_id, kind, tag, input, 'pending', $8, $8,
         case when x.leased then $11::text end, case when x.leased then $12::timestamptz end, case when x.leased then 1 else 0 end
       from jsonb_to_recordset($6::jsonb) as x(key text, workflow_id uuid, kind text, tag text, input jsonb, leased boolean)
       returning 1),
     closed as (
       delete from workflow_inbox where workflow_id = any($7::uuid[]) returning 1)
     select (select count(*) from moved)::int8 as updated,
            (select count(*) from consumed) + (select count(*) from recorded) + (select count(*) from timers_gone)
            + (select count(*) from timers_set) + (select count(*) from outbox) + (select count(*) from closed) as other`,
    [
      pgArray(claimed.map((c) => c.seq)),
      JSON.stringify(
        changed.map((i) => ({
          id: i.id,
          state: i.state,
          step: i.step,
          prev_step: i.prevStep,
          status: i.status,
          outcome: i.outcome,
        })),
      ),
      JSON.stringify(history),
      JSON.stringify([...touchedTimers].map(split)),
      JSON.stringify([...timers.entries()].filter(([k]) => !finished.has(split(k).workflow_id)).map(([, v]) => v)),
      JSON.stringify(effects),
      pgArray([...finished]),
      now,
      pgArray(changed.map((i) => i.id)),
      pgArray(timerWorkflows),
      workerId,
      lease?.until ?? null,
    ],
  );
  if ((r.rows[0]?.updated ?? -1) !== changed.length) {
    throw new UnexpectedError('workflow step guard: an instance moved under a held lock');
  }
  const leased = effects
    .filter((e) => e.leased)
    .map((e) => ({ key: e.key, workflow_id: e.workflow_id, kind: e.kind, input: e.input, attempts: 1 }));
  return { steps, dropped, leased };
}

/**
 * Runs `decide` on a stored copy of the state. A decide that throws fails its workflow (a pure
 * function would throw again on every retry); the failure is a recorded decision, so replay
 * reproduces it. Only the error's class name is kept: its message may quote state.
 */
export function decideSafely(
  definition: WorkflowDefinition,
  state: Json,
  input: WorkflowInput,
  ctx: ReturnType<typeof makeContext>,
): { state: Json; commands: readonly Command[] } {
  try {
    const d: Decision<Json> = definition.decide(asStoredJson(state), asStoredJson(input), ctx);
    const out = asStoredJson({ state: d.state, commands: d.commands ?? [] });
    for (const c of out.commands) {
      if (c.type === 'setTimer') resolveTimer(c, ctx.now); // a bad timer spec fails here, not at write time
    }
    return out;
  } catch (e) {
    const name = e instanceof Error ? e.name : 'non-Error value';
    return { state, commands: [{ type: 'fail', reason: `decide threw ${name}` }] };
  }
}

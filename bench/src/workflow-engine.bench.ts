/**
 * @module Workflow engine benchmark, on PGlite (a temp data directory) and on PostgreSQL (when
 * BENCH_DATABASE_URL or STEWARD_TEST_DATABASE_URL names a server; a fresh database is created and
 * dropped). Reported, not asserted (exits non-zero only on errors):
 *
 * - baseline: raw single-row UPDATE commits/s on the same database, one at a time (what one
 *   durable commit costs here);
 * - steps/s: 10,000 active workflows (each with a reminder timer 30 days out); S signals enqueued
 *   to random ones, then workers drain them. Each signal is two steps (the signal, which asks for
 *   a `proposal.create` effect, then the effect's result) and one effect run;
 * - event-to-proposal latency p50/p99: signals sent open-loop at a steady rate (light: 200/s;
 *   busy: 500/s while timers fire; PGlite 50/s and 100/s) by a separate engine on its own
 *   connections (as an ingest process would; on PGlite the one connection is shared), while the
 *   workers run; measured from `signal()` to the commit of the step that put the proposal effect
 *   in the outbox, and to the effect handler's call. Workers find those signals by polling (5 ms);
 *   each signal is its own commit, so the path holds at least two commits;
 * - timer skew: BENCH_TIMERS (default 1,000,000 on PostgreSQL, 100,000 on PGlite) workflows
 *   waiting on a timer, bulk-loaded; a slice falls due during the measurement while signals keep
 *   the engine busy; skew = the firing step's time − the due time, p50/p99/max.
 *
 * Targets (the issue): ≥ 5,000 steps/s with p99 ≤ 25 ms on PostgreSQL; timer skew p99 ≤ 1 s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PgliteDatabase, PostgresDatabase, migrate, type Database } from '@steward/store';
import {
  complete,
  effect,
  setTimer,
  WorkflowEngine,
  WorkflowWorker,
  type StepRecord,
  type WorkflowDefinition,
} from '@steward/workflows';
import { freshPostgres } from './harness.js';

const ACTIVE = 10_000;
const BATCH = Number(process.env['BENCH_BATCH'] ?? 128);
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => n.toFixed(1);

function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

type ReferralState = { events: number; proposals: number };
const referral: WorkflowDefinition<ReferralState> = {
  type: 'bench-referral',
  version: 1,
  initialState: { events: 0, proposals: 0 },
  decide(state, input, ctx) {
    switch (input.kind) {
      case 'start':
        return { state, commands: [setTimer('reminder', { after: { days: 30 }, zone: 'America/New_York' })] };
      case 'signal': {
        const sentAt = (input.payload as { sentAt?: number } | null)?.sentAt ?? 0;
        return {
          state: { ...state, events: state.events + 1 },
          commands: [effect('proposal.create', { workflow: ctx.workflowId, proposal: ctx.newId(), sentAt })],
        };
      }
      case 'effect':
        return { state: { ...state, proposals: state.proposals + 1 } };
      case 'timer':
        return { state };
    }
  },
};

const reminder: WorkflowDefinition<Record<string, never>> = {
  type: 'bench-reminder',
  version: 1,
  initialState: {},
  decide: (state, input) => ({ state, commands: input.kind === 'timer' ? [complete()] : [] }),
};

interface Figures {
  store: string;
  baseline: number;
  stepsPerSec: number;
  signalsPerSec: number;
  light: { commit: number[]; handler: number[] };
  busy: { commit: number[]; handler: number[] };
  rate: number;
  lightRate: number;
  timers: number;
  fired: number;
  skew: number[];
}

async function run(
  name: string,
  db: Database,
  workers: number,
  lightRate: number,
  rate: number,
  timerCount: number,
  /** Where the latency phases' signals come from: another pool (as from the EHR ingest process). */
  senderDb: Database,
): Promise<Figures> {
  console.log(`\n### ${name}\n`);
  // Baseline: one row updated per transaction, sequentially.
  await db.exec(
    'create table if not exists bench_counter (id int primary key, n bigint not null); insert into bench_counter values (1, 0) on conflict do nothing',
  );
  let commits = 0;
  const b0 = performance.now();
  while (performance.now() - b0 < 3000) {
    await db.transaction((tx) => tx.query('update bench_counter set n = n + 1 where id = 1'));
    commits++;
  }
  const baseline = (commits / (performance.now() - b0)) * 1000;
  console.log(`baseline single-row UPDATE commits/s: ${fmt(baseline)}`);

  interface Sink {
    commit: number[];
    handler: number[];
  }
  const light: Sink = { commit: [], handler: [] };
  const busy: Sink = { commit: [], handler: [] };
  let sink: Sink | undefined;
  const engine = new WorkflowEngine({
    db,
    definitions: [referral, reminder],
    effects: {
      // Stands in for the proposals package: idempotent by key, and cheap.
      'proposal.create': (req) => {
        const sentAt = (req.input as { sentAt?: number }).sentAt ?? 0;
        if (sink !== undefined && sentAt > 0) sink.handler.push(performance.timeOrigin + performance.now() - sentAt);
        return Promise.resolve({ proposal: req.key });
      },
    },
    effectPolicy: { leaseMs: 120_000 },
    observer: {
      stepsCommitted(steps: readonly StepRecord[]) {
        if (sink === undefined) return;
        const now = performance.timeOrigin + performance.now();
        for (const s of steps) {
          if (s.input.kind === 'signal')
            sink.commit.push(now - ((s.input.payload as { sentAt?: number }).sentAt ?? now));
        }
      },
    },
  });
  const pool = Array.from(
    { length: workers },
    (_, i) => new WorkflowWorker(engine, { id: `bench-${i}`, batchSize: BATCH, effectBatchSize: BATCH, idleMs: 5 }),
  );
  const drain = async (): Promise<void> => {
    for (;;) {
      const d = await engine.queueDepth();
      if (d.inputsDue === 0 && d.effectsPending === 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  // 10,000 active workflows.
  const s0 = performance.now();
  for (let i = 0; i < ACTIVE; i += 500) {
    await db.transaction(async (tx) => {
      for (let j = i; j < Math.min(ACTIVE, i + 500); j++)
        await engine.start('bench-referral', `referral:${j}`, null, { tx });
    });
  }
  for (const w of pool) w.start();
  await drain();
  console.log(
    `${fmt(ACTIVE)} workflows started and their first step taken in ${ms((performance.now() - s0) / 1000)} s`,
  );

  // Throughput: S signals queued, then drained.
  const signals = 20_000;
  for (const w of pool) await w.stop();
  const e0 = performance.now();
  for (let i = 0; i < signals; i += 1000) {
    await db.transaction(async (tx) => {
      for (let j = i; j < i + 1000; j++)
        await engine.signal(`referral:${(j * 7919) % ACTIVE}`, 'ehr-event', null, { tx });
    });
  }
  const signalsPerSec = (signals / (performance.now() - e0)) * 1000;
  const before = engine.counters().steps;
  const t0 = performance.now();
  for (const w of pool) w.start();
  await drain();
  const stepsPerSec = ((engine.counters().steps - before) / (performance.now() - t0)) * 1000;
  console.log(
    `signals enqueued/s (1,000 per transaction): ${fmt(signalsPerSec)}; steps/s draining ${fmt(signals)} signals (${fmt(engine.counters().steps - before)} steps, ${workers} workers): ${fmt(stepsPerSec)}`,
  );

  // The sender is a separate engine on its own connections, like an ingest process: it does not
  // wake this process's workers, which find its signals by polling (idleMs 5).
  const sender = new WorkflowEngine({ db: senderDb, definitions: [referral, reminder] });
  // Open loop: signals at `perSec` for `forMs`, sent without waiting for the previous one (a
  // signal is a committed insert: awaiting each would cap the rate at one commit time per signal).
  const steady = async (perSec: number, forMs: number, into: Sink): Promise<number> => {
    sink = into;
    const m0 = performance.now();
    const inFlight: Promise<number>[] = [];
    while (performance.now() - m0 < forMs) {
      const target = Math.floor(((performance.now() - m0) / 1000) * perSec);
      while (inFlight.length < target) {
        const n = inFlight.length;
        inFlight.push(
          sender.signal(`referral:${(n * 104729) % ACTIVE}`, 'ehr-event', {
            sentAt: performance.timeOrigin + performance.now(),
          }),
        );
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    await Promise.all(inFlight);
    const achieved = (inFlight.length / (performance.now() - m0)) * 1000;
    await drain();
    sink = undefined;
    return achieved;
  };
  const lightAchieved = await steady(lightRate, 8000, light);

  // Timers: bulk-load the waiting workflows (due in 30+ days), then a slice due over the next
  // seconds, stamped after the bulk load so the load's own duration is not counted as skew.
  const windowMs = 15_000;
  const dueInWindow = Math.min(timerCount, 15_000);
  const load = (from: number, to: number, startAt: number): Promise<unknown> =>
    db.query(
      `with ids as (
         select gen_random_uuid() as id, g from generate_series($1::int, $2::int) g),
       w as (
         insert into workflow_instances (id, type, version, correlation_key, status, state, step, created_at, updated_at)
         select id, 'bench-reminder', 1, 'reminder:' || g, 'running', '{}', 1, now(), now() from ids returning id, correlation_key)
       insert into workflow_inbox (workflow_id, kind, name, payload, available_at, created_at)
       select w.id, 'timer', 'reminder', jsonb_build_object('dueAt', d.due), d.due, now()
       from w, lateral (select case when split_part(w.correlation_key, ':', 2)::int < $3
                 then to_timestamp(($4::float8 + split_part(w.correlation_key, ':', 2)::int * $5::float8) / 1000)
                 else now() + interval '30 days' + (split_part(w.correlation_key, ':', 2)::int || ' seconds')::interval end as due) d`,
      [from, to, dueInWindow, startAt, windowMs / dueInWindow],
    );
  const l0 = performance.now();
  for (let i = dueInWindow; i < timerCount; i += 50_000) await load(i, Math.min(timerCount, i + 50_000) - 1, 0);
  await db.exec('analyze workflow_inbox; analyze workflow_instances');
  const startAt = Date.now() + 2000;
  await load(0, dueInWindow - 1, startAt);
  console.log(
    `${fmt(timerCount)} timers loaded in ${ms((performance.now() - l0) / 1000)} s (${fmt(dueInWindow)} due over ${windowMs / 1000} s from 2 s after the load, the rest in 30+ days)`,
  );

  // Latency under load, and timer skew, together: steady signals while timers fall due.
  const busyAchieved = await steady(rate, Math.max(0, startAt - Date.now()) + windowMs + 1000, busy);

  for (const w of pool) await w.stop();
  const skewRows = await db.query<{ skew: number }>(
    `select extract(epoch from (h.decided_at - (h.input->'payload'->>'dueAt')::timestamptz)) * 1000 as skew
     from workflow_history h where h.input->>'kind' = 'timer'`,
  );
  const skew = skewRows.rows.map((r) => Number(r.skew));
  return {
    rate: busyAchieved,
    lightRate: lightAchieved,
    store: name,
    baseline,
    stepsPerSec,
    signalsPerSec,
    light,
    busy,
    timers: timerCount,
    fired: skew.length,
    skew,
  };
}

const results: Figures[] = [];
const cleanups: (() => Promise<void>)[] = [];
try {
  const only = process.env['BENCH_STORES'];
  const pg = only === 'pglite' ? undefined : await freshPostgres();
  if (pg !== undefined) {
    cleanups.push(() => pg.close());
    const timers = Number(process.env['BENCH_TIMERS'] ?? 1_000_000);
    const senderDb = await PostgresDatabase.open({ url: pg.url ?? '', maxConnections: 4 });
    cleanups.push(() => senderDb.close());
    results.push(
      await run(
        'PostgreSQL',
        pg,
        Number(process.env['BENCH_WORKERS'] ?? 2),
        Number(process.env['BENCH_LIGHT_RATE'] ?? 200),
        Number(process.env['BENCH_RATE'] ?? 500),
        timers,
        senderDb,
      ),
    );
  }
  if (only !== 'postgres') {
    const dir = mkdtempSync(join(tmpdir(), 'steward-wf-bench-'));
    cleanups.push(() => Promise.resolve(rmSync(dir, { recursive: true, force: true })));
    const lite = await PgliteDatabase.open(join(dir, 'data'));
    cleanups.push(() => lite.close());
    await migrate(lite);
    results.push(
      await run(
        'PGlite',
        lite,
        1,
        Number(process.env['BENCH_LIGHT_RATE_PGLITE'] ?? 50),
        Number(process.env['BENCH_RATE_PGLITE'] ?? 100),
        Number(process.env['BENCH_TIMERS_PGLITE'] ?? 100_000),
        lite, // one connection: the sender shares it
      ),
    );
  }
  const pq = (xs: readonly number[]): string => `${ms(percentile(xs, 50))} / ${ms(percentile(xs, 99))}`;
  console.log(
    '\n| store | baseline UPDATE commits/s | steps/s | ÷ baseline | signals/s sent | signal→proposal enqueued p50 / p99 ms | signal→handler p50 / p99 ms | samples |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    for (const [label, rate, sk] of [
      ['light', r.lightRate, r.light],
      ['busy (with timers firing)', r.rate, r.busy],
    ] as const) {
      console.log(
        `| ${r.store}, ${label} | ${fmt(r.baseline)} | ${fmt(r.stepsPerSec)} | ${(r.stepsPerSec / r.baseline).toFixed(2)} | ${fmt(rate)} | ${pq(sk.commit)} | ${pq(sk.handler)} | ${fmt(sk.commit.length)} |`,
      );
    }
  }
  console.log('\n| store | timers scheduled | fired in the window | skew p50 / p99 / max ms |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const r of results) {
    console.log(
      `| ${r.store} | ${fmt(r.timers)} | ${fmt(r.fired)} | ${ms(percentile(r.skew, 50))} / ${ms(percentile(r.skew, 99))} / ${ms(Math.max(...r.skew))} |`,
    );
  }
  console.log(
    `\nWorkers: PostgreSQL ${process.env['BENCH_WORKERS'] ?? 2} in one process, PGlite 1; batch ${BATCH}. Targets: ≥ 5,000 steps/s and p99 ≤ 25 ms on PostgreSQL; timer skew p99 ≤ 1,000 ms.`,
  );
} finally {
  for (const c of cleanups.reverse()) {
    try {
      await c();
    } catch (e) {
      console.error('cleanup failed:', e);
      process.exitCode = 1;
    }
  }
}

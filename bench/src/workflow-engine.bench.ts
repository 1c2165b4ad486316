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
 *   in the outbox, and to the effect handler's call. The light rate runs in 4 alternating rounds
 *   of 3 s: workers that only poll (every BENCH_IDLE_MS, default 100 ms, the engine's default),
 *   then workers woken at once: by the sender's NOTIFY on PostgreSQL; on PGlite, where one
 *   process owns the store, by their own engine sending the signals (as the server's router
 *   does; the busy phase too). Each signal is its own commit, so the path holds at least two
 *   commits; the baseline's one-commit p50/p99 is printed beside it, and on
 *   PostgreSQL the WAL syncs per signal (pg_stat_wal) at the light rate;
 * - timer skew: BENCH_TIMERS (default 1,000,000 on PostgreSQL, 100,000 on PGlite) workflows
 *   waiting on a timer, bulk-loaded; a slice falls due during the measurement while signals keep
 *   the engine busy; skew = the firing step's time − the due time, p50/p99/max.
 *
 * Targets (the issue): ≥ 5,000 steps/s with p99 ≤ 25 ms on PostgreSQL; timer skew p99 ≤ 1 s.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
/** The workers' poll when idle: the engine's default, as the server runs it. */
const IDLE_MS = Number(process.env['BENCH_IDLE_MS'] ?? 100);
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
  polling: { commit: number[]; handler: number[] };
  busy: { commit: number[]; handler: number[] };
  pollingRate: number;
  commitMs: number[];
  fsyncsPerSignal: number | undefined;
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
  const commitMs: number[] = [];
  const b0 = performance.now();
  while (performance.now() - b0 < 3000) {
    const c0 = performance.now();
    await db.transaction((tx) => tx.query('update bench_counter set n = n + 1 where id = 1'));
    commitMs.push(performance.now() - c0);
    commits++;
  }
  const baseline = (commits / (performance.now() - b0)) * 1000;
  console.log(
    `baseline single-row UPDATE commits/s: ${fmt(baseline)}; one commit p50 / p99: ${ms(percentile(commitMs, 50))} / ${ms(percentile(commitMs, 99))} ms`,
  );

  interface Sink {
    commit: number[];
    handler: number[];
  }
  const light: Sink = { commit: [], handler: [] };
  const polling: Sink = { commit: [], handler: [] };
  const busy: Sink = { commit: [], handler: [] };
  let sink: Sink | undefined;
  const makeEngine = (over: Database): WorkflowEngine =>
    new WorkflowEngine({
      db: over,
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
  const engine = makeEngine(db);
  const workersOf = (e: WorkflowEngine, tag: string): WorkflowWorker[] =>
    Array.from(
      { length: workers },
      (_, i) =>
        new WorkflowWorker(e, { id: `bench-${tag}${i}`, batchSize: BATCH, effectBatchSize: BATCH, idleMs: IDLE_MS }),
    );
  const pool = workersOf(engine, '');
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
  // wake this process's workers itself; its NOTIFY does (PostgreSQL), or their poll.
  const sender = new WorkflowEngine({ db: senderDb, definitions: [referral, reminder] });
  // Open loop: signals at `perSec` for `forMs`, sent without waiting for the previous one (a
  // signal is a committed insert: awaiting each would cap the rate at one commit time per signal).
  // At most 256 signals in flight: on a loaded machine a sender that falls further behind skips
  // its turns (the achieved rate shows it) rather than queueing for the pool past its timeout.
  const steady = async (
    perSec: number,
    forMs: number,
    into: Sink,
    label: string,
    via: WorkflowEngine = sender,
  ): Promise<number> => {
    sink = into;
    const m0 = performance.now();
    const inFlight: Promise<number>[] = [];
    let pending = 0;
    let turn = 0;
    while (performance.now() - m0 < forMs) {
      const target = Math.floor(((performance.now() - m0) / 1000) * perSec);
      for (; turn < target; turn++) {
        if (pending >= 256) continue;
        const n = turn;
        pending++;
        inFlight.push(
          via
            .signal(`referral:${(n * 104729) % ACTIVE}`, 'ehr-event', {
              sentAt: performance.timeOrigin + performance.now(),
            })
            .finally(() => pending--),
        );
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    await Promise.all(inFlight);
    const achieved = (inFlight.length / (performance.now() - m0)) * 1000;
    await drain();
    sink = undefined;
    console.log(
      `${label}: ${fmt(achieved)} signals/s sent (${fmt(turn - inFlight.length)} turns skipped); signal → proposal enqueued p50 / p99 ${ms(percentile(into.commit, 50))} / ${ms(percentile(into.commit, 99))} ms; → handler ${ms(percentile(into.handler, 50))} / ${ms(percentile(into.handler, 99))} ms; load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
    );
    return achieved;
  };
  // Light load twice: workers that only poll (the same store without `listen`), then the usual
  // ones, woken by the sender's NOTIFY on PostgreSQL. fsyncs: WAL syncs (pg_stat_wal) per signal.
  const walSyncs = async (): Promise<number | undefined> =>
    db.kind === 'postgres'
      ? Number((await db.query<{ n: number }>('select wal_sync::int8 as n from pg_stat_wal')).rows[0]?.n)
      : undefined;
  for (const w of pool) await w.stop();
  const pollingDb: Database = {
    kind: db.kind,
    query: (t, p) => db.query(t, p),
    exec: (t) => db.exec(t),
    transaction: (fn) => db.transaction(fn),
    close: () => Promise.resolve(),
  };
  const pollers = workersOf(makeEngine(pollingDb), 'poll-');
  // Alternating rounds, so both kinds of workers meet the same machine and the same tables.
  let pollingAchieved = 0;
  let lightAchieved = 0;
  let syncs = 0;
  const rounds = 4;
  for (let round = 1; round <= rounds; round++) {
    for (const w of pollers) w.start();
    pollingAchieved += (await steady(lightRate, 3000, polling, `light, polling only, round ${round}`)) / rounds;
    for (const w of pollers) await w.stop();
    for (const w of pool) w.start();
    const sync0 = await walSyncs();
    // PGlite: one process owns the store, and its own engine sends (the router's, in the server).
    lightAchieved +=
      (await steady(lightRate, 3000, light, `light, round ${round}`, db.kind === 'pglite' ? engine : sender)) / rounds;
    syncs += ((await walSyncs()) ?? 0) - (sync0 ?? 0);
    for (const w of pool) await w.stop();
  }
  for (const w of pool) w.start();
  const fsyncsPerSignal = db.kind === 'postgres' ? syncs / Math.max(1, light.commit.length) : undefined;

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
  const busyAchieved = await steady(
    rate,
    Math.max(0, startAt - Date.now()) + windowMs + 1000,
    busy,
    'busy',
    db.kind === 'pglite' ? engine : sender,
  );

  for (const w of pool) await w.stop();
  const skewRows = await db.query<{ skew: number }>(
    `select extract(epoch from (h.decided_at - (h.input->'payload'->>'dueAt')::timestamptz)) * 1000 as skew
     from workflow_history h where h.input->>'kind' = 'timer'`,
  );
  const skew = skewRows.rows.map((r) => Number(r.skew));
  return {
    rate: busyAchieved,
    lightRate: lightAchieved,
    pollingRate: pollingAchieved,
    polling,
    commitMs,
    fsyncsPerSignal,
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
    '\n| store | baseline UPDATE commits/s | one commit p50 / p99 ms | steps/s | ÷ baseline | signals/s sent | signal→proposal enqueued p50 / p99 ms | p99 ÷ commit p99 | signal→handler p50 / p99 ms | samples |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    for (const [label, rate, sk] of [
      [`light, polling only (${IDLE_MS} ms)`, r.pollingRate, r.polling],
      [`light, ${r.store === 'PostgreSQL' ? 'NOTIFY' : 'woken in-process'}`, r.lightRate, r.light],
      ['busy (with timers firing)', r.rate, r.busy],
    ] as const) {
      console.log(
        `| ${r.store}, ${label} | ${fmt(r.baseline)} | ${pq(r.commitMs)} | ${fmt(r.stepsPerSec)} | ${(r.stepsPerSec / r.baseline).toFixed(2)} | ${fmt(rate)} | ${pq(sk.commit)} | ${(percentile(sk.commit, 99) / percentile(r.commitMs, 99)).toFixed(2)} | ${pq(sk.handler)} | ${fmt(sk.commit.length)} |`,
      );
    }
    if (r.fsyncsPerSignal !== undefined)
      console.log(
        `\n${r.store}: WAL syncs per signal at the light rate (pg_stat_wal): ${r.fsyncsPerSignal.toFixed(2)}`,
      );
  }
  console.log('\n| store | timers scheduled | fired in the window | skew p50 / p99 / max ms |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const r of results) {
    console.log(
      `| ${r.store} | ${fmt(r.timers)} | ${fmt(r.fired)} | ${ms(percentile(r.skew, 50))} / ${ms(percentile(r.skew, 99))} / ${ms(Math.max(...r.skew))} |`,
    );
  }
  console.log(
    `\nWorkers: PostgreSQL ${process.env['BENCH_WORKERS'] ?? 2} in one process, PGlite 1; batch ${BATCH}; idle poll ${IDLE_MS} ms. Load: ${readFileSync('/proc/loadavg', 'utf8').trim()}. Targets: ≥ 5,000 steps/s and p99 ≤ 25 ms on PostgreSQL; timer skew p99 ≤ 1,000 ms.`,
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

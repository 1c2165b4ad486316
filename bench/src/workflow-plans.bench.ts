/**
 * @module The workflow engine's statements as PostgreSQL plans them, at small and large table
 * sizes, on PostgreSQL (when a server is named, as for every benchmark) and PGlite: every statement
 * a signal's path runs (the signal, the step batch's claim and its one write statement, the effect
 * claim and the record of its result, the step that consumes it and completes the workflow) is run
 * once under `EXPLAIN (ANALYZE)` (in a savepoint, rolled back) and then for real, for a batch of 1
 * and of 128 workflows. Exits 1 when a plan reads a `workflow_*` table with a sequential scan.
 *
 * BENCH_PLAN_SIZES (default 1000,10000,100000): the workflows, timers and finished effects loaded first.
 * BENCH_PLAN_VERBOSE=1 prints every plan, not only the write statements'.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgliteDatabase, migrate, type Database, type QueryResult, type Sql } from '@steward/store';
import { cancelTimer, complete, effect, setTimer, WorkflowEngine, type WorkflowDefinition } from '@steward/workflows';
import { freshPostgres } from './harness.js';

const SIZES = (process.env['BENCH_PLAN_SIZES'] ?? '1000,10000,100000').split(',').map(Number);
const VERBOSE = process.env['BENCH_PLAN_VERBOSE'] === '1';

/** start: a timer; signal: an effect and the timer moved; the effect's result: completed. */
const planned: WorkflowDefinition<null> = {
  type: 'plan-wf',
  version: 1,
  initialState: null,
  decide(state, input) {
    switch (input.kind) {
      case 'start':
        return { state, commands: [setTimer('reminder', { after: { days: 30 } })] };
      case 'signal':
        return {
          state,
          commands: [
            effect('plan.effect', { n: 1 }),
            cancelTimer('reminder'),
            setTimer('reminder', { after: { days: 31 } }),
          ],
        };
      case 'effect':
        return { state, commands: [complete()] };
      case 'timer':
        return { state };
    }
  },
};

interface Plan {
  readonly label: string;
  readonly lines: readonly string[];
  readonly seqScans: readonly string[];
}

function labelOf(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.startsWith('with consumed')) return 'step write (state, history, timers, outbox)';
  if (t.includes('from workflow_inbox i join workflow_instances')) return 'step claim';
  if (t.startsWith('update workflow_effects e set lease_owner')) return 'effect claim';
  if (t.startsWith('with recorded')) return 'effect result recorded + delivered';
  if (t.includes("'signal'")) return 'signal';
  if (t.includes("'start'")) return 'start';
  return t.slice(0, 60);
}

/** `db` with every statement on the workflow tables explained (analyzed, rolled back) before it runs. */
function explaining(db: Database, plans: Plan[]): Database {
  const explain = async (sql: Sql, text: string, params: readonly unknown[] | undefined, inTx: boolean) => {
    if (!/workflow_/.test(text) || /^\s*(explain|select count)/i.test(text)) return;
    const run = async (tx: Sql): Promise<QueryResult<Record<string, unknown>>> =>
      tx.query(`explain (analyze, costs off, timing off, summary off) ${text}`, params);
    let r: QueryResult<Record<string, unknown>>;
    if (inTx) {
      await sql.query('savepoint plan');
      r = await run(sql);
      await sql.query('rollback to savepoint plan');
    } else {
      const rollback = new Error('rollback');
      let got: QueryResult<Record<string, unknown>> | undefined;
      await db
        .transaction(async (tx) => {
          got = await run(tx);
          throw rollback;
        })
        .catch((e: unknown) => {
          if (e !== rollback) throw e;
        });
      r = got as QueryResult<Record<string, unknown>>;
    }
    // Long array literals (a batch's keys) shortened to their length.
    const lines = r.rows.map((row) =>
      String(Object.values(row)[0]).replace(/'\{[^}]{60,}\}'/g, (a) => `'{… ${a.split(',').length} keys}'`),
    );
    plans.push({
      label: labelOf(text),
      lines,
      seqScans: lines.filter((l) => /Seq Scan on workflow_/.test(l)).map((l) => l.trim()),
    });
  };
  const wrap = (sql: Sql, inTx: boolean): Sql => ({
    async query<R>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
      await explain(sql, text, params, inTx);
      return sql.query<R>(text, params);
    },
    exec: (text) => sql.exec(text),
  });
  const outside = wrap(db, false);
  return {
    kind: db.kind,
    query: (text, params) => outside.query(text, params),
    exec: (text) => outside.exec(text),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx, true))),
    close: () => db.close(),
  };
}

async function load(db: Database, size: number, from: number): Promise<void> {
  for (let i = from; i < size; i += 50_000) {
    const to = Math.min(size, i + 50_000) - 1;
    await db.query(
      `with w as (
         insert into workflow_instances (id, type, version, correlation_key, status, state, step, created_at, updated_at)
         select gen_random_uuid(), 'plan-wf', 1, 'loaded:' || g, 'running', 'null', 1, now(), now()
         from generate_series($1::int, $2::int) g returning id),
       t as (
         insert into workflow_inbox (workflow_id, kind, name, payload, available_at, created_at)
         select id, 'timer', 'reminder', '{}', now() + interval '30 days', now() from w returning workflow_id)
       insert into workflow_effects (key, workflow_id, kind, input, status, attempts, available_at, created_at, completed_at, result)
       select workflow_id || '/1/0', workflow_id, 'plan.effect', '{}', 'done', 1, now(), now(), now(), '{}' from t`,
      [i, to],
    );
  }
  await db.exec(
    'analyze workflow_instances; analyze workflow_inbox; analyze workflow_effects; analyze workflow_history',
  );
}

async function measure(name: string, db: Database): Promise<boolean> {
  let ok = true;
  let loaded = 0;
  let round = 0;
  for (const size of SIZES) {
    await load(db, size, loaded);
    loaded = size;
    for (const batch of [1, 128]) {
      round++;
      const plans: Plan[] = [];
      const quiet = new WorkflowEngine({
        db,
        definitions: [planned],
        effects: { 'plan.effect': () => Promise.resolve(null) },
      });
      const engine = new WorkflowEngine({
        db: explaining(db, plans),
        definitions: [planned],
        effects: { 'plan.effect': () => Promise.resolve(null) },
      });
      for (let i = 0; i < batch; i++) await quiet.start('plan-wf', `round:${round}:${i}`);
      while ((await quiet.runSteps('quiet', 128)).length > 0);
      for (let i = 0; i < batch; i++) await (i === 0 ? engine : quiet).signal(`round:${round}:${i}`, 'go');
      await engine.runSteps('plans', 128);
      await engine.runEffects('plans', 128);
      await engine.runSteps('plans', 128);
      const left = await db.query<{ n: number }>(
        `select count(*)::int8 as n from workflow_instances where correlation_key like $1 and status = 'running'`,
        [`round:${round}:%`],
      );
      if ((left.rows[0]?.n ?? -1) !== 0) throw new Error(`round ${round}: workflows left running`);
      console.log(`\n#### ${name}: ${size.toLocaleString('en-US')} workflows loaded, a batch of ${batch}\n`);
      for (const p of plans) {
        const write = /write|recorded/.test(p.label);
        console.log(`- ${p.label}: ${p.seqScans.length === 0 ? 'indexes only' : `**${p.seqScans.join('; ')}**`}`);
        if (VERBOSE || write || p.seqScans.length > 0) console.log(`\n\`\`\`\n${p.lines.join('\n')}\n\`\`\`\n`);
        if (p.seqScans.length > 0) ok = false;
      }
    }
  }
  return ok;
}

let ok = true;
const pg = process.env['BENCH_STORES'] === 'pglite' ? undefined : await freshPostgres();
if (pg !== undefined) {
  try {
    ok = (await measure('PostgreSQL', pg)) && ok;
  } finally {
    await pg.close();
  }
}
if (process.env['BENCH_STORES'] !== 'postgres') {
  const dir = mkdtempSync(join(tmpdir(), 'steward-wf-plans-'));
  const lite = await PgliteDatabase.open(join(dir, 'data'));
  try {
    await migrate(lite);
    ok = (await measure('PGlite', lite)) && ok;
  } finally {
    await lite.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(ok ? '\nNo sequential scan of a workflow table.' : '\nA plan reads a workflow table sequentially.');
if (!ok) process.exitCode = 1;

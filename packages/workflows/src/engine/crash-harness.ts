/**
 * @module Test support (not exported) for the crash and multi-process tests: runs crash-child.js,
 * seeds workflows, and checks that every step and every outside effect happened exactly once.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Database } from '@steward/store';
import { WorkflowEngine } from './workflow-engine.js';
import { OUTSIDE_TABLES, visitWorkflow, type VisitState } from './test-workflows.js';

const CHILD = fileURLToPath(new URL('./crash-child.js', import.meta.url));
/** The test runner's `--liftoff-only` (scripts/run-tests.mjs), passed on: each child starts PGlite's WebAssembly anew. */
const NODE_FLAGS = process.execArgv.filter((a) => a === '--liftoff-only');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

export function runChild(args: string[]): Promise<Exit> {
  const child = spawn(process.execPath, [...NODE_FLAGS, CHILD, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

export async function seed(db: Database, n: number, options: { go: boolean }): Promise<void> {
  await db.exec(OUTSIDE_TABLES);
  const engine = new WorkflowEngine({ db, definitions: [visitWorkflow] });
  for (let i = 0; i < n; i++) await engine.start('test-visit', `referral:${i}`, { timerMs: 30 + 25 * i });
  if (options.go) for (let i = 0; i < n; i++) await engine.signal(`referral:${i}`, 'go');
}

export const count = async (db: Database, sql: string): Promise<number> =>
  Number(Object.values((await db.query(sql)).rows[0] ?? {})[0]);

/** Each step applied once, each effect's outside write once, and every history replays equal. */
export async function checkExactlyOnce(db: Database, n: number): Promise<{ invocations: number }> {
  const rows = (
    await db.query<{ id: string; status: string; state: VisitState; step: number }>(
      'select id, status, state, step from workflow_instances',
    )
  ).rows;
  assert.equal(rows.length, n);
  for (const r of rows) {
    assert.equal(r.status, 'completed');
    assert.deepEqual(r.state.seen, { start: 1, a: 1, b: 1, timer: 1, go: 1 }, 'every input applied exactly once');
    assert.equal(r.step, 5);
  }
  assert.equal(await count(db, 'select count(*) from workflow_history'), 5 * n);
  assert.equal(await count(db, 'select count(*) from test_outside'), 2 * n, 'one outside write per effect');
  assert.equal(await count(db, `select count(*) from workflow_effects where status = 'done'`), 2 * n);
  assert.equal(
    await count(
      db,
      'select count(*) from test_outside o left join workflow_effects e on e.key = o.key where e.key is null',
    ),
    0,
  );
  const engine = new WorkflowEngine({ db, definitions: [visitWorkflow] });
  for (const r of rows) assert.deepEqual(await engine.replay(r.id), { ok: true, steps: 5 });
  return { invocations: await count(db, 'select count(*) from test_invocations') };
}

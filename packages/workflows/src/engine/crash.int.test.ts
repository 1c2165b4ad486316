import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgliteDatabase } from '@steward/store';
import { pgliteDataDir, storeTargets } from '@steward/store/testing';
import { checkExactlyOnce, runChild, seed } from './crash-harness.js';

/** Every kind of step (start, signal, timer, effect result) killed before and after commit, and effects killed mid-way. */
const CRASH_POINTS = [
  'step-before-commit:start',
  'step-after-commit:start', // effects committed to the outbox, not yet run
  'effect-before-write',
  'effect-after-write', // outside write done, result not recorded
  'step-before-commit:timer',
  'step-after-commit:timer',
  'step-before-commit:effect',
  'step-after-commit:effect',
  'step-before-commit:signal',
  'step-after-commit:signal',
];

/**
 * PGlite's children are slower (each opens the store and replays its WAL): by default it runs one
 * crash of each sort, over several kinds of step; STEWARD_FULL_CRASH_TESTS=1 runs every point.
 */
const PGLITE_CRASH_POINTS =
  process.env['STEWARD_FULL_CRASH_TESTS'] === '1'
    ? CRASH_POINTS
    : [
        'step-after-commit:start',
        'effect-before-write',
        'effect-after-write',
        'step-before-commit:timer',
        'step-after-commit:signal',
      ];

async function crashSequence(
  t: TestContext,
  kind: 'pglite' | 'postgres',
  location: string,
  points: readonly string[],
): Promise<void> {
  for (const point of points) {
    const exit = await runChild([kind, location, point, '300', 'send-go']);
    assert.equal(exit.signal, 'SIGKILL', `${point}: the crash point was reached (exit ${exit.code}) ${exit.stderr}`);
  }
  const last = await runChild([kind, location, 'none', '300', 'send-go']);
  assert.equal(last.code, 0, last.stderr);
  t.diagnostic(`${points.length} crashes, then a clean run`);
}

const N = 12;
const postgres = storeTargets().find((t) => t.name === 'postgres');

// The two stores' runs share nothing (their own store, their own children) and spend most of their
// time on children starting, running and being killed: they run side by side, not one after the other.
describe('workflows survive SIGKILL at every kind of step', { concurrency: true }, () => {
  it('on PostgreSQL', { skip: postgres?.skip, timeout: 120_000 }, async (t) => {
    if (postgres === undefined) return;
    const db = await postgres.open();
    try {
      await seed(db, N, { go: false });
      await crashSequence(t, 'postgres', db.url ?? '', CRASH_POINTS);
      const { invocations } = await checkExactlyOnce(db, N);
      assert.ok(invocations > 2 * N, 'killed handlers ran again with the same key');
      t.diagnostic(`${invocations} handler invocations for ${2 * N} effects, each written once`);
    } finally {
      await db.close();
    }
  });

  it('on PGlite with a data directory', { timeout: 120_000 }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-wf-crash-'));
    try {
      const setup = await pgliteDataDir(dir);
      await seed(setup, N, { go: false });
      await setup.close();
      await crashSequence(t, 'pglite', dir, PGLITE_CRASH_POINTS);
      const db = await PgliteDatabase.open(dir);
      try {
        const { invocations } = await checkExactlyOnce(db, N);
        assert.ok(invocations > 2 * N, 'killed handlers ran again with the same key');
        t.diagnostic(`${invocations} handler invocations for ${2 * N} effects, each written once`);
      } finally {
        await db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

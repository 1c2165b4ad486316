import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storeTargets } from '@steward/store/testing';
import { checkExactlyOnce, runChild, seed } from './crash-harness.js';

const postgres = storeTargets().find((t) => t.name === 'postgres');

describe('several worker processes share one PostgreSQL', () => {
  it(
    'three processes at once: every step once, every effect once, work spread',
    { skip: postgres?.skip, timeout: 120_000 },
    async (t) => {
      if (postgres === undefined) return;
      const db = await postgres.open();
      try {
        const n = 60;
        await seed(db, n, { go: true });
        const exits = await Promise.all([1, 2, 3].map(() => runChild(['postgres', db.url ?? '', 'none', '30000'])));
        for (const e of exits) assert.equal(e.code, 0, e.stderr);
        const { invocations } = await checkExactlyOnce(db, n);
        assert.equal(invocations, 2 * n, 'no effect ran twice without a crash');
        const workers = await db.query<{ w: string; steps: number }>(
          `select split_part(worker_id, ':', 2) as w, count(*)::int8 as steps from workflow_history group by 1`,
        );
        assert.ok(workers.rows.length >= 2, 'more than one process took steps');
        t.diagnostic(`steps per process: ${workers.rows.map((r) => r.steps).join(', ')}`);
      } finally {
        await db.close();
      }
    },
  );
});

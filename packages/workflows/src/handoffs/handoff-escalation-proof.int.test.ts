/**
 * The escalation proof (issue 19), on PostgreSQL (several worker processes share it): handoffs
 * raised on a simulated clock across New York's fall-back weekend, some accepted, some finished,
 * while three worker processes run their escalations and are killed at random (by themselves mid-
 * step and mid-effect, and by the test). Every escalation the policy calls for fires within one
 * minute of its policy time (an oracle computes that time independently), none fires that should
 * not (acceptance and done stop them), none fires twice, each is audited once; every deadline
 * passed expires its handoff on time.
 *
 * The suite runs 40 handoffs; `STEWARD_HANDOFF_PROOF_COUNT=1000` runs the full proof
 * (docs/benchmarks.md records its figures).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storeTargets } from '@steward/store/testing';
import { runSimulation } from './handoff-test-sim.js';

const postgres = storeTargets().find((t) => t.name === 'postgres');
const count = Number(process.env['STEWARD_HANDOFF_PROOF_COUNT'] ?? 40);

describe('handoff escalations on a simulated clock with workers killed', () => {
  it(
    `${count} handoffs across the DST change: each escalation once, within a minute of its policy`,
    { skip: postgres?.skip, timeout: 900_000 },
    async (t) => {
      if (postgres === undefined) return;
      const db = await postgres.open();
      try {
        const r = await runSimulation(db, {
          count,
          url: db.url ?? '',
          workers: 3,
          selfKill: count >= 500 ? 0.002 : 0.01,
          killEvery: count >= 500 ? 400 : 40,
        });
        t.diagnostic(JSON.stringify({ ...r, missing: r.missing.length, unexpected: r.unexpected.length }));
        assert.deepEqual(r.missing, [], 'every escalation the policy calls for fired');
        assert.deepEqual(r.unexpected, [], 'none fired after acceptance or done stopped it');
        assert.equal(r.fired, r.expected);
        assert.equal(r.wrongPolicyTime, 0, 'each planned at the oracle’s time');
        assert.equal(r.lateness.late, 0, `each fired within a minute (max ${r.lateness.max} ms)`);
        assert.equal(r.firedTwice, 0);
        assert.equal(r.auditEntries, r.fired, 'each escalation audited once');
        assert.equal(r.expired.recorded, r.expired.expected);
        assert.equal(r.expired.late, 0);
        assert.ok(r.kills.self + r.kills.parent > 0, 'workers were killed during the run');
      } finally {
        await db.close();
      }
    },
  );
});

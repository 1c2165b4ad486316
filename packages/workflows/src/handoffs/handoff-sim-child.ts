/**
 * @module Test-only child process for the escalation proof (handoff-escalation-proof.int.test.ts):
 * a workflow worker on the store named by argv, running the handoffs' escalation workflow on the
 * simulated clock the parent writes to `handoff_sim_clock`. It kills itself (SIGKILL) at random
 * with probability `p` at each of: inside a step batch before commit, before an escalation's write,
 * after it (before the engine records the result). Exits 0 when the parent sets `stop`.
 *
 * argv: <postgres url> <p> <lease ms>
 */
import { PostgresDatabase } from '@steward/store';
import { WorkflowWorker } from '../engine/index.js';
import { handoffKit } from './handoff-test-kit.js';

const [url, p = '0', leaseMs = '20000'] = process.argv.slice(2);
if (url === undefined) throw new Error('usage: handoff-sim-child <postgres url> <p> <lease ms>');
const chance = Number(p);
const db = await PostgresDatabase.open({ url, maxConnections: 4 });
let now = 0;
const clock = { now: (): Date => new Date(now) };
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};
const maybeDie = (): void => {
  if (Math.random() < chance) die();
};

const kit = await handoffKit(db, {
  clock,
  seed: false,
  effectPolicy: { leaseMs: Number(leaseMs), backoffMs: () => Number(leaseMs) },
  observer: { stepsWritten: () => maybeDie() },
  aroundEscalate: async (run) => {
    maybeDie();
    const r = await run();
    maybeDie();
    return r;
  },
});
const worker = new WorkflowWorker(kit.engine, { batchSize: 16, effectBatchSize: 8 });

for (;;) {
  const { rows } = await db.query<{ t: Date; stop: boolean }>('select t, stop from handoff_sim_clock where id = 1');
  const row = rows[0];
  if (row === undefined || row.stop) break;
  now = row.t.getTime();
  const done = await worker.runOnce();
  if (done === 0) await new Promise((r) => setTimeout(r, 5));
}
await kit.close();
await db.close();
process.exit(0);

/**
 * @module Test-only child process for crash.int.test.ts: runs a worker on the store named by argv
 * until every workflow finished, or SIGKILLs itself at the crash point named by argv:
 *
 * - `step-before-commit:<input kind>`: inside the first step batch with a step of that kind, after
 *   its writes, before commit;
 * - `step-after-commit:<input kind>`: just after that batch committed (its effects not yet run);
 * - `effect-before-write`: inside an effect handler, before its outside write;
 * - `effect-after-write`: after the outside write, before the engine records the result;
 * - `none`: no crash.
 *
 * With `send-go`, it also signals `go` to every workflow that has finished its effect b and has
 * had no `go` yet (so signals keep arriving through the crash sequence). Exits 0 when all
 * workflows finished, 3 when a crash point was never reached.
 */
import { PgliteDatabase, PostgresDatabase, type Database } from '@steward/store';
import { WorkflowEngine } from './workflow-engine.js';
import { WorkflowWorker } from './workflow-worker.js';
import { outsideWriter, visitWorkflow } from './test-workflows.js';
import type { StepRecord } from './step-runner.js';

const [kind, location, spec = 'none', leaseMs = '300', goMode = ''] = process.argv.slice(2);
if (kind === undefined || location === undefined) {
  throw new Error('usage: crash-child <pglite|postgres> <dir|url> <crash point> <lease ms> [send-go]');
}
const db: Database =
  kind === 'pglite'
    ? await PgliteDatabase.open(location)
    : await PostgresDatabase.open({ url: location, maxConnections: 4 });

const [point, inputKind] = spec.split(':');
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};
const hit = (steps: readonly StepRecord[]): boolean => steps.some((s) => s.input.kind === inputKind);

const engine = new WorkflowEngine({
  db,
  definitions: [visitWorkflow],
  effects: {
    'outside.write': outsideWriter(db, {
      between: () => (point === 'effect-before-write' ? die() : undefined),
      after: () => (point === 'effect-after-write' ? die() : undefined),
    }),
  },
  effectPolicy: { leaseMs: Number(leaseMs), backoffMs: () => 20 },
  observer: {
    stepsWritten: (steps) => (point === 'step-before-commit' && hit(steps) ? die() : undefined),
    stepsCommitted: (steps) => (point === 'step-after-commit' && hit(steps) ? die() : undefined),
  },
});
const worker = new WorkflowWorker(engine, { batchSize: 4, effectBatchSize: 4, idleMs: 10 });

async function sendGo(): Promise<void> {
  const eligible = await db.query<{ correlation_key: string }>(
    `select correlation_key from workflow_instances w
     where status = 'running' and (state->'seen'->>'b')::int > 0 and (state->'seen'->>'go')::int = 0
       and not exists (select 1 from workflow_inbox i where i.workflow_id = w.id and i.kind = 'signal' and i.name = 'go')`,
  );
  for (const r of eligible.rows) await engine.signal(r.correlation_key, 'go');
}

if (goMode === 'send-go') await sendGo();
worker.start();
for (;;) {
  await new Promise((r) => setTimeout(r, 25));
  if (goMode === 'send-go') await sendGo();
  const left = await db.query<{ n: number }>(
    `select ((select count(*) from workflow_instances where status = 'running')
           + (select count(*) from workflow_effects where status = 'pending'))::int8 as n`,
  );
  if ((left.rows[0]?.n ?? 1) === 0) break;
}
await worker.stop();
await db.close();
process.exit(point === 'none' ? 0 : 3);

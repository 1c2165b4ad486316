import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { notify, PostgresDatabase, type ListenerState } from '@steward/store';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import { WorkflowEngine, WORKFLOW_CHANNEL } from './workflow-engine.js';
import { WorkflowWorker } from './workflow-worker.js';
import { complete, type WorkflowDefinition } from './types.js';

const postgres = storeTargets().find((t) => t.name === 'postgres');

/** Completes on its first signal: a step taken is the workflow completed. */
const waiter: WorkflowDefinition<null> = {
  type: 'test-waiter',
  version: 1,
  initialState: null,
  decide: (state, input) => ({ state, commands: input.kind === 'signal' ? [complete()] : [] }),
};

const until = async (what: string, check: () => Promise<boolean>, withinMs: number): Promise<number> => {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > withinMs) throw new Error(`${what}: not within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - t0;
};

/** Resolves once `db`'s listening connection LISTENs (on a probe channel, after the others). */
async function listening(db: PostgresDatabase, sender: TestDatabase): Promise<void> {
  let heard = false;
  const stop = db.listen('steward_test_probe', () => (heard = true));
  try {
    await until(
      'listening connection up',
      async () => {
        await notify(sender, sender, 'steward_test_probe');
        await new Promise((r) => setTimeout(r, 20));
        return heard;
      },
      10_000,
    );
  } finally {
    stop();
  }
}

// Two runtimes over one PostgreSQL: `sender` (the test database's own pool: an ingest process) and
// `other` (its own pool and listening connection: a server process with a worker that would poll
// only once a minute). A signal the sender commits wakes the other's worker at once.
describe('workflow wake-ups across processes (PostgreSQL LISTEN/NOTIFY)', { skip: postgres?.skip }, () => {
  let sender: TestDatabase;
  let other: PostgresDatabase;
  let worker: WorkflowWorker;
  const states: ListenerState[] = [];
  /** Steps the workflow of `key` has taken (1: started; 2: signalled and completed). */
  const steps = async (key: string): Promise<number> =>
    (await sender.query<{ step: number }>('select step from workflow_instances where correlation_key = $1', [key]))
      .rows[0]?.step ?? -1;

  before(async () => {
    if (postgres === undefined) return;
    sender = await postgres.open();
    other = await PostgresDatabase.open({ url: sender.url ?? '', maxConnections: 2 });
    other.onListenerState((s) => states.push(s));
    const engine = new WorkflowEngine({ db: other, definitions: [waiter] });
    worker = new WorkflowWorker(engine, { id: 'other', idleMs: 60_000 });
    worker.start();
    await listening(other, sender);
  });
  after(async () => {
    await worker?.stop();
    await other?.close();
    await sender?.close();
  });

  it("a start and a signal committed by one runtime wake the other's idle worker at once", async () => {
    const engine = new WorkflowEngine({ db: sender, definitions: [waiter] });
    await engine.start('test-waiter', 'waiter:1');
    await until('start step taken by the other runtime', async () => (await steps('waiter:1')) === 1, 5_000);
    // Inside the caller's transaction: the NOTIFY is delivered when it commits.
    await sender.transaction(async (tx) => {
      assert.equal(await engine.signal('waiter:1', 'go', null, { tx }), 1);
    });
    await until('signal step taken by the other runtime', async () => (await steps('waiter:1')) === 2, 5_000);
  });

  it('a lost listening connection is reported by code, re-established, and wakes again', async () => {
    const before = states.length;
    const killed = await sender.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
       where datname = current_database() and application_name = 'steward:listen'`,
    );
    assert.equal(killed.rowCount, 1, 'one listening connection for this database');
    await until('restored', () => Promise.resolve(states.slice(before).some((s) => s.state === 'restored')), 10_000);
    const seen = states.slice(before);
    assert.deepEqual(
      seen.map((s) => s.state),
      ['lost', 'restored'],
    );
    const lost = seen[0];
    assert.ok(
      lost?.state === 'lost' && /^[0-9A-Z]{5}$|^E[A-Z]+$/.test(lost.code),
      `a code only: ${JSON.stringify(lost)}`,
    );
    assert.deepEqual(Object.keys(lost).sort(), ['code', 'retryInMs', 'state']);
    const engine = new WorkflowEngine({ db: sender, definitions: [waiter] });
    await engine.start('test-waiter', 'waiter:2');
    await until('woken after the reconnection', async () => (await steps('waiter:2')) === 1, 5_000);
    await engine.signal('waiter:2', 'go');
    await until('signal after the reconnection', async () => (await steps('waiter:2')) === 2, 5_000);
  });

  it('channel names are checked', () => {
    assert.throws(() => other.listen('Bad-Name; drop table x', () => undefined), /channel name must match/);
    assert.equal(WORKFLOW_CHANNEL, 'steward_workflows');
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, OperationalError, UserError } from '@steward/core';
import { storeTargets, type StoreTarget, type TestDatabase } from '@steward/store/testing';
import { WorkflowEngine, type WorkflowEngineOptions } from './workflow-engine.js';
import { WorkflowWorker } from './workflow-worker.js';
import { OUTSIDE_TABLES, outsideWriter, visitWorkflow, type VisitState } from './test-workflows.js';
import {
  cancelTimer,
  complete,
  effect,
  setTimer,
  type EffectHandler,
  type Json,
  type WorkflowDefinition,
} from './types.js';

async function setup(db: TestDatabase, options: Partial<WorkflowEngineOptions> = {}) {
  await db.exec(`${OUTSIDE_TABLES}
    truncate workflow_history, workflow_inbox, workflow_effects, workflow_instances, test_outside, test_invocations;`);
  const clock = new ManualClock('2026-03-01T12:00:00Z');
  const engine = new WorkflowEngine({
    db,
    clock,
    definitions: [visitWorkflow],
    effects: { 'outside.write': outsideWriter(db) },
    ...options,
  });
  return { clock, engine, worker: new WorkflowWorker(engine, { id: 'w1', batchSize: 8 }) };
}

const count = async (db: TestDatabase, sql: string, params: unknown[] = []): Promise<number> =>
  Number(Object.values((await db.query(sql, params)).rows[0] ?? {})[0]);

/**
 * One store per target for the whole file (opening and migrating PGlite takes seconds); each test
 * starts from empty workflow tables.
 */
function sharedStore(target: StoreTarget): (fn: (db: TestDatabase) => Promise<void>) => Promise<void> {
  let db: TestDatabase | undefined;
  before(async () => {
    if (target.skip === undefined) db = await target.open();
  });
  after(async () => {
    await db?.close();
  });
  return (fn) => (db === undefined ? Promise.reject(new Error('store not open')) : fn(db));
}

for (const target of storeTargets()) {
  describe(`workflow engine on ${target.name}`, { skip: target.skip }, () => {
    const store = sharedStore(target);
    it('runs a workflow through effects, a timer and a signal, each input once, to completion', async () => {
      await store(async (db) => {
        const { clock, engine, worker } = await setup(db);
        const { workflowId, created } = await engine.start('test-visit', 'referral:r1', { timerMs: 60_000 });
        assert.equal(created, true);
        assert.equal(await engine.signal('referral:r1', 'go'), 1);
        await worker.drain();
        let snap = await engine.get(workflowId);
        const state = snap.state as VisitState;
        assert.equal(snap.status, 'running');
        assert.deepEqual(state.seen, { start: 1, a: 1, b: 0, timer: 0, go: 1 });
        assert.equal(state.startedAt, '2026-03-01T12:00:00.000Z', 'the step time is the engine clock');
        assert.deepEqual(await engine.queueDepth(), { inputsDue: 0, timersScheduled: 1, effectsPending: 0 });

        clock.advance(59_999);
        assert.equal(await worker.drain(), 0, 'the timer is not due yet');
        clock.advance(1);
        await worker.drain();
        snap = await engine.get(workflowId);
        assert.equal(snap.status, 'completed');
        assert.deepEqual((snap.state as VisitState).seen, { start: 1, a: 1, b: 1, timer: 1, go: 1 });
        assert.deepEqual(snap.outcome, { step: 5 });
        const history = await db.query<{ step: number; input: { kind: string } }>(
          'select step, input from workflow_history where workflow_id = $1 order by step',
          [workflowId],
        );
        assert.deepEqual(
          history.rows.map((h) => [h.step, h.input.kind]),
          [
            [1, 'start'],
            [2, 'signal'],
            [3, 'effect'],
            [4, 'timer'],
            [5, 'effect'],
          ],
        );
        assert.deepEqual(
          (await db.query<{ key: string }>('select key from test_outside order by label')).rows.map((r) => r.key),
          [`${workflowId}/1/0`, `${workflowId}/4/0`],
        );
        assert.equal(await count(db, 'select count(*) from test_invocations'), 2);
        assert.deepEqual(await engine.replay(workflowId), { ok: true, steps: 5 });
        assert.equal(await engine.signal('referral:r1', 'go'), 0, 'a finished workflow takes no signals');
      });
    });

    it("leases a step's effects to its worker as it commits, and records their results with the next step", async () => {
      await store(async (db) => {
        const { engine, worker } = await setup(db);
        const { workflowId } = await engine.start('test-visit', 'referral:lease', { timerMs: 60_000 });
        // The worker's step batch: effect a written leased to w1 (attempt 1), no claim of its own.
        assert.equal((await engine.runSteps('w1', 8, { leaseEffects: true })).length, 1);
        const row = async () =>
          (
            await db.query<{ lease_owner: string | null; attempts: number; status: string }>(
              'select lease_owner, attempts, status from workflow_effects where workflow_id = $1',
              [workflowId],
            )
          ).rows[0];
        assert.deepEqual(await row(), { lease_owner: 'w1', attempts: 1, status: 'pending' });
        assert.equal((await engine.runEffects('w2')).claimed, 0, 'not for another worker while leased');
        // A stopping worker gives it back: another claims it at once (its attempt not counted twice).
        await engine.releaseEffects('w1');
        assert.deepEqual(await row(), { lease_owner: null, attempts: 0, status: 'pending' });
        assert.equal((await engine.runEffects('w2')).claimed, 1);
        assert.deepEqual(await row(), { lease_owner: null, attempts: 1, status: 'done' });

        // One round of the worker: the signal's step, then (effect results recorded) the step that
        // consumes a result, in the transaction that recorded it: nothing left in the inbox.
        const second = await engine.start('test-visit', 'referral:lease-2', { timerMs: 60_000 });
        await engine.signal('referral:lease-2', 'go');
        assert.ok((await worker.runOnce()) > 0);
        const history = await db.query<{ step: number; kind: string }>(
          `select step, input->>'kind' as kind from workflow_history where workflow_id = $1 order by step`,
          [second.workflowId],
        );
        assert.deepEqual(
          history.rows.map((h) => [h.step, h.kind]),
          [
            [1, 'start'],
            [2, 'signal'],
            [3, 'effect'],
          ],
        );
        assert.equal(await count(db, "select count(*) from workflow_inbox where kind <> 'timer'"), 0);
        assert.deepEqual(await engine.queueDepth(), { inputsDue: 0, timersScheduled: 2, effectsPending: 0 });
        assert.equal(await count(db, 'select count(*) from test_invocations'), 2, 'each effect ran once');
      });
    });

    it('a worker with work lets the event loop turn between batches (timers and sockets are not held up)', async () => {
      await store(async (db) => {
        const { engine } = await setup(db);
        const n = 60;
        await db.transaction(async (tx) => {
          for (let i = 0; i < n; i++)
            await engine.start('test-visit', `referral:busy-${i}`, { timerMs: 60_000 }, { tx });
        });
        const worker = new WorkflowWorker(engine, { id: 'busy', batchSize: 2, effectBatchSize: 2, idleMs: 5 });
        let stepsWhenFired: number | undefined;
        setTimeout(() => (stepsWhenFired = engine.counters().steps), 1);
        worker.start();
        try {
          while ((await engine.queueDepth()).inputsDue + (await engine.queueDepth()).effectsPending > 0) {
            await new Promise((r) => setTimeout(r, 5));
          }
        } finally {
          await worker.stop();
        }
        assert.ok(stepsWhenFired !== undefined, 'the timer fired');
        assert.ok(
          stepsWhenFired < 2 * n,
          `a 1 ms timer fired while work remained (after ${stepsWhenFired} of ${2 * n} steps)`,
        );
      });
    });

    it('starts once per (type, correlation key), and signals commit or roll back with the caller', async () => {
      await store(async (db) => {
        const { engine, worker } = await setup(db);
        const first = await engine.start('test-visit', 'referral:r2');
        const again = await engine.start('test-visit', 'referral:r2');
        assert.deepEqual(again, { workflowId: first.workflowId, created: false });
        await assert.rejects(
          db.transaction(async (tx) => {
            assert.equal(await engine.signal('referral:r2', 'rolled-back', null, { tx }), 1);
            throw new Error('the caller fails');
          }),
        );
        await db.transaction(async (tx) => {
          await engine.signal('referral:r2', 'ehr-event', null, { tx, dedupKey: 'event-1' });
        });
        assert.equal(await engine.signal('referral:r2', 'ehr-event', null, { dedupKey: 'event-1' }), 0);
        await engine.signal('referral:r2', 'second');
        await worker.drain();
        const s = (await engine.get(first.workflowId)).state as VisitState;
        assert.deepEqual(s.order, ['ehr-event', 'second'], 'in order, once, and not the rolled-back one');
        assert.equal(await engine.signal('referral:none', 'x'), 0);
        await assert.rejects(engine.start('no-such-type', 'k'), { code: 'VALIDATION_FAILED' });
      });
    });

    it('cancels and replaces timers, and drops a timer cancelled in the same batch', async () => {
      type S = { fired: string[] };
      const timers: WorkflowDefinition<S> = {
        type: 'test-timers',
        version: 1,
        initialState: { fired: [] },
        decide(state, input) {
          if (input.kind === 'start') {
            return {
              state,
              commands: [
                setTimer('x', { after: { minutes: 1 } }),
                setTimer('y', { after: { minutes: 1 } }),
                setTimer('z', { after: { minutes: 5 } }),
                setTimer('z', { after: { minutes: 2 } }), // replaces the first z
              ],
            };
          }
          if (input.kind === 'timer') {
            const fired = [...state.fired, input.name];
            // x and y fall due together; x cancels y, so y never fires.
            return {
              state: { fired },
              commands: input.name === 'x' ? [cancelTimer('y')] : fired.length === 2 ? [complete()] : [],
            };
          }
          return { state };
        },
      };
      await store(async (db) => {
        const { clock, engine } = await setup(db, { definitions: [timers] });
        const worker = new WorkflowWorker(engine, { batchSize: 10 });
        const { workflowId } = await engine.start('test-timers', 'k');
        await worker.drain();
        clock.advance(60_000);
        await worker.drain();
        assert.deepEqual((await engine.get(workflowId)).state, { fired: ['x'] });
        clock.advance(10 * 60_000);
        await worker.drain();
        const snap = await engine.get(workflowId);
        assert.deepEqual(snap.state, { fired: ['x', 'z'] });
        assert.equal(snap.status, 'completed');
        assert.equal(await count(db, 'select count(*) from workflow_inbox'), 0);
      });
    });

    it('keeps a null state as JSON null (a workflow whose state is null runs like any other)', async () => {
      // jsonb_to_recordset reads a JSON null as SQL NULL; the state column must get JSON null back.
      const nullState: WorkflowDefinition<null> = {
        type: 'test-null-state',
        version: 1,
        initialState: null,
        decide: (state, input) =>
          input.kind === 'start'
            ? { state, commands: [setTimer('t', { after: { minutes: 1 } })] }
            : { state, commands: [complete()] },
      };
      await store(async (db) => {
        const { clock, engine } = await setup(db, { definitions: [nullState] });
        const worker = new WorkflowWorker(engine, { batchSize: 10 });
        const { workflowId } = await engine.start('test-null-state', 'k');
        await worker.drain();
        clock.advance(60_000);
        await worker.drain();
        const snap = await engine.get(workflowId);
        assert.equal(snap.status, 'completed');
        assert.equal(snap.state, null);
        assert.equal((await engine.replay(workflowId)).ok, true);
      });
    });

    it('fires a wall-clock timer in a named zone at the DST-correct instant', async () => {
      type S = { fired: string[] };
      const def: WorkflowDefinition<S> = {
        type: 'test-dst',
        version: 1,
        initialState: { fired: [] },
        decide(state, input, ctx) {
          if (input.kind === 'start') {
            // 02:30 on 2026-03-08 does not exist in New York: it fires at 03:30 EDT (07:30Z).
            return {
              state,
              commands: [setTimer('gap', { local: { date: '2026-03-08', time: '02:30', zone: 'America/New_York' } })],
            };
          }
          if (input.kind === 'timer') return { state: { fired: [...state.fired, ctx.now.toISOString()] } };
          return { state };
        },
      };
      await store(async (db) => {
        const { clock, engine } = await setup(db, { definitions: [def] });
        const worker = new WorkflowWorker(engine);
        const { workflowId } = await engine.start('test-dst', 'k');
        await worker.drain();
        clock.advance(Date.parse('2026-03-08T07:29:59Z') - clock.now().getTime());
        await worker.drain();
        assert.deepEqual((await engine.get(workflowId)).state, { fired: [] });
        clock.advance(1000);
        await worker.drain();
        assert.deepEqual((await engine.get(workflowId)).state, { fired: ['2026-03-08T07:30:00.000Z'] });
      });
    });

    it('retries operational effect errors with backoff, delivers other errors as results', async () => {
      type S = { results: Json[] };
      const def: WorkflowDefinition<S> = {
        type: 'test-effects',
        version: 1,
        initialState: { results: [] },
        decide(state, input) {
          if (input.kind === 'start')
            return { state, commands: [effect('flaky', 1, 'flaky'), effect('refused', 2, 'refused')] };
          if (input.kind === 'effect')
            return { state: { results: [...state.results, [input.payload.tag, input.payload.result]] } };
          return { state };
        },
      };
      let flakyCalls = 0;
      const keys = new Set<string>();
      const flaky: EffectHandler = (req) => {
        keys.add(req.key);
        flakyCalls++;
        if (req.attempt < 3) return Promise.reject(new OperationalError('EHR_UNAVAILABLE', 'down'));
        return Promise.resolve({ attempt: req.attempt });
      };
      const refused: EffectHandler = () => Promise.reject(new UserError('EHR_REJECTED', 'refused'));
      await store(async (db) => {
        const { clock, engine } = await setup(db, {
          definitions: [def],
          effects: { flaky, refused },
          effectPolicy: { backoffMs: () => 1000 },
        });
        const worker = new WorkflowWorker(engine);
        const { workflowId } = await engine.start('test-effects', 'k');
        await worker.drain();
        assert.equal(flakyCalls, 1);
        clock.advance(1000);
        await worker.drain();
        clock.advance(1000);
        await worker.drain();
        assert.equal(flakyCalls, 3);
        assert.equal(keys.size, 1, 'every retry carries the same idempotency key');
        assert.deepEqual((await engine.get(workflowId)).state, {
          results: [
            ['refused', { ok: false, code: 'EHR_REJECTED', message: 'refused' }],
            ['flaky', { ok: true, value: { attempt: 3 } }],
          ],
        });
        assert.equal(engine.counters().effectsRetried, 2);
      });
    });

    it('re-runs an effect whose lease expired (its worker died), with the same key', async () => {
      await store(async (db) => {
        const { clock, engine, worker } = await setup(db, { effectPolicy: { leaseMs: 30_000 } });
        const { workflowId } = await engine.start('test-visit', 'k', { timerMs: 3_600_000 });
        await engine.runSteps('w1');
        // A worker that claimed the effect and died: its lease holds the effect until it expires.
        await db.query(`update workflow_effects set lease_owner = 'dead', lease_until = $1, attempts = 1`, [
          new Date(clock.now().getTime() + 30_000),
        ]);
        await worker.drain();
        assert.equal(await count(db, 'select count(*) from test_invocations'), 0);
        clock.advance(30_000);
        await worker.drain();
        assert.equal(await count(db, 'select count(*) from test_outside where key = $1', [`${workflowId}/1/0`]), 1);
        const e = await db.query<{ attempts: number; status: string }>('select attempts, status from workflow_effects');
        assert.deepEqual(e.rows, [{ attempts: 2, status: 'done' }]);
      });
    });

    it('fails a workflow whose decide throws, and replay reproduces it; replay finds divergent code', async () => {
      type S = { n: number };
      const def: WorkflowDefinition<S> = {
        type: 'test-throws',
        version: 1,
        initialState: { n: 0 },
        decide(state, input) {
          if (input.kind === 'signal' && input.name === 'boom') throw new TypeError('bad input');
          return { state: { n: state.n + 1 }, commands: [setTimer('t', { after: { minutes: state.n + 1 } })] };
        },
      };
      await store(async (db) => {
        const { engine, worker } = await setup(db, { definitions: [def, visitWorkflow] });
        const a = await engine.start('test-throws', 'a');
        const b = await engine.start('test-throws', 'b');
        await engine.signal('a', 'x');
        await engine.signal('a', 'boom');
        await engine.signal('b', 'x');
        await worker.drain();
        const snap = await engine.get(a.workflowId);
        assert.equal(snap.status, 'failed');
        assert.deepEqual(snap.outcome, { reason: 'decide threw TypeError' });
        assert.deepEqual(await engine.replay(a.workflowId), { ok: true, steps: 3 });
        const changed: WorkflowDefinition<S> = {
          ...def,
          decide: (state) => ({ state: { n: state.n + 1 }, commands: [setTimer('t', { after: { minutes: 2 } })] }),
        };
        const report = await engine.replay(b.workflowId, changed);
        assert.equal(report.ok, false);
        assert.equal(!report.ok && report.step, 1);
        assert.equal(!report.ok && report.reason, 'commands differ');
        // The same history under an unchanged copy of the code replays equal.
        assert.deepEqual(await engine.replay(b.workflowId, { ...def }), { ok: true, steps: 2 });
      });
    });

    it("drain waits for the started loop's batch in progress: its claimed effect lands before drain returns", async () => {
      await store(async (db) => {
        let entered!: () => void;
        const inEffect = new Promise<void>((resolve) => (entered = resolve));
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const writer = outsideWriter(db);
        const { engine } = await setup(db, {
          effects: {
            'outside.write': async (req) => {
              entered();
              await gate;
              return writer(req);
            },
          },
        });
        const worker = new WorkflowWorker(engine, { id: 'loop', idleMs: 5 });
        worker.start();
        try {
          await engine.start('test-visit', 'referral:held', { timerMs: 60_000 });
          await inEffect; // the loop has claimed the effect and is inside it
          let drained = false;
          const draining = worker.drain().then(() => (drained = true));
          await new Promise((r) => setTimeout(r, 50));
          assert.equal(drained, false, 'the claimed effect is still running: drain must not say "nothing due"');
          release();
          await draining;
          assert.equal(
            await count(db, 'select count(*) from test_outside'),
            1,
            'the effect landed before drain returned',
          );
          assert.equal((await engine.queueDepth()).effectsPending, 0);
        } finally {
          release();
          await worker.stop();
        }
      });
    });

    it('workers started and stopped gracefully finish every workflow exactly once', async () => {
      await store(async (db) => {
        await setup(db);
        const engine = new WorkflowEngine({
          db,
          definitions: [visitWorkflow],
          effects: { 'outside.write': outsideWriter(db) },
        });
        const n = 30;
        for (let i = 0; i < n; i++) {
          await engine.start('test-visit', `referral:${i}`, { timerMs: 5 });
          await engine.signal(`referral:${i}`, 'go');
        }
        const workers = [1, 2, 3].map((i) => new WorkflowWorker(engine, { id: `w${i}`, batchSize: 4, idleMs: 5 }));
        for (const w of workers) w.start();
        while ((await count(db, `select count(*) from workflow_instances where status = 'running'`)) > 0) {
          await new Promise((r) => setTimeout(r, 20));
        }
        await Promise.all(workers.map((w) => w.stop()));
        assert.equal(await count(db, 'select count(*) from workflow_history'), 5 * n);
        assert.equal(await count(db, 'select count(*) from test_outside'), 2 * n);
        assert.equal(await count(db, 'select count(*) from test_invocations'), 2 * n, 'no effect ran twice');
        const ids = (await db.query<{ id: string }>('select id from workflow_instances')).rows;
        for (const { id } of ids) assert.deepEqual(await engine.replay(id), { ok: true, steps: 5 });
      });
    });
  });
}

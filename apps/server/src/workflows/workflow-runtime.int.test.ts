// The workflow runtime's loops log their failures with the cause, never in silence and never with
// a foreign message (which can quote data).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as wait } from 'node:timers/promises';
import { OperationalError } from '@steward/core';
import type { Database, Sql } from '@steward/store';
import { storeTargets } from '@steward/store/testing';
import { effect, workflowStore, type WorkflowDefinition } from '@steward/workflows';
import { openTestApp, type TestApp } from '../testing.js';
import { startWorkflowRuntime } from './workflow-runtime.js';

/** Asks for a proposal with an input the drafting effect refuses. */
const badDraft: WorkflowDefinition<{ readonly asked: boolean }> = {
  type: 'test-bad-draft',
  version: 1,
  initialState: { asked: false },
  decide: (_state, input) => ({
    state: { asked: true },
    commands: input.kind === 'start' ? [effect('proposal.draft', { not: 'a draft' }, 'draft')] : [],
  }),
};

/** A store that answers until it is broken, then throws `error` from every call. */
function breakable(db: Database): { db: Database; fail(error: Error): void } {
  let broken: Error | undefined;
  const check = (): void => {
    if (broken !== undefined) throw broken;
  };
  const wrapped: Database = {
    kind: db.kind,
    query: async (text, params) => {
      check();
      return db.query(text, params);
    },
    exec: async (text) => {
      check();
      return db.exec(text);
    },
    transaction: async <T>(fn: (tx: Sql) => Promise<T>): Promise<T> => {
      check();
      return db.transaction(fn);
    },
    close: () => db.close(),
  };
  return { db: wrapped, fail: (e) => (broken = e) };
}

/** The first log line with `msg`, parsed, waiting for it up to a deadline. */
async function logLine(t: TestApp, msg: string | RegExp): Promise<{ line: string; entry: Record<string, unknown> }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const line = t.logs.lines.find((l) => {
      const m = (JSON.parse(l) as { msg?: string }).msg ?? '';
      return typeof msg === 'string' ? m === msg : msg.test(m);
    });
    if (line !== undefined) return { line, entry: JSON.parse(line) as Record<string, unknown> };
    if (Date.now() > deadline) assert.fail(`no log line "${String(msg)}" in:\n${t.logs.text}`);
    await wait(10);
  }
}

for (const target of storeTargets()) {
  describe(`the workflow runtime's failures on ${target.name}`, { skip: target.skip }, () => {
    let t: TestApp;
    before(async () => {
      t = await openTestApp(await target.open());
    });
    after(() => t.close());

    it('a failing worker batch is logged with its code and cause chain, without foreign messages', async () => {
      const store = breakable(t.db);
      const runtime = await startWorkflowRuntime({ ...t.kernel, workflowStore: workflowStore(store.db) }, t.logger, {
        definitions: [],
        routes: [],
        intervalMs: 60_000,
      });
      try {
        // A driver's message can quote what it was handling: it must not reach the log.
        const driver = new Error('connection to 10.0.0.5 lost while reading MRN-4711');
        store.fail(new OperationalError('STORE_UNAVAILABLE', 'the store did not answer', [], { cause: driver }));
        const { line, entry } = await logLine(t, 'workflow worker batch failed: retrying');
        assert.equal(entry['level'], 50);
        assert.equal(entry['worker'], runtime.worker.id);
        const err = entry['err'] as Record<string, unknown>;
        assert.equal(err['type'], 'OperationalError');
        assert.equal(err['code'], 'STORE_UNAVAILABLE');
        assert.equal(err['message'], 'the store did not answer');
        const cause = err['cause'] as Record<string, unknown>;
        assert.equal(cause['type'], 'Error');
        assert.equal(cause['message'], undefined);
        assert.match(String(cause['stack']), /at /);
        assert.doesNotMatch(line, /MRN-4711|10\.0\.0\.5/);
      } finally {
        await runtime.stop();
      }
    });

    it('a failing effect is logged with its kind, attempt and cause; the workflow keeps only the code', async () => {
      const runtime = await startWorkflowRuntime(t.kernel, t.logger, {
        definitions: [badDraft],
        routes: [],
        intervalMs: 60_000,
      });
      try {
        await runtime.engine.start('test-bad-draft', 'bad-1');
        const { entry } = await logLine(t, /^workflow effect failed: (retrying|giving up)$/);
        assert.equal(entry['effect'], 'proposal.draft');
        assert.equal(entry['attempt'], 1);
        assert.equal(typeof entry['willRetry'], 'boolean');
        const err = entry['err'] as Record<string, unknown>;
        assert.equal(typeof err['type'], 'string');
        assert.match(String(err['stack']), /at /);
      } finally {
        await runtime.stop();
      }
    });
  });
}

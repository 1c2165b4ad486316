import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isStewardError, s } from '@steward/core';
import { defineEffect, defineSignal, defineStart } from './extension-points.js';
import type { WorkflowInput } from './types.js';

const outcome = defineSignal('proposal-outcome', s.object({ proposalId: s.string(), code: s.nullable(s.string()) }));
const lookup = defineEffect('thing.lookup', {
  input: s.object({ ref: s.string() }),
  output: s.object({ found: s.boolean() }),
});

function refusal(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    assert.ok(isStewardError(e));
    assert.equal(e.code, 'VALIDATION_FAILED');
    return e.details.map((d) => d.path ?? '');
  }
  assert.fail('not refused');
}

describe('defineSignal / defineStart', () => {
  it('reads its own signal typed, and ignores any other input', () => {
    const input: WorkflowInput = { kind: 'signal', name: 'proposal-outcome', payload: { proposalId: 'p', code: null } };
    assert.deepEqual(outcome.read(input), { proposalId: 'p', code: null });
    assert.equal(outcome.read({ kind: 'signal', name: 'reply', payload: {} }), undefined);
    assert.equal(outcome.read({ kind: 'timer', name: 'proposal-outcome', payload: { dueAt: 'x' } }), undefined);
  });

  it('refuses a payload that does not fit, where it is produced and where it is read back', () => {
    // @ts-expect-error the producer's payload is typed: a number is not a proposal id
    const wrong = () => outcome.encode({ proposalId: 1, code: null });
    assert.deepEqual(refusal(wrong), ['/proposalId']);
    const stored: WorkflowInput = { kind: 'signal', name: 'proposal-outcome', payload: { code: 'X' } };
    assert.deepEqual(
      refusal(() => outcome.read(stored)),
      ['/proposalId'],
    );
  });

  it('a start reads only start inputs', () => {
    const start = defineStart('demo', s.object({ n: s.number() }));
    assert.deepEqual(start.read({ kind: 'start', name: 'start', payload: { n: 2 } }), { n: 2 });
    assert.equal(start.read({ kind: 'signal', name: 'start', payload: { n: 2 } }), undefined);
  });
});

describe('defineEffect', () => {
  it('makes the command, and types the outcome the workflow gets back', () => {
    assert.deepEqual(lookup.request({ ref: 'Task/1' }, 't1'), {
      type: 'effect',
      kind: 'thing.lookup',
      input: { ref: 'Task/1' },
      tag: 't1',
    });
    const ok: WorkflowInput = {
      kind: 'effect',
      name: 'thing.lookup',
      payload: { key: 'k', tag: 't1', result: { ok: true, value: { found: true } } },
    };
    assert.deepEqual(lookup.outcome(ok), { tag: 't1', ok: true, value: { found: true } });
    const failed: WorkflowInput = {
      kind: 'effect',
      name: 'thing.lookup',
      payload: { key: 'k', tag: null, result: { ok: false, code: 'NOT_FOUND', message: 'm' } },
    };
    assert.deepEqual(lookup.outcome(failed), { tag: null, ok: false, code: 'NOT_FOUND', message: 'm' });
    assert.equal(lookup.outcome({ ...ok, name: 'other' }), undefined);
  });

  it('the handler sees the input checked, and its result is checked before it is recorded', async () => {
    const seen: string[] = [];
    const handler = lookup.handler((input) => {
      seen.push(input.ref);
      return Promise.resolve({ found: input.ref === 'Task/1' });
    });
    const request = { key: 'w/1/0', kind: 'thing.lookup', workflowId: 'w', attempt: 1 };
    assert.deepEqual(await handler({ ...request, input: { ref: 'Task/1' } }), { found: true });
    await assert.rejects(handler({ ...request, input: { ref: 7 } }), (e) => isStewardError(e));
    assert.deepEqual(seen, ['Task/1']);
    // @ts-expect-error the handler must return the declared output
    const wrong = lookup.handler(() => Promise.resolve({ found: 'yes' }));
    await assert.rejects(wrong({ ...request, input: { ref: 'Task/1' } }), (e) => isStewardError(e));
  });
});

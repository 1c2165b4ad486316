import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, derivedId, makeContext, stateDigest } from './determinism.js';
import { visitWorkflow } from './test-workflows.js';

describe('determinism', () => {
  it('derives the same ids from (workflow, step, n), different ones otherwise, in UUID form', () => {
    const w = '3f1c2d4e-0000-4000-8000-000000000001';
    assert.equal(derivedId(w, 1, 0), derivedId(w, 1, 0));
    const ids = new Set([derivedId(w, 1, 0), derivedId(w, 1, 1), derivedId(w, 2, 0), derivedId(`${w}x`, 1, 0)]);
    assert.equal(ids.size, 4);
    assert.match(derivedId(w, 1, 0), /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('digests state independently of key order, and changes with any value', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } }),
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
    assert.equal(stateDigest({ a: 1, b: 2 }), stateDigest({ b: 2, a: 1 }));
    assert.notEqual(stateDigest({ a: 1, b: 2 }), stateDigest({ a: 1, b: 3 }));
  });

  it('gives decide the same decisions for the same inputs and context (a replayable workflow)', () => {
    const ctx = () =>
      makeContext('3f1c2d4e-0000-4000-8000-000000000001', 'referral:1', 1, new Date('2026-03-08T07:30:00Z'));
    const input = { kind: 'start', name: 'start', payload: { timerMs: 10 } } as const;
    const a = visitWorkflow.decide(visitWorkflow.initialState, input, ctx());
    const b = visitWorkflow.decide(visitWorkflow.initialState, input, ctx());
    assert.deepEqual(a, b);
    assert.equal(a.state.startedAt, '2026-03-08T07:30:00.000Z');
    assert.equal(a.state.ids.length, 2);
    assert.notEqual(a.state.ids[0], a.state.ids[1]);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalJson } from '@steward/governance';
import { contentHash, type HashedContent } from './content-hash.js';
import { diffResources, rebase } from './resource-diff.js';
import { proposalStatuses } from './proposal.js';
import { canMove, transitions } from './transitions.js';

const content: HashedContent = {
  action: 'appointment.status',
  connectionId: '11111111-1111-4111-8111-111111111111',
  target: { resourceType: 'Appointment', id: 'a1' },
  baseVersion: '3',
  payload: { resourceType: 'Appointment', id: 'a1', status: 'cancelled' },
  patient: { ehrId: 'p1', identifiers: [{ system: 's', value: 'v' }] },
};

describe('the content hash', () => {
  it('does not depend on key order, and changes with anything that decides the write', () => {
    const reordered = { ...content, payload: { status: 'cancelled', id: 'a1', resourceType: 'Appointment' } };
    assert.equal(contentHash(reordered), contentHash(content));
    for (const changed of [
      { ...content, action: 'task.update' as const },
      { ...content, connectionId: '11111111-1111-4111-8111-111111111112' },
      { ...content, target: { resourceType: 'Appointment', id: 'a2' } },
      { ...content, baseVersion: '4' },
      { ...content, payload: { ...content.payload, status: 'noshow' } },
      { ...content, patient: { ...content.patient, ehrId: 'p2' } },
    ]) {
      assert.notEqual(contentHash(changed), contentHash(content));
    }
  });

  it('is a different hash for any different payload (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.dictionary(fc.string(), fc.jsonValue()), (a, b) => {
        // Payloads equal up to key order are the same payload (and hash alike, tested above).
        fc.pre(canonicalJson(a) !== canonicalJson(b));
        return contentHash({ ...content, payload: a }) !== contentHash({ ...content, payload: b });
      }),
      { numRuns: 200 },
    );
  });
});

describe('conflict diffs and rebasing', () => {
  const base = {
    resourceType: 'Appointment',
    id: 'a1',
    meta: { versionId: '1' },
    status: 'booked',
    start: 's1',
    participant: [{ actor: { reference: 'Patient/p1' }, status: 'accepted' }],
  };
  const current = {
    ...base,
    meta: { versionId: '2' },
    start: 's2',
    participant: [{ actor: { reference: 'Patient/p1' }, status: 'declined' }],
    comment: 'x',
  };

  it('lists changed leaves as JSON pointers, ignoring meta', () => {
    assert.deepEqual(diffResources(base, current), [
      { path: '/comment', op: 'add', current: 'x' },
      { path: '/participant/0/status', op: 'replace', base: 'accepted', current: 'declined' },
      { path: '/start', op: 'replace', base: 's1', current: 's2' },
    ]);
    assert.deepEqual(diffResources({ 'a/b': 1, 'c~d': [1] }, { 'a/b': 2, 'c~d': [] }), [
      { path: '/a~1b', op: 'replace', base: 1, current: 2 },
      { path: '/c~0d/0', op: 'remove', base: 1 },
    ]);
    assert.deepEqual(diffResources(current, current), []);
  });

  it('carries the proposal’s own change onto the current version', () => {
    const payload = { ...base, status: 'cancelled' };
    delete (payload as Partial<typeof payload>).meta;
    const next = rebase(base, payload, current);
    assert.equal(next['status'], 'cancelled');
    assert.equal(next['start'], 's2');
    assert.equal(next['comment'], 'x');
    assert.equal(next['meta'], undefined);
    // An element the proposal removed stays removed.
    const withoutStart: Record<string, unknown> = { ...payload };
    delete withoutStart['start'];
    assert.equal('start' in rebase(base, withoutStart, current), false);
  });
});

describe('the state machine', () => {
  it('has no way out of a final state, and no way back to drafted', () => {
    for (const s of ['rejected', 'rolled_back', 'superseded', 'conflicted'] as const)
      assert.deepEqual(transitions[s], []);
    for (const s of proposalStatuses) assert.equal(canMove(s, 'drafted'), false);
    assert.equal(canMove('pending_review', 'committed'), false, 'nothing is committed without approval');
    assert.equal(canMove('drafted', 'committed'), false);
  });
});

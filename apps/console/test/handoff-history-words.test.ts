// A handoff's history in words: offered, taken, escalated to the owner's lead (or to no one),
// declined with its reason, closed by the workflow that raised it, expired.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { HandoffDetail } from '../src/api/types.js';
import { historyWords } from '../src/screens/work/handoff-history-words.js';

const me = 'u-cleo';
const ben = { kind: 'user', id: 'u-ben', name: 'Ben Example' } as const;
const lena = { kind: 'user', id: 'u-lena', name: 'Lena Park' } as const;
const workflows = { kind: 'service', id: 's-wf', name: 'steward-workflows' } as const;

function entry(over: Partial<HandoffDetail['history'][number]>): HandoffDetail['history'][number] {
  return {
    seq: 1,
    at: '2026-03-02T14:00:00Z',
    event: 'offered',
    actor: workflows,
    fromStatus: null,
    toStatus: 'offered',
    detail: {},
    ...over,
  };
}

const detail: HandoffDetail = {
  id: 'h1',
  site: 'north',
  kind: 'referral.overdue',
  subject: { kind: 'referral', id: 'wf-1' },
  patientId: null,
  from: workflows,
  to: ben,
  assignee: ben,
  status: 'accepted',
  ask: 'Referral overdue: not received by its due date.',
  dueAt: null,
  overdue: false,
  escalatedTo: [lena],
  version: 3,
  createdAt: '2026-03-02T14:00:00Z',
  updatedAt: '2026-03-02T14:00:00Z',
  history: [],
};

describe('handoff history words', () => {
  it('says each move with whom, by name', () => {
    const say = (e: Partial<HandoffDetail['history'][number]>): string => historyWords(entry(e), detail, me);
    assert.equal(
      say({ detail: { to: { kind: 'user', ref: 'u-ben' } } }),
      'Offered to Ben Example by Steward workflows',
    );
    assert.equal(
      say({ detail: { to: { kind: 'pool', ref: 'north-desk' } } }),
      'Offered to the north-desk pool by Steward workflows',
    );
    assert.equal(say({ event: 'accepted', actor: ben }), 'Accepted by Ben Example');
    assert.equal(
      say({ event: 'accepted', actor: { ...ben, id: me, name: 'Cleo' }, detail: { direct: true } }),
      'Taken by you',
    );
    assert.equal(
      say({
        event: 'escalated',
        detail: { condition: 'not-done', target: { kind: 'lead' }, resolved: { kind: 'user', id: 'u-lena' } },
      }),
      "Escalated to Lena Park (the owner's lead): not done in time",
    );
    assert.equal(
      say({ event: 'escalated', detail: { condition: 'not-accepted', target: { kind: 'lead' }, resolved: null } }),
      'Escalation found no one (no lead on record); not taken in time',
    );
    assert.equal(
      say({ event: 'declined', actor: ben, detail: { to: { kind: 'pool', ref: 'north-desk' } }, reason: 'on leave' }),
      'Declined by Ben Example, back to the north-desk pool: “on leave”',
    );
    assert.equal(
      say({ event: 'done', detail: { closedBy: 'raiser', reason: 'stage-reached' } }),
      'Closed as done by Steward workflows (stage reached)',
    );
    assert.equal(say({ event: 'done', actor: ben }), 'Done by Ben Example');
    assert.equal(say({ event: 'expired' }), 'Its deadline passed');
  });
});

// My work's words: a handoff's status, holder, due time and subject in words, the queue's order
// (overdue first, closed last), the moves a state allows the caller, and refusals said for a person.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Handoff } from '../src/api/types.js';
import {
  askDetail,
  dueWords,
  kindLabel,
  moveErrorWords,
  moveResult,
  movesFor,
  personLabel,
  queueCount,
  sortHandoffs,
  statusWords,
  subjectLink,
} from '../src/screens/work/handoff-words.js';

const me = 'u-cleo';
const pool = { kind: 'pool', id: 'intake', name: 'intake' } as const;
const dana = { kind: 'user', id: 'u-dana', name: 'Dana Ortiz' } as const;
const cleo = { kind: 'user', id: me, name: 'Cleo Park' } as const;

function handoff(over: Partial<Handoff> = {}): Handoff {
  return {
    id: 'h1',
    site: 'sandbox',
    kind: 'intake.match',
    subject: { kind: 'document', id: 'doc-1' },
    patientId: null,
    from: { kind: 'service', id: 'intake', name: 'Intake' },
    to: pool,
    assignee: null,
    status: 'offered',
    ask: 'Match the referral letter to its patient',
    dueAt: '2026-06-10T16:00:00Z',
    overdue: false,
    escalatedTo: [],
    version: 1,
    createdAt: '2026-06-10T12:00:00Z',
    updatedAt: '2026-06-10T12:00:00Z',
    ...over,
  };
}

describe('a handoff in words', () => {
  it('names the holder, the pool it is back with, and whom it was escalated to; "you" for the caller', () => {
    assert.equal(statusWords(handoff(), me), 'Offered to the intake pool');
    assert.equal(statusWords(handoff({ status: 'accepted', assignee: cleo }), me), 'Accepted by you');
    assert.equal(statusWords(handoff({ status: 'accepted', assignee: dana }), me), 'Accepted by Dana Ortiz');
    assert.equal(statusWords(handoff({ status: 'done', assignee: dana }), me), 'Done by Dana Ortiz');
    assert.equal(statusWords(handoff({ status: 'declined' }), me), 'Declined, back with the intake pool');
    assert.equal(statusWords(handoff({ status: 'expired' }), me), 'Expired: no one took it in time');
    assert.equal(
      statusWords(handoff({ escalatedTo: [dana, { kind: 'pool', id: 'leads', name: 'leads' }] }), me),
      'Offered to the intake pool; escalated to Dana Ortiz, the leads pool',
    );
    // A closed handoff's escalations are history, not its status.
    assert.equal(statusWords(handoff({ status: 'done', assignee: cleo, escalatedTo: [dana] }), me), 'Done by you');
    assert.equal(personLabel({ kind: 'role', id: 'front_desk', name: 'front_desk' }, me), 'The front desk');
    assert.equal(personLabel(cleo, me), 'You');
    assert.equal(personLabel(dana, me), 'Dana Ortiz');
    assert.equal(personLabel({ kind: 'service', id: 's1', name: 'steward-intake' }, me), 'Steward intake');
  });

  it('says what is asked by kind, and links the subject to its page without showing its id', () => {
    assert.equal(kindLabel('intake.incomplete'), 'Chase what a document is missing');
    assert.equal(kindLabel('billing.prior-auth'), 'Billing prior auth');
    // The ask does not repeat the kind's words the row already shows.
    assert.equal(
      askDetail({
        kind: 'intake.sort',
        ask: 'Sort a document: the classifier was not sure (best guess referral letter).',
      }),
      'The classifier was not sure (best guess referral letter).',
    );
    assert.equal(
      askDetail({ kind: 'intake.sort', ask: 'Please sort the fax from Dr. Okafor' }),
      'Please sort the fax from Dr. Okafor',
    );
    assert.deepEqual(subjectLink({ kind: 'document', id: 'd1' }), {
      label: 'Open the document',
      parts: ['intake', 'd1'],
    });
    assert.deepEqual(subjectLink({ kind: 'referral', id: 'r1' }).parts, ['referrals', 'r1']);
    assert.deepEqual(subjectLink({ kind: 'patient', id: 'p1' }).parts, ['patients', 'p1']);
    assert.deepEqual(subjectLink({ kind: 'proposal', id: 'x1' }).parts, ['review', 'x1']);
    for (const kind of ['document', 'referral', 'patient', 'proposal'] as const)
      assert.doesNotMatch(subjectLink({ kind, id: 'secret-id' }).label, /secret/);
  });

  it('says when it is due relative to now, overdue by the server or by the clock; closed ones are closed', () => {
    const now = Date.parse('2026-06-10T15:20:00Z');
    assert.equal(dueWords(handoff(), now), 'Due in 40 min');
    assert.equal(dueWords(handoff({ dueAt: '2026-06-10T13:20:00Z', overdue: true }), now), 'Overdue by 2 h');
    assert.equal(dueWords(handoff({ dueAt: '2026-06-10T15:00:00Z' }), now), 'Overdue by 20 min');
    assert.equal(dueWords(handoff({ dueAt: null }), now), 'No deadline');
    assert.equal(dueWords(handoff({ status: 'done', overdue: true }), now), 'Closed');
  });
});

describe('the handoff queue', () => {
  it('puts overdue first, then the soonest due, then none due, closed last', () => {
    const items = [
      handoff({ id: 'none', dueAt: null }),
      handoff({ id: 'done', status: 'done', overdue: true, dueAt: '2026-06-01T00:00:00Z' }),
      handoff({ id: 'later', dueAt: '2026-06-12T00:00:00Z' }),
      handoff({ id: 'late', overdue: true, dueAt: '2026-06-09T00:00:00Z' }),
      handoff({ id: 'soon', dueAt: '2026-06-10T13:00:00Z' }),
      handoff({ id: 'mine', status: 'accepted', assignee: cleo, dueAt: '2026-06-11T00:00:00Z' }),
    ];
    assert.deepEqual(
      sortHandoffs(items).map((h) => h.id),
      ['late', 'soon', 'mine', 'later', 'none', 'done'],
    );
    assert.equal(queueCount(items), '5 open handoffs, 1 overdue.');
    assert.equal(queueCount([]), 'Nothing here: no handoffs are waiting.');
  });

  it('offers the moves the server allows: take an open one, finish or give back one you hold, nothing on another’s', () => {
    assert.deepEqual(movesFor(handoff(), me), ['accept', 'done', 'decline']);
    assert.deepEqual(movesFor(handoff({ status: 'declined' }), me), ['accept', 'done', 'decline']);
    assert.deepEqual(movesFor(handoff({ status: 'accepted', assignee: cleo }), me), ['done', 'decline']);
    assert.deepEqual(movesFor(handoff({ status: 'accepted', assignee: dana }), me), []);
    assert.deepEqual(movesFor(handoff({ status: 'done', assignee: cleo }), me), []);
    assert.deepEqual(movesFor(handoff({ status: 'expired' }), me), []);
  });

  it('says what a move did and why one was refused', () => {
    assert.equal(
      moveResult('accept', handoff({ status: 'accepted', assignee: cleo }), me),
      `You took "Match a document to its patient": it is yours now, and its pool sees that you have it.`,
    );
    assert.equal(moveResult('done', handoff({ status: 'done' }), me), `"Match a document to its patient" is done.`);
    assert.equal(
      moveResult('decline', handoff({ status: 'declined' }), me),
      `You declined "Match a document to its patient": it is back with the intake pool.`,
    );
    assert.match(
      moveErrorWords({ code: 'HANDOFF_STATE', message: 'the handoff is accepted by someone else' }),
      /^It has changed since you loaded it \(the handoff is accepted by someone else\)/,
    );
    assert.match(
      moveErrorWords({ code: 'HANDOFF_NOT_YOURS', message: 'not offered to you' }),
      /^This one is not yours/,
    );
    assert.equal(moveErrorWords({ code: 'VALIDATION', message: 'reason: too long' }), 'reason: too long');
  });
});

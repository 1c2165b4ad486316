// A referral's history and ending in words.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStep, endingLabel } from '../src/screens/referrals/referral-history.js';
import type { ReferralHistoryEntry } from '../src/screens/referrals/referral-types.js';

const entry = (over: Partial<ReferralHistoryEntry>): ReferralHistoryEntry => ({
  step: 1,
  at: '2026-06-01T09:00:00Z',
  input: 'timer',
  name: 'due',
  eventId: null,
  eventType: null,
  occurredAt: null,
  status: null,
  resource: null,
  tag: null,
  proposalId: null,
  ...over,
});

describe('referral history in words', () => {
  it('names the stage a timer was for, and never says "undefined"', () => {
    assert.equal(describeStep(entry({ name: 'due:scheduled' })), 'Due time reached for scheduled');
    assert.equal(describeStep(entry({ name: 'escalate:accepted' })), 'Escalation time reached for accepted');
    assert.equal(describeStep(entry({ name: 'due' })), 'Due time reached');
    assert.equal(describeStep(entry({ name: 'due:someday' })), 'Due time reached for someday');
    assert.equal(describeStep(entry({ name: 'leak:scheduled' })), 'Leak check (not scheduled in time)');
    assert.equal(describeStep(entry({ name: 'expire' })), 'Tracking expired without a stage change');
    assert.equal(describeStep(entry({ name: 'wake_up' })), 'Wake up');
  });

  it('turns event types, statuses and proposal tags into words', () => {
    const signal = describeStep(
      entry({ input: 'signal', name: 'event', eventType: 'task.updated', status: 'accepted', occurredAt: null }),
    );
    assert.equal(signal, 'Task updated: accepted, event of —');
    assert.equal(
      describeStep(entry({ input: 'effect', name: 'proposal.draft', tag: 'close_loop', status: 'not-applied' })),
      'Proposal result: Close loop (not applied)',
    );
    assert.equal(
      describeStep(entry({ input: 'effect', name: 'proposal.draft', status: null })),
      'Proposal result: Proposal draft (—)',
    );
    assert.match(
      describeStep(entry({ input: 'start', name: 'start', status: null })),
      /^Referral received from the EHR \(status unknown\)/,
    );
  });

  it('says how tracking ended', () => {
    assert.equal(endingLabel({ how: 'expired', by: null, detail: null }), 'stopped tracking: no change for too long');
    assert.equal(
      endingLabel({ how: 'task-output', by: null, detail: null }),
      'closed: the Task was completed with an output',
    );
    assert.equal(
      endingLabel({ how: 'cancelled', by: null, detail: 'duplicate' }),
      'cancelled by the EHR (reason duplicate)',
    );
  });
});

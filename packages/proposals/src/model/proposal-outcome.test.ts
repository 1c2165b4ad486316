import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { proposalStatuses, type ProposalStatus } from './proposal.js';
import {
  outcomeOfStatus,
  proposalOutcome,
  proposalOutcomes,
  statusesOfOutcome,
  type ProposalOutcome,
} from './proposal-outcome.js';
import { transitions } from './transitions.js';

const NEXT = '22222222-2222-4222-8222-222222222222';

/** Every status, written out by hand (not from the mapping): its word, and whether it is settled. */
const expected: Record<ProposalStatus, ProposalOutcome> = {
  drafted: { outcome: 'pending-review', settled: false },
  pending_review: { outcome: 'pending-review', settled: false },
  approved: { outcome: 'approved', settled: false },
  rejected: { outcome: 'rejected', settled: true, reason: 'not this visit' },
  committed: { outcome: 'written', settled: false },
  verified: { outcome: 'verified', settled: true },
  conflicted: { outcome: 'conflicted', settled: true, nextId: NEXT },
  superseded: { outcome: 'superseded', settled: true, nextId: NEXT },
  rolled_back: { outcome: 'rolled-back', settled: true, reason: 'the wrong visit' },
  failed: { outcome: 'failed', settled: true, error: { code: 'EHR_REJECTED', retryable: false, willRetry: false } },
};

describe('the outcome a drafter is told', () => {
  it('says every status in platform words, with what goes with it', () => {
    for (const status of proposalStatuses) {
      const got = proposalOutcome(
        {
          status,
          supersededBy: NEXT,
          error: { code: 'EHR_REJECTED', retryable: false },
        },
        { rejection: 'not this visit', rollbackReason: 'the wrong visit' },
      );
      assert.deepEqual(got, expected[status], status);
      assert.equal(outcomeOfStatus(status), expected[status].outcome);
      assert.ok(statusesOfOutcome(got.outcome).includes(status));
    }
  });

  it('uses every word, and each word stands for the statuses that map to it', () => {
    assert.deepEqual(new Set(proposalStatuses.map(outcomeOfStatus)), new Set(proposalOutcomes));
    for (const outcome of proposalOutcomes)
      for (const status of statusesOfOutcome(outcome)) assert.equal(outcomeOfStatus(status), outcome);
    assert.deepEqual(statusesOfOutcome('pending-review'), ['drafted', 'pending_review']);
  });

  it('is settled at every end of the state machine', () => {
    for (const status of proposalStatuses)
      if (transitions[status].length === 0) assert.equal(proposalOutcome({ status }).settled, true, status);
  });

  it('keeps a failure that Steward retries by itself unsettled', () => {
    const retrying = proposalOutcome({
      status: 'failed',
      error: { code: 'EHR_UNAVAILABLE', retryable: true, nextAttemptAt: new Date('2026-12-07T10:00:00Z') },
    });
    assert.deepEqual(retrying, {
      outcome: 'failed',
      settled: false,
      error: { code: 'EHR_UNAVAILABLE', retryable: true, willRetry: true },
    });
    const exhausted = proposalOutcome({ status: 'failed', error: { code: 'EHR_UNAVAILABLE', retryable: true } });
    assert.equal(exhausted.settled, true);
    assert.equal(exhausted.error?.willRetry, false);
  });

  it('carries a reason only when it was opened, and a next revision only where one replaced it', () => {
    assert.deepEqual(proposalOutcome({ status: 'rejected' }), { outcome: 'rejected', settled: true });
    assert.deepEqual(proposalOutcome({ status: 'approved', supersededBy: NEXT }, { rejection: 'x' }), {
      outcome: 'approved',
      settled: false,
    });
  });
});

// Work queues: what needs action first, titles that never show a raw reference, proposals in words.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  followupActionable,
  followupTitle,
  nextReminderText,
  proposalState,
  referralActionable,
  referralTitle,
  sortByNeedsAction,
} from '../src/ui/work-queue.js';
import { timelineEntries } from '../src/screens/followups/timeline-entries.js';
import type { FollowupTimeline } from '../src/screens/followups/followup-types.js';

describe('the work-queue order', () => {
  it('puts overdue items first, then the soonest due, then those with nothing due, ended ones last (newest first)', () => {
    const open = { status: 'running' } as const;
    const items = [
      { ...open, id: 'later', overdue: null, dueAt: '2026-06-20T00:00:00Z', createdAt: '2026-06-01T00:00:00Z' },
      { id: 'closed-new', status: 'completed', overdue: null, dueAt: null, createdAt: '2026-06-03T00:00:00Z' },
      { ...open, id: 'none-old', overdue: null, dueAt: null, createdAt: '2026-05-01T00:00:00Z' },
      { ...open, id: 'late-2', overdue: 'scheduled', dueAt: '2026-06-05T00:00:00Z', createdAt: '2026-06-01T00:00:00Z' },
      { id: 'closed-old', status: 'completed', overdue: null, dueAt: null, createdAt: '2026-04-01T00:00:00Z' },
      { ...open, id: 'soon', overdue: null, dueAt: '2026-06-11T00:00:00Z', createdAt: '2026-06-01T00:00:00Z' },
      { ...open, id: 'none-new', overdue: null, dueAt: null, createdAt: '2026-06-02T00:00:00Z' },
      { ...open, id: 'late-1', overdue: 'received', dueAt: '2026-06-02T00:00:00Z', createdAt: '2026-06-01T00:00:00Z' },
    ] as const;
    assert.deepEqual(
      sortByNeedsAction(items, referralActionable).map((i) => i.id),
      ['late-1', 'late-2', 'soon', 'later', 'none-new', 'none-old', 'closed-new', 'closed-old'],
    );
  });

  it('orders a follow-up by its appointment once booked, else by the end of its booking window; an ended one needs nothing', () => {
    const base = { createdAt: '2026-06-01T00:00:00Z', window: { end: '2026-07-01T00:00:00Z' } };
    const booked = {
      ...base,
      overdue: false,
      status: 'running',
      stage: 'booked',
      appointmentStart: '2026-06-15T00:00:00Z',
    };
    const waiting = { ...base, overdue: false, status: 'running', stage: 'awaiting-booking', appointmentStart: null };
    const ended = { ...base, overdue: true, status: 'completed', stage: 'fulfilled', appointmentStart: null };
    assert.equal(followupActionable(booked).dueAt, '2026-06-15T00:00:00Z');
    assert.equal(followupActionable(waiting).dueAt, '2026-07-01T00:00:00Z');
    assert.deepEqual(followupActionable(ended), { overdue: false, dueAt: null, createdAt: base.createdAt });
  });
});

describe('work-queue titles', () => {
  it('titles a follow-up by its service, and never by `ServiceRequest/<id>` when the order named none', () => {
    assert.equal(
      followupTitle({ service: 'Cardiology recheck', orderRef: 'ServiceRequest/9f1c' }),
      'Cardiology recheck',
    );
    assert.equal(followupTitle({ service: 'recheck', orderRef: 'ServiceRequest/9f1c' }), 'Recheck', 'a bare code');
    assert.equal(followupTitle({ service: null, orderRef: 'ServiceRequest/9f1c' }), 'Recheck');
    assert.equal(followupTitle({ service: '  ', orderRef: 'Task/7' }), 'Recheck task');
  });

  it('titles a referral by its service and destination, saying when the destination is not named yet', () => {
    assert.equal(referralTitle({ service: 'Cardiology consult' }, 'Dr. Lee'), 'To Dr. Lee');
    assert.equal(
      referralTitle({ service: 'cardiology consult' }, null),
      'Cardiology consult (destination not named yet)',
    );
    assert.equal(referralTitle({ service: null }, null), 'Referral (destination not named yet)');
  });
});

describe('the next reminder in words', () => {
  it('says why there is none', () => {
    const f = { nextReminderAt: null, optedOut: false, status: 'running', stage: 'awaiting-booking' };
    assert.equal(nextReminderText({ ...f, nextReminderAt: '2026-06-12T14:00:00Z', stage: 'booked' }), null);
    assert.equal(nextReminderText(f), 'none yet: reminders are planned once the appointment is booked');
    assert.equal(nextReminderText({ ...f, stage: 'booked' }), 'none left before the appointment');
    assert.equal(nextReminderText({ ...f, optedOut: true }), 'none: the patient opted out of messages');
    assert.equal(nextReminderText({ ...f, status: 'completed' }), 'none: the follow-up ended');
  });
});

describe('proposal states in words', () => {
  it('says where a proposal stands, and that an edited one was revised', () => {
    assert.equal(proposalState('pending_review'), 'waiting for review');
    assert.equal(proposalState('rejected'), 'rejected');
    assert.equal(proposalState('verified'), 'written to the EHR and checked');
    assert.equal(proposalState('committed', 'p2'), 'revised; the revision is written to the EHR');
    assert.equal(proposalState(null), 'status unknown');
  });

  it('links a revised proposal in the timeline to its latest revision', () => {
    const tl = {
      asOf: '2026-06-10T12:00:00Z',
      followup: { status: 'completed', appointmentStart: null, window: null, stage: 'closed' },
      reminders: [],
      messages: [],
      history: [
        {
          step: 2,
          at: '2026-06-06T09:00:00Z',
          input: 'effect',
          name: 'proposal.draft',
          signal: null,
          eventId: null,
          eventType: null,
          occurredAt: null,
          status: 'rejected',
          resource: null,
          intent: null,
          messageId: null,
          tag: 'booking-request',
          proposalId: 'p1',
          revisedTo: 'p2',
        },
      ],
    } as unknown as FollowupTimeline;
    const [entry] = timelineEntries(tl);
    assert.equal(entry?.detail, 'now revised; the revision is rejected');
    assert.equal(entry?.proposalId, 'p2');
  });
});

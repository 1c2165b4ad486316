// A follow-up's timeline: history, messages and what is planned, in order, past or upcoming.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { channelName, stageLabel, timelineEntries } from '../src/screens/followups/timeline-entries.js';
import type { FollowupStep, FollowupTimeline } from '../src/screens/followups/followup-types.js';

const step = (n: number, at: string, over: Partial<FollowupStep>): FollowupStep => ({
  step: n,
  at,
  input: 'signal',
  name: 'appointment',
  signal: 'appointment',
  eventId: null,
  eventType: null,
  occurredAt: null,
  status: null,
  resource: null,
  start: null,
  intent: null,
  messageId: null,
  tag: null,
  proposalId: null,
  revisedTo: null,
  ...over,
});

function timeline(over: Partial<FollowupTimeline> = {}): FollowupTimeline {
  return {
    asOf: '2026-06-10T12:00:00Z',
    followup: {
      id: 'f1',
      connectionId: 'c1',
      correlationKey: 'k',
      status: 'running',
      site: 'north',
      orderRef: 'ServiceRequest/1',
      service: null,
      owner: null,
      stage: 'awaiting-booking',
      stageAt: null,
      window: { start: '2026-06-01T00:00:00Z', end: '2026-06-20T00:00:00Z' },
      appointmentRef: null,
      appointmentStart: null,
      nextReminderAt: null,
      confirmation: null,
      overdue: false,
      optedOut: false,
      counts: {},
      proposals: 0,
      createdAt: '2026-06-01T00:00:00Z',
      updatedAt: '2026-06-01T00:00:00Z',
    },
    reminders: [],
    proposals: [],
    messages: [],
    replies: [],
    history: [],
    ...over,
  };
}

describe('the follow-up timeline', () => {
  it('puts history, messages and plans in time order, marking what is still ahead', () => {
    const entries = timelineEntries(
      timeline({
        history: [
          step(1, '2026-06-01T09:00:00Z', {
            input: 'start',
            name: 'start',
            signal: null,
            occurredAt: '2026-06-01T08:00:00Z',
          }),
          step(2, '2026-06-05T09:00:00Z', {
            name: 'reply',
            signal: 'reply',
            intent: 'reschedule',
            messageId: '0193f1c27a8b',
          }),
          step(3, '2026-06-06T09:00:00Z', {
            input: 'effect',
            name: 'reminder:48h',
            signal: null,
            status: 'committed',
            proposalId: 'p1',
          }),
        ],
        messages: [
          {
            id: 'm1',
            channel: 'sms',
            status: 'sent',
            proposalId: null,
            notBefore: '2026-06-02T09:00:00Z',
            createdAt: '2026-06-02T09:00:00Z',
            template: 'booking_reminder',
            language: 'en',
          },
          {
            id: 'm2',
            channel: 'email',
            status: 'queued',
            proposalId: 'p2',
            notBefore: '2026-06-11T07:00:00Z',
            createdAt: '2026-06-10T22:00:00Z',
            template: 'booking-reminder',
            language: 'es',
            subject: 'Your visit',
            body: 'Please book',
          },
        ],
        reminders: [
          { name: 'r2', offsetDays: 1, dueAt: '2026-06-12T09:00:00Z', status: 'scheduled' },
          { name: 'r3', offsetDays: 2, dueAt: '2026-06-03T09:00:00Z', status: 'cancelled' },
        ],
      }),
    );
    assert.deepEqual(
      entries.map((e) => [e.key, e.upcoming, e.label]),
      [
        ['h1', false, 'Recheck ordered; follow-up started'],
        ['mm1', false, 'Booking reminder message by SMS (en): sent'],
        ['h2', false, 'Patient replied: asked to reschedule'],
        ['h3', false, 'Proposal drafted: Reminder'],
        ['mm2', true, 'Booking reminder message by email (es): queued'],
        ['rr2', true, 'Reminder planned, 1 day before the appointment'],
        ['window', true, 'Booking window ends (then overdue)'],
      ],
    );
    assert.equal(entries[0]?.at, '2026-06-01T08:00:00Z', 'the event time, not the step time');
    assert.equal(entries[2]?.detail, 'to message 0193f1c2');
    assert.equal(entries[3]?.detail, 'now written to the EHR', 'where the proposal stands now, not as drafted');
    assert.equal(entries[3]?.proposalId, 'p1');
    assert.equal(entries[4]?.detail, 'held for quiet hours until this time');
    assert.equal(entries[4]?.body, 'Your visit\nPlease book');
  });

  it('shows the appointment ahead and no window once booked; nothing planned once ended', () => {
    const booked = timeline();
    const withAppointment = timelineEntries({
      ...booked,
      followup: {
        ...booked.followup,
        stage: 'booked',
        appointmentStart: '2026-06-15T15:00:00Z',
        appointmentRef: 'Appointment/9',
      },
    });
    assert.deepEqual(
      withAppointment.map((e) => [e.key, e.label, e.detail, e.ref]),
      [['appointment', 'Appointment', 'the recheck visit', 'Appointment/9']],
      "said in words; the EHR's reference kept aside",
    );
    const ended = timelineEntries({ ...booked, followup: { ...booked.followup, status: 'completed' } });
    assert.deepEqual(ended, []);
  });

  it("says what the order and appointments are in words, keeping the EHR's references aside", () => {
    const base = timeline();
    const entries = timelineEntries({
      ...base,
      followup: { ...base.followup, service: 'cardiology recheck' },
      history: [
        step(1, '2026-06-01T09:00:00Z', {
          input: 'start',
          name: 'start',
          signal: null,
          resource: 'ServiceRequest/sr-77',
        }),
        step(2, '2026-06-02T09:00:00Z', {
          status: 'booked',
          resource: 'Appointment/ap-5',
          start: '2026-06-15T15:00:00Z',
        }),
        step(3, '2026-06-16T09:00:00Z', { status: 'noshow', resource: 'Appointment/ap-5', start: null }),
        step(4, '2026-06-08T14:00:00Z', { input: 'timer', name: 'reminder-1-7d', signal: null }),
      ],
    }).filter((e) => e.key.startsWith('h'));
    assert.deepEqual(
      entries.map((e) => [e.key, e.label, e.ref]),
      [
        ['h1', 'Recheck ordered; follow-up started', 'ServiceRequest/sr-77'],
        ['h2', 'Appointment booked', 'Appointment/ap-5'],
        ['h4', 'Reminder due', undefined],
        ['h3', 'Appointment missed (no-show)', 'Appointment/ap-5'],
      ],
    );
    assert.equal(entries[0]?.detail, 'Cardiology recheck', 'the service by name');
    assert.match(entries[1]?.detail ?? '', /^appointment on Jun 15, 2026, \d\d:00 [AP]M [A-Z]/);
    assert.equal(entries[2]?.detail, '7 days before the appointment');
    for (const e of entries) assert.doesNotMatch(`${e.label} ${e.detail ?? ''}`, /ServiceRequest\/|Appointment\//);
  });

  it('reads each step by the signal it is (the API names it), not by its raw name', () => {
    const entries = timelineEntries(
      timeline({
        history: [
          step(4, '2026-06-07T09:00:00Z', {
            name: 'proposal-outcome',
            signal: 'proposal-outcome',
            status: 'failed',
            tag: 'reminder.send',
            proposalId: 'p9',
          }),
          // A signal the API does not declare for follow-ups is named in words, whatever its name says.
          step(5, '2026-06-08T09:00:00Z', { name: 'custom-nudge', signal: null }),
        ],
        messages: [],
      }),
    ).filter((e) => e.key.startsWith('h'));
    assert.deepEqual(
      entries.map((e) => [e.key, e.label, e.proposalId]),
      [
        ['h4', 'Proposal failed (reminder.send)', 'p9'],
        ['h5', 'Custom nudge', undefined],
      ],
    );
  });

  it('names channels and stages in words', () => {
    assert.equal(channelName('sms'), 'SMS');
    assert.equal(channelName('email'), 'email');
    assert.equal(stageLabel('no-show'), 'No-show');
    assert.equal(stageLabel('some_new_stage'), 'Some new stage');
  });
});

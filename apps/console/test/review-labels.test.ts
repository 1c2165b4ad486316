// The review screen's words: action names, statuses, and the conflict diff's rows.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { actionLabel, priorityNames, proposalHeading, statusLabel } from '../src/screens/review/labels.js';
import { diffRows, diffValue, diffVersions } from '../src/screens/review/diff-rows.js';

describe('review labels', () => {
  it('names known actions in plain language and falls back to words for new ones', () => {
    assert.equal(actionLabel('appointment.status'), 'Change appointment status');
    assert.equal(actionLabel('care-plan.update'), 'Care plan update');
    assert.equal(statusLabel('pending_review'), 'Pending review');
    assert.equal(statusLabel('EHR_UNAVAILABLE'), 'EHR unavailable');
    assert.equal(priorityNames[1], 'Urgent');
  });
});

describe('an opened proposal’s heading', () => {
  it('reads an extension’s action by the rendering its definition gives, lines without blanks', () => {
    const heading = proposalHeading({
      action: 'callback-task.create',
      rendering: { title: 'Call the patient back after a missed appointment', lines: ['Rebook', '', 'Appointment/a9'] },
    });
    assert.deepEqual(heading, {
      title: 'Call the patient back after a missed appointment',
      lines: ['Rebook', 'Appointment/a9'],
    });
  });

  it('keeps the queue’s name for a built-in action and shows its rendered lines', () => {
    assert.deepEqual(
      proposalHeading({
        action: 'appointment.status',
        rendering: { title: 'Change the appointment status', lines: ['status: cancelled'] },
      }),
      { title: 'Change appointment status', lines: ['status: cancelled'] },
    );
  });

  it('names an action no longer registered (rendered as its bare type) in words', () => {
    assert.deepEqual(
      proposalHeading({ action: 'care-plan.update', rendering: { title: 'care-plan.update', lines: [] } }),
      {
        title: 'Care plan update',
        lines: [],
      },
    );
  });
});

describe('the conflict diff', () => {
  it('shows each changed field with its value then and now; an absent field says so', () => {
    const diff = {
      baseVersion: '3',
      currentVersion: '5',
      changes: [
        { path: 'status', op: 'replace', base: 'booked', current: 'cancelled' },
        { path: 'participant/1', op: 'add', current: { actor: { reference: 'Practitioner/7' } } },
        { path: 'comment', op: 'remove', base: 'call first' },
        'not an object',
      ],
    };
    assert.deepEqual(diffVersions(diff), { base: '3', current: '5' });
    assert.deepEqual(diffRows(diff), [
      { path: 'status', change: 'Replace', before: '"booked"', after: '"cancelled"' },
      {
        path: 'participant/1',
        change: 'Add',
        before: '(absent)',
        after: diffValue({ actor: { reference: 'Practitioner/7' } }),
      },
      { path: 'comment', change: 'Remove', before: '"call first"', after: '(absent)' },
      { path: '?', change: 'Change', before: '(absent)', after: '(absent)' },
    ]);
    assert.equal(diffValue(null), 'null');
  });

  it('shows unknown versions and no rows for a malformed diff', () => {
    assert.deepEqual(diffVersions({}), { base: '?', current: '?' });
    assert.deepEqual(diffRows({ changes: 'x' }), []);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isStewardError, s } from '@steward/core';
import { ActionRegistry, builtinActions, defineAction } from './index.js';

const referralLetter = defineAction({
  type: 'referral-letter.create',
  commit: { via: 'ehr', resourceType: 'DocumentReference', write: 'create' },
  payload: s.object({ docStatus: s.literal('preliminary'), description: s.string() }),
  render: (p) => ({ title: 'Draft a referral letter', lines: [p.description] }),
  reversible: true,
  compensation: { status: 'entered-in-error' },
});

describe('defineAction', () => {
  it('re-expresses the built-in actions, EHR writes and messages', () => {
    assert.deepEqual(builtinActions.types(), [
      'appointment.status',
      'task.create',
      'task.update',
      'service-request.status',
      'document-reference.draft',
      'communication.send',
      'reminder.send',
    ]);
    assert.deepEqual(builtinActions.channelTypes(), ['communication.send', 'reminder.send']);
    assert.deepEqual(builtinActions.get('task.create').commit, { via: 'ehr', resourceType: 'Task', write: 'create' });
    assert.deepEqual(builtinActions.get('task.create').compensation, { status: 'cancelled' });
    assert.equal(builtinActions.get('reminder.send').reversible, false);
  });

  it('refuses a definition that could not be committed or undone as declared', () => {
    const bad = (): unknown =>
      defineAction({
        type: 'Not A Type',
        commit: { via: 'channel' },
        payload: s.object({}),
        render: () => ({ title: 'x', lines: [] }),
        reversible: false,
        compensation: { status: 'cancelled' },
      });
    assert.throws(bad, (e) => {
      assert.ok(isStewardError(e));
      assert.deepEqual(
        e.details.map((d) => d.path),
        ['type', 'irreversibleReason', 'compensation'],
      );
      return true;
    });
  });

  it('declares the fields a reviewer edits in a form, and refuses fields that could not be built', () => {
    assert.deepEqual(
      builtinActions.fields('appointment.status').map((f) => [f.path, f.kind]),
      [
        ['status', 'choice'],
        ['comment', 'long-text'],
      ],
    );
    assert.ok(builtinActions.fields('task.create').some((f) => f.path === 'restriction/period/end'));
    assert.deepEqual(builtinActions.fields('no-such.action'), [], 'an unknown type has no form');
    // A task reads by what it is about (its code's words when it has no description), then its status.
    assert.deepEqual(
      builtinActions.render('task.create', {
        resourceType: 'Task',
        status: 'requested',
        code: { coding: [{ system: 'urn:x', code: 'recheck', display: 'Book recheck appointment' }] },
      }),
      { title: 'Create a task', lines: ['Book recheck appointment', 'status: requested'] },
    );
    // A message reads by its template in words and its channel, never a bare template id.
    assert.deepEqual(
      builtinActions.render('communication.send', { template: 'referral-overdue-received', channel: 'fax' }),
      { title: 'Send a message', lines: ['Referral overdue received, by fax'] },
    );
    assert.deepEqual(builtinActions.render('reminder.send', { template: 'recheck_reminder' }), {
      title: 'Send a reminder',
      lines: ['Recheck reminder'],
    });
    for (const type of builtinActions.types())
      for (const f of builtinActions.fields(type))
        assert.ok(!['subject', 'for', 'patient', 'resourceType', 'id'].includes(f.path), `${type} keeps ${f.path}`);
    assert.throws(
      () =>
        defineAction({
          ...referralLetter,
          fields: [
            { path: 'content/../x', label: 'Bad', kind: 'text' },
            { path: 'status', label: 'Status', kind: 'choice' },
          ],
        }),
      (e) => {
        assert.ok(isStewardError(e));
        assert.deepEqual(
          e.details.map((d) => d.path),
          ['fields/0/path', 'fields/1/options'],
        );
        return true;
      },
    );
  });

  it('a deployment adds its own on top of the built-in ones; a type is registered once', () => {
    const actions = builtinActions.with([referralLetter]);
    assert.equal(actions.has('referral-letter.create'), true);
    assert.equal(builtinActions.has('referral-letter.create'), false, 'the built-in registry is unchanged');
    assert.throws(() => actions.with([referralLetter]), /registered twice/);
    assert.deepEqual(
      actions.render('referral-letter.create', { docStatus: 'preliminary', description: 'Cardiology' }),
      {
        title: 'Draft a referral letter',
        lines: ['Cardiology'],
      },
    );
  });

  it('an unknown type is ACTION_UNKNOWN, naming what is registered', () => {
    const actions = new ActionRegistry([referralLetter]);
    assert.throws(
      () => actions.get('letter.send'),
      (e) =>
        isStewardError(e) &&
        e.code === 'ACTION_UNKNOWN' &&
        e.status === 422 &&
        !e.retryable &&
        e.details[0]?.message === 'one of referral-letter.create',
    );
  });
});

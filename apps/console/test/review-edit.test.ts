// The review screen's edit form (fields from the action's definition) and a revision's diff against the one before.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyForm, formValues, valueAt, withValue, type FormField } from '../src/screens/review/edit-form.js';
import { revisionDiffRows } from '../src/screens/review/diff-rows.js';
import { changeLine } from '../src/screens/review/labels.js';

const task = {
  resourceType: 'Task',
  status: 'requested',
  priority: 'routine',
  for: { reference: 'Patient/p1' },
  note: [{ text: 'Call the practice', authorString: 'referral-flow' }],
};
const fields: FormField[] = [
  { path: 'status', label: 'Status', kind: 'choice', options: ['requested', 'cancelled', 'completed'] },
  { path: 'description', label: 'Description', kind: 'long-text' },
  { path: 'restriction/period/end', label: 'Due by', kind: 'date-time' },
  { path: 'note/0/text', label: 'Note', kind: 'long-text' },
];

describe('the edit form', () => {
  it('reads each field from its path, arrays included, and empty when absent', () => {
    assert.equal(valueAt(task, 'note/0/text'), 'Call the practice');
    assert.equal(valueAt(task, 'note/3/text'), undefined);
    assert.deepEqual(formValues(fields, task), {
      status: 'requested',
      description: '',
      'restriction/period/end': '',
      'note/0/text': 'Call the practice',
    });
  });

  it('writes the edited fields into a copy, making the path, keeping everything else', () => {
    const values = {
      ...formValues(fields, task),
      status: 'cancelled',
      'restriction/period/end': '2026-12-09T17:00:00-05:00',
      'note/0/text': 'Practice closed: cancel',
    };
    const r = applyForm(fields, task, values);
    assert.ok('payload' in r);
    assert.deepEqual(r.payload, {
      ...task,
      status: 'cancelled',
      restriction: { period: { end: '2026-12-09T17:00:00-05:00' } },
      note: [{ text: 'Practice closed: cancel', authorString: 'referral-flow' }],
    });
    assert.equal(task.status, 'requested', 'the proposal’s payload is not changed in place');
  });

  it('removes an emptied field, and an object it leaves empty', () => {
    const withDue = withValue(task, 'restriction/period/end', '2026-12-09');
    const r = applyForm(fields, withDue, { ...formValues(fields, withDue), 'restriction/period/end': ' ' });
    assert.ok('payload' in r);
    assert.equal('restriction' in r.payload, false);
  });

  it('says which fields are wrong, by label, and writes nothing then', () => {
    const r = applyForm(fields, task, {
      ...formValues(fields, task),
      status: 'done',
      'restriction/period/end': 'Friday',
    });
    assert.ok('problems' in r);
    assert.equal(r.problems.length, 2);
    assert.match(r.problems[0]!, /^Status: one of requested, cancelled, completed/);
    assert.match(r.problems[1]!, /^Due by: a date and time/);
  });

  it('leaves an untouched form’s payload exactly as drafted', () => {
    const r = applyForm(fields, task, formValues(fields, task));
    assert.ok('payload' in r);
    assert.deepEqual(r.payload, task);
  });
});

describe('a revision’s diff against the one before', () => {
  it('lists each field added, removed or replaced, by path, meta left out', () => {
    const before = { ...task, meta: { versionId: '1' }, description: 'old' };
    const after = {
      ...task,
      meta: { versionId: '2' },
      status: 'cancelled',
      note: [{ text: 'New note', authorString: 'referral-flow' }],
      priority: undefined,
    };
    const rows = revisionDiffRows(before, after);
    assert.deepEqual(
      rows.map((r) => [r.path, r.change, r.before, r.after]),
      [
        ['description', 'Remove', '"old"', '(absent)'],
        ['note/0/text', 'Replace', '"Call the practice"', '"New note"'],
        ['priority', 'Remove', '"routine"', '(absent)'],
        ['status', 'Replace', '"requested"', '"cancelled"'],
      ],
    );
    assert.deepEqual(revisionDiffRows(task, { ...task }), [], 'no change, no rows');
  });
});

describe('the queue’s one line for a change', () => {
  it('joins the rendering’s title and lines, skipping blanks', () => {
    assert.equal(
      changeLine({ title: 'Create a task', lines: ['status: requested', '', 'Call the practice'] }),
      'Create a task — status: requested; Call the practice',
    );
    assert.equal(changeLine({ title: 'Send a reminder', lines: [] }), 'Send a reminder');
    assert.equal(changeLine(undefined), undefined);
    assert.equal(
      changeLine({ title: 'Create a task', lines: ['Call this week.', 'status: requested'] }),
      'Create a task — Call this week; status: requested',
    );
    assert.equal(
      changeLine({ title: 'Create a task', lines: ['status: requested'] }, { withTitle: false }),
      'status: requested',
    );
    assert.equal(changeLine({ title: 'Send a reminder', lines: [] }, { withTitle: false }), 'Send a reminder');
  });
});

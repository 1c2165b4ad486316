import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FormSpec } from '../model/screen-map.js';
import { uncovered, valueAt } from './resource-fields.js';

const form: FormSpec = {
  id: 'task',
  resourceType: 'Task',
  open: [],
  screen: 'task-form',
  submit: { role: 'button', name: 'Save' },
  after: 'task',
  implied: { status: 'requested', intent: 'order' },
  templates: [
    {
      id: 'default',
      fields: [
        { key: 'description', label: 'Task', kind: 'text' },
        { key: 'note/0/text', label: 'Note', kind: 'markdown' },
        { key: 'input', label: 'Context (JSON)', kind: 'json' },
        { key: 'identifier:urn:clinic:ref', label: 'Reference', kind: 'text' },
      ],
    },
  ],
};
const base = { resourceType: 'Task', id: 't1', status: 'requested', intent: 'order', for: { reference: 'Patient/p' } };

describe('what a screen form cannot enter', () => {
  it('accepts a resource whose every element has a field, is the chart, or is set by the form itself', () => {
    const task = {
      ...base,
      description: 'Call back',
      note: [{ text: 'mornings' }],
      input: [{ type: { text: 'context' }, valueString: '{}' }],
      identifier: [
        { system: 'urn:steward:write', value: 'key-1' },
        { system: 'urn:clinic:ref', value: 'R-1' },
      ],
    };
    assert.deepEqual(uncovered(form, task, 'urn:steward:write'), []);
  });

  it('names each element the form would drop, to the leaf, and an implied element with another value', () => {
    const task = {
      ...base,
      status: 'in-progress',
      description: 'Call back',
      note: [{ text: 'mornings', authorString: 'Dr A' }],
      owner: { reference: 'Practitioner/1' },
      identifier: [{ system: 'urn:other', value: 'x' }],
    };
    assert.deepEqual(uncovered(form, task, 'urn:steward:write'), [
      'status',
      'note/0/authorString',
      'owner/reference',
      'identifier:urn:other',
    ]);
  });
});

describe('a note entered section by section', () => {
  const note: FormSpec = {
    ...form,
    id: 'encounter-note',
    resourceType: 'DocumentReference',
    implied: { status: 'current', docStatus: 'preliminary' },
    templates: [
      {
        id: 'default',
        fields: [
          { key: 'description', label: 'Notes', kind: 'text' },
          { key: 'attachment:assessment', label: 'Assessment', kind: 'markdown' },
        ],
      },
    ],
  };
  const section = (title: string, text: string): unknown => ({
    attachment: { title, contentType: 'text/markdown', data: Buffer.from(text).toString('base64') },
  });
  const doc = {
    resourceType: 'DocumentReference',
    status: 'current',
    docStatus: 'preliminary',
    subject: { reference: 'Patient/p' },
    description: 'Seen today',
    content: [section('assessment', 'Stable *angina*')],
  };

  it('reads a section by its title and counts it as entered', () => {
    assert.equal(valueAt(doc, 'attachment:assessment'), 'Stable *angina*');
    assert.deepEqual(uncovered(note, doc, undefined), []);
  });

  it('names a section the form has no field for', () => {
    const more = { ...doc, content: [...doc.content, section('plan', 'Recheck in 2 weeks')] };
    assert.deepEqual(uncovered(note, more, undefined), [
      'content/1/attachment/title',
      'content/1/attachment/contentType',
      'content/1/attachment/data',
    ]);
  });
});

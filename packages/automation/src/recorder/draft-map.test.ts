// A recording turned into a draft map, without a browser: a form shown twice with different fields
// becomes two templates (the second's `when` left for the person), clicks among data are not kept by
// name, and a demonstration without a sign-in or a banner leaves those parts blank and listed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PageShown, RecordedEvent, RecordedField } from './recording.js';
import { draftScreenMap } from './draft-map.js';

const page = (pattern: string, extra: Partial<PageShown> = {}): PageShown => ({
  type: 'page',
  pattern,
  landmarks: [{ role: 'main', name: '' }],
  headings: [],
  hasPassword: false,
  banner: null,
  ...extra,
});
const field = (name: string, extra: Partial<RecordedField> = {}): RecordedField => ({
  role: 'textbox',
  name,
  tag: 'input',
  type: 'text',
  kind: 'text',
  maxLength: null,
  required: false,
  secret: false,
  choices: [],
  form: '',
  ...extra,
});
const fill = (pattern: string, f: RecordedField): RecordedEvent => ({ type: 'fill', pattern, field: f });
const click = (pattern: string, role: string, name: string, submits = false, data = false): RecordedEvent => ({
  type: 'click',
  pattern,
  role,
  name,
  data,
  submits,
});

describe('draft map from a recording', () => {
  it('makes a second template for a form shown again with other fields', () => {
    const banner = { role: 'region', name: 'Patient', labels: ['MRN', 'DOB', 'Sex'] };
    const events: RecordedEvent[] = [
      page('/login', { hasPassword: true }),
      fill('/login', field('User')),
      fill('/login', field('Password', { secret: true, type: 'password' })),
      click('/login', 'button', 'Go', true),
      page('/search'),
      fill('/search', field('Patient number', { role: 'searchbox' })),
      click('/search', 'button', 'Find', true),
      page('/results'),
      click('/results', 'link', '', false, true),
      page('/p/:id', { banner }),
      click('/p/:id', 'link', 'Visit note'),
      page('/p/:id/note'),
      fill('/p/:id/note', field('Reason')),
      click('/p/:id/note', 'button', 'Save', true),
      page('/p/:id', { banner }),
      click('/p/:id', 'link', 'Visit note'),
      page('/p/:id/note'),
      fill('/p/:id/note', field('Reason')),
      fill('/p/:id/note', field('Heart rate', { maxLength: 3 })),
      click('/p/:id/note', 'button', 'Save', true),
      page('/p/:id', { banner }),
    ];
    const { map, todo, notes } = draftScreenMap({
      connectionId: 'c',
      site: 'north',
      origin: 'https://e.example',
      events,
    });
    assert.deepEqual(
      map.screens.map((s) => s.id),
      ['login', 'search', 'results', 'p-item', 'p-note'],
    );
    assert.deepEqual(map.login.username, { role: 'textbox', name: 'User' });
    assert.equal(map.patientSearch.chart, 'p-item');
    assert.equal(map.forms.length, 1);
    const form = map.forms[0]!;
    assert.deepEqual(form.open, [{ role: 'link', name: 'Visit note' }]);
    assert.deepEqual(
      form.templates.map((t) => [t.id, t.when, t.fields.map((f) => f.label)]),
      [
        ['default', undefined, ['Reason']],
        ['variant-2', { specialty: '' }, ['Reason', 'Heart rate']],
      ],
    );
    assert.ok(todo.includes('/forms/0/templates/1/when/specialty: empty: fill it in'), todo.join('\n'));
    assert.ok(notes.some((n) => n.includes('the banner shows MRN, DOB, Sex')));
    assert.ok(notes.some((n) => n.includes('Heart rate takes at most 3 characters')));
  });

  it('leaves the sign-in and banner blank, and says so, when the demonstration did not show them', () => {
    const { map, todo } = draftScreenMap({
      connectionId: 'c',
      site: 'north',
      origin: 'https://e.example',
      events: [page('/home'), fill('/home', field('MRN')), click('/home', 'button', 'Find', true), page('/chart/:id')],
    });
    assert.equal(map.login.screen, '');
    assert.ok(todo.includes('/login/screen: empty: fill it in'), todo.join('\n'));
    assert.ok(todo.includes('/banner/region/name: empty: fill it in'), todo.join('\n'));
    assert.ok(todo.includes('/banner/identifiers: at least 2 items'), todo.join('\n'));
  });
});

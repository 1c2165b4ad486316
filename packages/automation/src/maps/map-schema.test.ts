// A screen map's validation (every problem named by its JSON pointer) and the reviewer's diff.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationError } from '@steward/core';
import { diffScreenMaps } from './map-diff.js';
import { exampleMap } from './example-map.js';
import { screenMapProblems, validateScreenMap } from './map-schema.js';
import { meridianMap } from '../test-kit/meridian-map.js';

const conn = '0b6f0c8e-8d8a-4a47-9d4b-7b1f4d1c2a10';
type Mutable = Record<string, unknown> & { forms: Record<string, unknown>[]; screens: Record<string, unknown>[] };
const copy = (): Mutable => structuredClone(exampleMap(conn)) as unknown as Mutable;
const paths = (v: unknown): string[] => screenMapProblems(v).map((p) => `${p.path} ${p.message}`);

describe('screen map validation', () => {
  it('accepts a complete map', () => {
    assert.deepEqual(screenMapProblems(exampleMap(conn)), []);
    assert.equal(validateScreenMap(exampleMap(conn)).forms[0]?.id, 'task');
  });

  it("accepts a form's lookup when it names a read of the map and one of its columns", () => {
    const m = meridianMap('http://127.0.0.1:8080');
    assert.deepEqual(screenMapProblems(m), []);
    const wrong = { ...m, forms: m.forms.map((f) => ({ ...f, lookup: { read: 'patient-tasks', column: 'ref' } })) };
    assert.deepEqual(paths(wrong), ['/forms/0/lookup/column names no column of read patient-tasks']);
    const none = { ...m, forms: m.forms.map((f) => ({ ...f, lookup: { read: 'inbox', column: 'reference' } })) };
    assert.deepEqual(paths(none), ['/forms/0/lookup/read names no read of the map']);
  });

  it("checks a read's event fields: the columns its rows need, and vocabularies of its own columns only", () => {
    const m = meridianMap('http://127.0.0.1:8080');
    const read = m.reads?.[0];
    assert.ok(read);
    const withRead = (r: Record<string, unknown>): unknown => ({ ...m, reads: [{ ...read, ...r }] });
    assert.deepEqual(
      paths(
        withRead({
          rows: 'appointment',
          columns: [
            { key: 'id', header: 'No.' },
            { key: 'time', header: 'Time' },
            { key: 'patient', header: 'Patient' },
            { key: 'status', header: 'Status' },
            { key: 'reference', header: 'External reference' },
          ],
          values: { status: { 'Checked in': 'arrived' } },
          formats: { time: 'h:mm a' },
          day: {
            field: { role: 'textbox', name: 'Date' },
            format: 'dd.MM.yyyy',
            submit: { role: 'button', name: 'Go' },
          },
        }),
      ),
      [],
    );
    assert.deepEqual(paths(withRead({ rows: 'appointment' })), [
      '/reads/0/columns a read of appointments needs a column with key id',
      '/reads/0/columns a read of appointments needs a column with key time',
      '/reads/0/columns a read of appointments needs a column with key patient',
      '/reads/0/columns a read of appointments needs a column with key status',
    ]);
    assert.deepEqual(paths(withRead({ rows: 'schedule', values: { status: { Booked: 7 } } })), [
      '/reads/0/rows one of appointment, task',
      '/reads/0/values/status/Booked a string',
    ]);
    assert.deepEqual(paths(withRead({ values: { status: { Booked: 'booked' } }, formats: { when: 'HH:mm' } })), [
      '/reads/0 values or formats name status, which is no column of the read',
      '/reads/0 values or formats name when, which is no column of the read',
    ]);
  });

  it('names the path of each shape problem, unknown fields included, all at once', () => {
    const m = copy();
    const field = (m.forms[0] as { templates: { fields: Record<string, unknown>[] }[] }).templates[0]!.fields[0]!;
    field['requried'] = true;
    field['kind'] = 'richtext';
    delete m['banner'];
    (m.screens[1] as Record<string, unknown>)['landmarks'] = 'main';
    const got = paths(m);
    assert.ok(got.includes('/banner required'), got.join('\n'));
    assert.ok(
      got.some((p) => p.startsWith('/forms/0/templates/0/fields/0/requried not a field')),
      got.join('\n'),
    );
    assert.ok(got.includes('/forms/0/templates/0/fields/0/kind one of text, markdown, json, date, dropdown'));
    assert.ok(got.includes('/screens/1/landmarks an array'));
    assert.throws(
      () => validateScreenMap(m),
      (e: unknown) => e instanceof ValidationError && e.code === 'VALIDATION_FAILED' && e.details.length === got.length,
    );
  });

  it('refuses screen references, a banner of one identifier, bad paths and bad field keys', () => {
    const m = copy();
    (m.forms[0] as Record<string, unknown>)['after'] = 'task-list';
    (m.forms[0] as Record<string, unknown>)['screen'] = 'login';
    (m['banner'] as { identifiers: unknown[] }).identifiers.pop();
    (m.screens[2] as Record<string, unknown>)['path'] = '/web/patients/:id(';
    const fields = (m.forms[0] as { templates: { fields: Record<string, unknown>[] }[] }).templates[0]!.fields;
    fields[0]!['key'] = 'note text';
    fields[1]!['key'] = 'identifier:http://example.org/mrn';
    delete fields[1]!['dateFormat'];
    const got = paths(m);
    assert.ok(got.includes('/banner/identifiers at least 2 items'), got.join('\n'));
    assert.ok(
      got.some((p) => p.startsWith('/forms/0/templates/0/fields/0/key a slash path')),
      got.join('\n'),
    );
    // The shape is wrong, so references are not checked yet: fix the shape and they are.
    (m['banner'] as { identifiers: unknown[] }).identifiers.push({ system: 'urn:other', label: 'SSN last 4' });
    fields[0]!['key'] = 'description';
    const meaning = paths(m);
    assert.ok(meaning.includes('/forms/0/after names screen task-list, which is not in /screens'), meaning.join('\n'));
    assert.ok(
      meaning.includes('/forms/0/screen screen login is a login screen; here it must be work'),
      meaning.join('\n'),
    );
    assert.ok(
      meaning.some((p) => p.startsWith('/screens/2/path not a URLPattern pathname')),
      meaning.join('\n'),
    );
    assert.ok(meaning.includes('/forms/0/templates/0/fields/1/dateFormat required for a date: the form’s own format'));
    assert.equal(meaning.length, 4, meaning.join('\n'));
  });

  it('refuses a map that is not an object, and a draft with blanks still to fill', () => {
    assert.deepEqual(paths(null), ['/ an object']);
    const m = copy();
    (m['patientSearch'] as Record<string, unknown>)['system'] = '';
    assert.deepEqual(paths(m), ['/patientSearch/system empty: fill it in']);
  });
});

describe('screen map diff', () => {
  it('names the screens, fields and labels that changed, matching list items by id and key', () => {
    const a = exampleMap(conn);
    const b = copy();
    const fields = (b.forms[0] as { templates: { fields: Record<string, unknown>[] }[] }).templates[0]!.fields;
    fields[0]!['label'] = 'Reason';
    fields.reverse();
    fields.push({ key: 'code/text', label: 'Task type', kind: 'text' });
    b.screens.pop();
    const d = diffScreenMaps(a, b as never, 1, 2);
    const lines = d.changes.map((c) => `${c.change} ${c.path}`);
    assert.ok(lines.includes('changed /forms/task/templates/default/fields/description/label'), lines.join('\n'));
    assert.ok(lines.includes('added /forms/task/templates/default/fields/code~1text'), lines.join('\n'));
    assert.ok(d.summary.fields.includes('task/default/code~1text'));
    assert.ok(lines.includes('reordered /forms/task/templates/default/fields'), lines.join('\n'));
    assert.ok(lines.includes('removed /screens/task-form'), lines.join('\n'));
    assert.deepEqual(d.summary.screens, ['task-form']);
    assert.equal(d.summary.labels, 1);
    assert.ok(d.summary.fields.includes('task/default/description'));
    const label = d.changes.find((c) => c.path.endsWith('description/label'));
    assert.equal(label?.before, 'Reason for task');
    assert.equal(label?.after, 'Reason');
  });

  it('lists a first map screen by screen', () => {
    const d = diffScreenMaps(null, exampleMap(conn), null, 1);
    assert.deepEqual(d.summary.screens, ['login', 'patient-search', 'chart', 'task-form']);
    assert.deepEqual(d.summary.forms, ['task']);
    assert.deepEqual(
      d.changes.filter((c) => c.change !== 'added'),
      [],
      'a first map only adds',
    );
  });
});

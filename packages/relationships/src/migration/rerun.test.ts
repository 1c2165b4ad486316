/**
 * Fast cases of fix-and-rerun and of dates: how a re-run sorts a filed record's notes (new, moved,
 * changed), and every date field, note dates included, read in the mapping's `dateOrder`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { defaultRelationshipTypes } from '../model/index.js';
import type { ContactMapping } from './mapping.js';
import { normalizeSource, type SourceNote } from './normalize.js';
import { notesDelta } from './rerun.js';
import { readContactSource, type SourceRow } from './source-reader.js';

const note = (key: string, text: string, row = 2): SourceNote => ({
  key,
  file: 'notes.csv',
  row,
  text,
  author: 'Staff A',
  authoredAt: '2024-03-14',
});
const stored = (n: SourceNote) => ({ key: n.key, text: n.text, author: n.author, authoredAt: n.authoredAt });

describe('a re-run of a filed record', () => {
  it('adds the notes that became valid, keeps the stored ones, and lists a note whose id now holds other text', () => {
    const d = notesDelta(
      [note('N1', 'first'), note('N2', 'fixed since'), note('N3', 'edited text')],
      [stored(note('N1', 'first')), stored(note('N3', 'original text'))],
      false,
    );
    assert.deepEqual(
      d.unchanged.map((n) => n.key),
      ['N1'],
    );
    assert.deepEqual(
      d.added.map((n) => n.key),
      ['N2'],
    );
    assert.deepEqual(
      d.changed.map((n) => n.key),
      ['N3'],
    );
  });

  it('without a note id column, a note that moved rows is unchanged and a new note at an old row is new', () => {
    // Row 2 was refused and deleted from the file: the note stored as row 3 is now row 2.
    const d = notesDelta(
      [note('notes.csv:2', 'was row three'), note('notes.csv:3', 'a new note')],
      [stored(note('notes.csv:3', 'was row three'))],
      true,
    );
    assert.deepEqual(
      d.unchanged.map((n) => n.text),
      ['was row three'],
    );
    assert.deepEqual(
      d.added.map((n) => n.text),
      ['a new note'],
    );
    assert.equal(d.changed.length, 0);
  });

  it('two identical notes stored once: the second is new', () => {
    const d = notesDelta([note('N1', 'same'), note('N2', 'same')], [stored(note('N1', 'same'))], false);
    assert.deepEqual(
      d.added.map((n) => n.key),
      ['N2'],
    );
  });
});

describe('dates by the mapping’s dateOrder', () => {
  const mapping = (dateOrder: 'us' | 'intl'): ContactMapping => ({
    source: 'test',
    dateOrder,
    contacts: { id: 'id', family: 'family', birthDate: 'dob' },
    relationships: { from: 'from', to: 'to', type: 'type', start: 'start' },
    notes: { id: 'id', contact: 'contact', author: 'author', time: 'at', text: 'text' },
  });
  const rows = (file: string, list: Record<string, string>[]): SourceRow[] =>
    list.map((values, i) => ({ file, row: i + 2, values }));
  const run = (dateOrder: 'us' | 'intl', times: readonly string[]) =>
    normalizeSource(
      {
        mapping: mapping(dateOrder),
        digest: '0'.repeat(64),
        contacts: rows('contacts.csv', [
          { id: 'P1', family: 'Rivera', dob: '03/04/1970' },
          { id: 'P2', family: 'Okafor', dob: '1980-12-01' },
        ]),
        relationships: rows('relationships.csv', [{ from: 'P2', to: 'P1', type: 'spouse', start: '03/04/2001' }]),
        notes: rows(
          'notes.csv',
          times.map((at, i) => ({ id: `N${i}`, contact: 'P1', author: 'Staff', at, text: `note ${i}` })),
        ),
      },
      new Map(defaultRelationshipTypes.map((t) => [t.code, t])),
    );

  it('US order: birth dates, relationship periods and note dates, with or without a time', () => {
    const n = run('us', [
      '03/14/2024',
      '3/14/2024 2:05 PM',
      '03/14/2024 14:05:09',
      '2024-03-14T09:00:00Z',
      '12/31/2023 12:00 AM',
    ]);
    assert.deepEqual(n.listed, []);
    assert.equal(n.contacts[0]?.data.birthDate, '1970-03-04');
    assert.equal(n.relationships[0]?.validFrom, '2001-03-04');
    assert.deepEqual(
      n.contacts[0]?.notes.map((x) => x.authoredAt),
      ['2024-03-14', '2024-03-14T14:05:00', '2024-03-14T14:05:09', '2024-03-14T09:00:00Z', '2023-12-31T00:00:00'],
    );
  });

  it('international order reads day first; a day that does not exist is listed with its field', () => {
    const n = run('intl', ['14/03/2024 09:30', '03/14/2024', '31/02/2024', '14/03/2024 13:00 PM']);
    assert.equal(n.contacts[0]?.data.birthDate, '1970-04-03');
    assert.deepEqual(
      n.contacts[0]?.notes.map((x) => x.authoredAt),
      ['2024-03-14T09:30:00'],
    );
    assert.deepEqual(
      n.listed.map((l) => [l.kind, l.row, l.field, l.reason]),
      [
        ['note', 3, 'at', 'not a calendar date'],
        ['note', 4, 'at', 'not a calendar date'],
        ['note', 5, 'at', 'not a time of day'],
      ],
    );
  });
});

describe('the worked example of docs/contacts-import.md', () => {
  it('reads whole: every contact, relationship and note, US dates read as such', async () => {
    const dir = fileURLToPath(new URL('../../../../docs/examples/contacts/', import.meta.url));
    const source = await readContactSource(`${dir}contacts.csv`, `${dir}mapping.json`);
    const n = normalizeSource(source, new Map(defaultRelationshipTypes.map((t) => [t.code, t])));
    assert.deepEqual(n.listed, []);
    assert.deepEqual(
      n.counts,
      { contacts: 5, relationships: 5, notes: 3 },
      'four relationship rows and one guarantor link',
    );
    assert.deepEqual(n.relationships.map((r) => r.type).sort(), [
      'case-manager',
      'family-caregiver',
      'guarantor',
      'insurance-broker',
      'referring-provider',
    ]);
    assert.equal(n.contacts.find((c) => c.key === 'P100')?.notes[0]?.authoredAt, '2025-03-14T14:05:00');
  });
});

/**
 * @module What a source record's content hash covers, and the snapshot kept as its provenance.
 * The hash is keyed (the field cipher's blind index), so a stored hash reveals nothing about
 * short values; it is computed from the source before writing and recomputed from what was
 * stored after, which is the reconciliation's per-record check.
 */
import { canonicalJson, type FieldCipher } from '@steward/governance';
import type { Note, PartyData, PartyKind } from '../model/types.js';
import type { SourceContact, SourceNote, SourceRelationship } from './normalize.js';

export interface NoteContent {
  readonly key: string;
  readonly text: string;
  readonly author: string;
  readonly authoredAt: string;
}

export interface ContactSnapshot {
  readonly kind: 'contact';
  readonly key: string;
  readonly location: string;
  readonly partyKind: PartyKind;
  readonly data: Omit<PartyData, 'provenance'>;
}

export interface RelationshipSnapshot {
  readonly kind: 'relationship';
  readonly key: string;
  readonly location: string;
  readonly type: string;
  readonly from: string;
  readonly to: string;
  readonly validFrom: string | null;
  readonly validTo: string | null;
  readonly permissions: readonly string[];
}

export type Snapshot = ContactSnapshot | RelationshipSnapshot;

export function contactSnapshot(c: SourceContact): ContactSnapshot {
  return { kind: 'contact', key: c.key, location: `${c.file}:${c.row}`, partyKind: c.kind, data: c.data };
}

export function relationshipSnapshot(r: SourceRelationship): RelationshipSnapshot {
  return {
    kind: 'relationship',
    key: r.key,
    location: `${r.file}:${r.row}`,
    type: r.type,
    from: r.from,
    to: r.to,
    validFrom: r.validFrom ?? null,
    validTo: r.validTo ?? null,
    permissions: r.permissions,
  };
}

export function noteContent(n: SourceNote): NoteContent {
  return { key: n.key, text: n.text, author: n.author, authoredAt: n.authoredAt };
}

export function storedNoteContent(n: Note): NoteContent {
  return { key: n.provenance.id ?? '', text: n.text, author: n.author, authoredAt: n.authoredAt };
}

export function contentHash(cipher: FieldCipher, snapshot: Snapshot, notes: readonly NoteContent[]): Buffer {
  // Where the row was is provenance, not content: the same record moved in the file is unchanged.
  const content = Object.fromEntries(Object.entries(snapshot).filter(([k]) => k !== 'location'));
  // Keys of notes without an id column are rows, which two notes can share across re-runs: the content breaks ties.
  const sorted = notes
    .map((n) => ({ key: n.key, c: noteText(n) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.c < b.c ? -1 : a.c > b.c ? 1 : 0));
  // canonicalJson({ content, notes }) with each note's text made once: "content" < "notes".
  let text = `{"content":${canonicalJson(content)},"notes":[`;
  for (let i = 0; i < sorted.length; i++) text += (i === 0 ? '' : ',') + (sorted[i] as { c: string }).c;
  return cipher.blindIndex('rel.content', `${text}]}`);
}

/** canonicalJson of a note's content, without the generic walk when its fields are the strings they should be. */
function noteText(n: NoteContent): string {
  const { author, authoredAt, key, text } = n;
  if (
    typeof author !== 'string' ||
    typeof authoredAt !== 'string' ||
    typeof key !== 'string' ||
    typeof text !== 'string' ||
    Object.keys(n).length !== 4
  )
    return canonicalJson(n);
  // Keys in sorted order, as canonicalJson writes them.
  return `{"author":${JSON.stringify(author)},"authoredAt":${JSON.stringify(authoredAt)},"key":${JSON.stringify(key)},"text":${JSON.stringify(text)}}`;
}

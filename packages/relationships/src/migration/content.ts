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
  const sorted = [...notes]
    .map((n) => ({ n, c: canonicalJson(n) }))
    .sort((a, b) => (a.n.key < b.n.key ? -1 : a.n.key > b.n.key ? 1 : a.c < b.c ? -1 : a.c > b.c ? 1 : 0))
    .map((x) => x.n);
  return cipher.blindIndex('rel.content', canonicalJson({ content, notes: sorted }));
}

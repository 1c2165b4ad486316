/**
 * @module What a re-run does with a source record an earlier import already filed, when the
 * record's content hash (its own fields and all its notes) no longer matches: the usual case is
 * not an edited contact but a fixed notes file, whose newly valid notes belong to a contact that
 * landed before. The contact's own fields are compared with its stored snapshot, and its notes
 * one by one with the notes stored with it, so the new notes land on the existing person (and the
 * record's hash is brought up to date, so the next run sees it unchanged) instead of the whole
 * contact and every note of it being refused on every run.
 *
 * Known limits: a changed field of the contact or relationship itself is listed, not applied; a
 * note whose source id is kept but whose text changed is listed, not updated; a stored note the
 * source no longer has is kept (nothing imported is ever removed by an import).
 */
import { canonicalJson } from '@steward/governance';
import type { NoteContent, Snapshot } from './content.js';
import type { SourceNote } from './normalize.js';

export interface NotesDelta {
  /** Source notes already stored (by id and content, or by content alone: a note that moved rows). */
  readonly unchanged: readonly SourceNote[];
  /** Source notes to land on the record's party or relationship. */
  readonly added: readonly SourceNote[];
  /** Source notes whose id is stored with other content: listed, never overwritten. */
  readonly changed: readonly SourceNote[];
}

const body = (n: NoteContent | SourceNote): string =>
  canonicalJson({ text: n.text, author: n.author, authoredAt: n.authoredAt });

/**
 * Compares a record's notes in the source with those stored with it. `keyedByRow` says the
 * notes have no id column (their key is `file:row`), so a key says where a note was, not which
 * note it is: a key stored with other content is then a different note, not a changed one.
 */
export function notesDelta(
  source: readonly SourceNote[],
  stored: readonly NoteContent[],
  keyedByRow: boolean,
): NotesDelta {
  const unchanged: SourceNote[] = [];
  const added: SourceNote[] = [];
  const changed: SourceNote[] = [];
  const free = new Map<string, NoteContent[]>();
  for (const s of stored) free.set(body(s), [...(free.get(body(s)) ?? []), s]);
  const storedKeys = new Set(stored.map((s) => s.key));
  const take = (n: SourceNote, sameKey: boolean): boolean => {
    const list = free.get(body(n)) ?? [];
    const i = sameKey ? list.findIndex((s) => s.key === n.key) : list.length > 0 ? 0 : -1;
    if (i < 0) return false;
    list.splice(i, 1);
    return true;
  };
  // Same id and content first, so a note that merely moved cannot take another's stored twin.
  const rest = source.filter((n) => !(take(n, true) && unchanged.push(n) > 0));
  for (const n of rest) {
    if (take(n, false)) unchanged.push(n);
    else if (!keyedByRow && storedKeys.has(n.key)) changed.push(n);
    else added.push(n);
  }
  return { unchanged, added, changed };
}

/** The record's own content (no notes, no location) is what is stored. */
export function sameRecord(source: Snapshot, stored: Snapshot | undefined): boolean {
  if (stored === undefined) return false;
  const strip = (s: Snapshot): string =>
    canonicalJson(Object.fromEntries(Object.entries(s).filter(([k]) => k !== 'location')));
  return strip(source) === strip(stored);
}

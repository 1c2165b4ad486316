/**
 * @module Names for the participants a workflow keeps (a referral's requester and destination, a
 * follow-up's owner), asked of the clinic directory once per connection and site. A participant the
 * directory cannot name (or with no directory) stays its raw reference, `unresolved`: never dropped.
 */
import type { RequestContext } from '@steward/core';
import { unresolvedParticipant, type ParticipantQuery, type ParticipantView } from '@steward/clinic';
import type { ParticipantNote } from '../referrals/referral-model.js';

/** What the services ask of the clinic directory (`DirectoryService.describe`). */
export interface ParticipantDirectory {
  describe(
    ctx: RequestContext,
    connectionId: string | null,
    participants: readonly ParticipantQuery[],
    site?: string | null,
  ): Promise<readonly ParticipantView[]>;
}

/** Where some notes were kept: the workflow's connection and site (the site its reader was allowed at). */
export interface NotesAt {
  readonly connectionId: string | null;
  readonly site: string | null;
  readonly notes: readonly (ParticipantNote | null)[];
}

/** Each note's view, asked once per connection and site; look a note up by identity. */
export async function nameParticipants(
  directory: ParticipantDirectory | undefined,
  ctx: RequestContext,
  at: readonly NotesAt[],
): Promise<ReadonlyMap<ParticipantNote, ParticipantView>> {
  const groups = new Map<string, { connectionId: string | null; site: string | null; notes: ParticipantNote[] }>();
  for (const { connectionId, site, notes } of at)
    for (const note of notes) {
      if (note === null) continue;
      const key = JSON.stringify([connectionId, site]);
      const group = groups.get(key) ?? { connectionId, site, notes: [] };
      group.notes.push(note);
      groups.set(key, group);
    }
  const views = new Map<ParticipantNote, ParticipantView>();
  for (const { connectionId, site, notes } of groups.values()) {
    const queries = notes.map((n) => ({ kind: n.kind, ref: n.ref, identifier: n.identifier ?? null }));
    const answered =
      directory !== undefined
        ? await directory.describe(ctx, connectionId, queries, site)
        : queries.map(unresolvedParticipant);
    notes.forEach((n, i) => views.set(n, answered[i] ?? unresolvedParticipant(queries[i]!)));
  }
  return views;
}

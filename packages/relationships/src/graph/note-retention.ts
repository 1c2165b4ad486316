/**
 * @module Retention for contact notes: deletes notes on contacts and relationships written before
 * the cut-off. Contacts are not patients, so a patient hold does not name them; a case hold
 * (which suspends every purge) does. Known limit: importing again from a source that still holds
 * the note files it anew, with a new date.
 */
import type { PurgeCount, PurgeRequest, RetentionPurger } from '@steward/governance';
import type { Sql } from '@steward/store';

export class ContactNoteRetention implements RetentionPurger {
  readonly kind = 'contact-notes' as const;

  async purge(tx: Sql, request: PurgeRequest): Promise<PurgeCount> {
    const { rows } = await tx.query<{ id: string }>(
      `delete from rel_notes where id in (
         select id from rel_notes where created_at < $1::timestamptz order by created_at, id limit $2)
       returning id`,
      [request.before, request.limit],
    );
    return { deleted: rows.length, kept: 0, more: rows.length >= request.limit };
  }
}

/**
 * @module Retention for the local outbox: deletes the sealed bodies of messages filed and due
 * before the cut-off (the local outbox is the delivery in embedded mode: its messages stay
 * `queued`, so the age is what counts; one held for quiet hours past the cut-off stays). A held patient's
 * messages are kept: the patient is named only inside the sealed body (its Steward id), so each
 * expired row is opened to check it, as the outbox itself would.
 */
import type { FieldCipher, PurgeCount, PurgeRequest, RetentionPurger } from '@steward/governance';
import type { Sql } from '@steward/store';

export class OutboxRetention implements RetentionPurger {
  readonly kind = 'message-bodies' as const;

  constructor(private readonly cipher: FieldCipher) {}

  async purge(tx: Sql, request: PurgeRequest): Promise<PurgeCount> {
    const held = new Set(request.held.flatMap((p) => (p.stewardId !== undefined ? [p.stewardId] : [])));
    const { rows } = await tx.query<{ id: string; body_enc: Uint8Array }>(
      `select id, body_enc from message_outbox
        where created_at < $1::timestamptz and not_before < $1::timestamptz order by created_at, id limit $2`,
      [request.before, request.limit],
    );
    const doomed: string[] = [];
    let kept = 0;
    for (const r of rows) {
      if (held.size > 0) {
        const body = JSON.parse(this.cipher.decrypt(r.body_enc, `message_outbox:${r.id}`).toString('utf8')) as {
          patientId?: string;
        };
        if (body.patientId !== undefined && held.has(body.patientId)) {
          kept += 1;
          continue;
        }
      }
      doomed.push(r.id);
    }
    if (doomed.length > 0) await tx.query('delete from message_outbox where id = any($1::uuid[])', [doomed]);
    return { deleted: doomed.length, kept, more: rows.length >= request.limit };
  }
}

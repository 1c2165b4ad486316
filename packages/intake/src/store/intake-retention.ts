/**
 * @module Retention for intake documents (retention kind `intake-documents`): clears the sealed
 * bytes, page images, page text and fields of files received before the cut-off. What arrived, from
 * where, when, how it was sorted and where it went stay (no PHI), and so do their audit entries.
 * Files whose documents name a patient under a legal hold are kept.
 */
import { systemClock, type Clock } from '@steward/core';
import type { PurgeCount, PurgeRequest, RetentionPurger } from '@steward/governance';
import type { Sql } from '@steward/store';

export class IntakeRetention implements RetentionPurger {
  readonly kind = 'intake-documents' as const;

  constructor(private readonly clock: Clock = systemClock) {}

  async purge(tx: Sql, request: PurgeRequest): Promise<PurgeCount> {
    const held = request.held.flatMap((p) => (p.stewardId !== undefined ? [p.stewardId] : []));
    const heldFiles = `exists (select 1 from intake_documents d where d.file_id = f.id and d.patient_id = any($2::uuid[]))`;
    const { rows } = await tx.query<{ id: string }>(
      `select f.id from intake_files f where f.received_at < $1::timestamptz and f.purged_at is null and not ${heldFiles}
        order by f.received_at, f.id limit $3 for update`,
      [request.before, held, request.limit],
    );
    const ids = rows.map((r) => r.id);
    await tx.query(`update intake_files set content_enc = null, purged_at = $2 where id = any($1::uuid[])`, [
      ids,
      this.clock.now(),
    ]);
    await tx.query(`update intake_pages set image_enc = null, text_enc = null where file_id = any($1::uuid[])`, [ids]);
    await tx.query(`update intake_documents set fields_enc = null where file_id = any($1::uuid[])`, [ids]);
    const { rows: kept } = await tx.query<{ n: string | number }>(
      `select count(*) as n from intake_files f where f.received_at < $1::timestamptz and f.purged_at is null and ${heldFiles}`,
      [request.before, held],
    );
    return { deleted: ids.length, kept: Number(kept[0]?.n ?? 0), more: ids.length >= request.limit };
  }
}

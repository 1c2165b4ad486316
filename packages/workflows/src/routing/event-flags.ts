/**
 * @module The flagged-events list: events that were filed and routed, but carry something a
 * person should look at (`EhrEventFlag`: an SIU whose SCH-11 start disagrees with its resources,
 * a time read in the connection's zone because the sender gave no offset). The router records
 * them in its batch transaction; operators list them per connection (HTTP
 * `GET /ehr/connections/:name/flagged-events`). Codes, field names and references only, no PHI.
 */
import type { EhrEvent, EhrEventFlag } from '@steward/core';
import type { Sql } from '@steward/store';

export interface FlaggedEvent {
  readonly eventId: string;
  readonly seq: number;
  readonly type: string;
  readonly sourceRef: string;
  readonly occurredAt: string;
  readonly flags: readonly EhrEventFlag[];
}

/** Records an event's flags (none: nothing). Idempotent per event. */
export async function recordFlags(tx: Sql, event: EhrEvent, at: Date): Promise<boolean> {
  if (event.flags === undefined || event.flags.length === 0) return false;
  await tx.query(
    `insert into workflow_event_flags
       (connection_id, event_id, seq, event_type, source_ref, flags, occurred_at, recorded_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (connection_id, event_id) do nothing`,
    [
      event.connectionId,
      event.id,
      event.seq,
      event.type,
      event.sourceRef,
      JSON.stringify(event.flags.map((f) => ({ code: f.code, detail: f.detail }))),
      event.occurredAt,
      at,
    ],
  );
  return true;
}

/** A connection's flagged events, newest first, with how many there are in all. */
export async function flaggedEvents(
  sql: Sql,
  connectionId: string,
  limit = 100,
): Promise<{ readonly total: number; readonly items: readonly FlaggedEvent[] }> {
  const { rows } = await sql.query<{
    event_id: string;
    seq: string | number;
    event_type: string;
    source_ref: string;
    occurred_at: Date;
    flags: EhrEventFlag[] | string;
  }>(
    `select event_id::text as event_id, seq, event_type, source_ref, occurred_at, flags
       from workflow_event_flags where connection_id = $1 order by seq desc limit $2`,
    [connectionId, Math.max(1, Math.min(limit, 1000))],
  );
  const count = await sql.query<{ n: string | number }>(
    'select count(*) as n from workflow_event_flags where connection_id = $1',
    [connectionId],
  );
  return {
    total: Number(count.rows[0]?.n ?? 0),
    items: rows.map((r) => ({
      eventId: r.event_id,
      seq: Number(r.seq),
      type: r.event_type,
      sourceRef: r.source_ref,
      occurredAt: new Date(r.occurred_at).toISOString(),
      flags: typeof r.flags === 'string' ? (JSON.parse(r.flags) as EhrEventFlag[]) : r.flags,
    })),
  };
}

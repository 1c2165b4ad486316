/**
 * @module Retention for events out (ADR 0011, ADR 0019), two kinds with their own periods:
 *
 * - `events-out`: delivered webhook rows finished before the cut-off, and outbox events recorded
 *   before it that nothing needs any more: every live subscription has filed them (its cursor is
 *   past them) and no delivery of them is still pending or dead. A stream asked to resume from a
 *   purged event answers 404, as for any event no longer in the outbox.
 * - `event-dead-letters`: dead letters (given up after the last attempt) that were neither replayed
 *   nor delivered before their own, usually longer, cut-off. A dead letter's outbox event stays
 *   while the dead letter does, so a replay always has something to send.
 *
 * A patient under a legal hold keeps all three kinds of row (events name the Steward patient,
 * deliveries carry it as their order key).
 */
import type { PurgeCount, PurgeRequest, RetentionPurger } from '@steward/governance';
import type { Sql } from '@steward/store';

const heldIds = (request: PurgeRequest): string[] =>
  request.held.flatMap((h) => (h.stewardId !== undefined ? [h.stewardId] : []));

export class EventsOutRetention implements RetentionPurger {
  readonly kind = 'events-out' as const;

  async purge(tx: Sql, request: PurgeRequest): Promise<PurgeCount> {
    const held = heldIds(request);
    const delivered = await tx.query<{ held: boolean }>(
      `with expired as (
         select id, order_key = any($3::text[]) as held from events_deliveries
          where status = 'delivered' and updated_at < $1 order by updated_at, id limit $2),
       gone as (delete from events_deliveries d using expired x where d.id = x.id and not x.held returning d.id)
       select held from expired`,
      [request.before, request.limit, held],
    );
    const deliveredKept = delivered.rows.filter((r) => r.held).length;
    const deliveredGone = delivered.rows.length - deliveredKept;
    const room = request.limit - deliveredGone;
    if (room <= 0) return { deleted: deliveredGone, kept: deliveredKept, more: true };
    // Filed by every live subscription, and no delivery of it left (pending or dead): no one needs it.
    const events = await tx.query<{ held: boolean }>(
      `with filed as (select coalesce(min(after_position), 9223372036854775807) as upto
                        from events_subscriptions where deleted_at is null),
       expired as (
         select o.position, coalesce(o.patient_id::text = any($3::text[]), false) as held
           from events_outbox o, filed f
          where o.recorded_at < $1 and o.position <= f.upto
            and not exists (select 1 from events_subscriptions s join events_deliveries d
                              on d.subscription_id = s.id and d.position = o.position)
          order by o.position limit $2),
       gone as (delete from events_outbox o using expired x where o.position = x.position and not x.held
                returning o.position)
       select held from expired`,
      [request.before, room, held],
    );
    const eventsKept = events.rows.filter((r) => r.held).length;
    const deleted = deliveredGone + events.rows.length - eventsKept;
    return {
      deleted,
      kept: deliveredKept + eventsKept,
      more: delivered.rows.length >= request.limit || events.rows.length >= room,
    };
  }
}

export class EventDeadLetterRetention implements RetentionPurger {
  readonly kind = 'event-dead-letters' as const;

  async purge(tx: Sql, request: PurgeRequest): Promise<PurgeCount> {
    const { rows } = await tx.query<{ held: boolean }>(
      `with expired as (
         select id, order_key = any($3::text[]) as held from events_deliveries
          where status = 'dead' and updated_at < $1 order by updated_at, id limit $2),
       gone as (delete from events_deliveries d using expired x where d.id = x.id and not x.held returning d.id)
       select held from expired`,
      [request.before, request.limit, heldIds(request)],
    );
    const kept = rows.filter((r) => r.held).length;
    return { deleted: rows.length - kept, kept, more: rows.length >= request.limit };
  }
}

/**
 * Events out, faster delivery (issue 18, ADR 0019): a head-of-line flag per (subscription, patient).
 *
 * `head` marks the one pending delivery of its subscription and `order_key` that may be sent: the
 * oldest. A claim reads only heads that are due (`events_deliveries_heads`), so its cost follows the
 * rows it claims, not the rows waiting behind them. The flag moves only while the subscription's
 * row is locked (`select … for update` on `events_subscriptions`, in its own statement so what
 * follows sees every committed change): the fan-out gives it to a new row whose key has no pending
 * head, the recording of an answer takes it from a delivered or dead row and gives it to the next
 * pending row of the key, and a replay gives it to a dead letter whose key has no pending head.
 *
 * `events_deliveries_finished` serves the retention purge (delivered rows past their age).
 */
export const sql = `
alter table events_deliveries add column head boolean not null default false;
update events_deliveries set head = true
 where id in (select distinct on (subscription_id, order_key) id from events_deliveries
               where status = 'pending' order by subscription_id, order_key, position);
drop index events_deliveries_pending;
create index events_deliveries_heads on events_deliveries (next_attempt_at, position) where status = 'pending' and head;
-- At most one pending head per subscription and key: the order rule, held by the database too.
create unique index events_deliveries_head_keys on events_deliveries (subscription_id, order_key)
  where status = 'pending' and head;
create index events_deliveries_finished on events_deliveries (updated_at) where status = 'delivered';
`;

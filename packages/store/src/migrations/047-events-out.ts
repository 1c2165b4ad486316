/**
 * Events out (issue 18, ADR 0019): the outbox of normalised events Steward publishes, the capture
 * cursors that fill it from the EHR journal and the proposals' history, webhook subscriptions and
 * their deliveries.
 *
 * `events_outbox` is written only by the capture, each transaction holding the events advisory lock
 * from before its first insert to its commit, so `position` (a sequence) is handed out in commit
 * order: a reader that has seen position N has seen every committed row below N, and a tail by
 * position never skips a row committed late. The PHI part (the patient's identifiers and the
 * event's facts) is sealed with the key ring, bound to the row (`events_outbox:<id>`); the filter
 * columns hold ids and codes only (site, type, Steward patient id, resource reference).
 *
 * `events_deliveries` is one row per (subscription, event): pending until delivered or dead (the
 * dead-letter list). `order_key` (the Steward patient, or the event itself when there is none)
 * orders a subscription's deliveries: a row is sent only when no earlier pending row of the same
 * key exists. `attempt_log` keeps every attempt (time, status code or error code, duration; never a
 * body). A lease (`lease_until`) lets any number of workers share the table; a worker that dies
 * leaves leases that expire, and the rows are sent again (at least once).
 */
export const sql = `
create table events_outbox (
  position bigserial primary key,
  id uuid not null unique,
  type text not null,
  site text not null,
  patient_id uuid,
  occurred_at timestamptz not null,
  recorded_at timestamptz not null,
  source_key text not null unique,
  refs jsonb not null,
  data_enc bytea
);
create index events_outbox_site on events_outbox (site, position);
-- Where a stream asked to start at a time (since=) begins.
create index events_outbox_recorded on events_outbox (recorded_at);

create table events_capture_cursors (
  source text primary key,
  position bigint not null
);

create table events_subscriptions (
  id uuid primary key,
  account_id uuid not null,
  account_name text not null,
  destination_id uuid not null,
  url text not null,
  types text[] not null,
  secret_enc bytea not null,
  after_position bigint not null,
  -- The workflow the subscribing request named (X-Steward-Workflow): deliveries are decided in it,
  -- so a grant scoped to one workflow covers its own subscription.
  workflow text,
  created_by text not null,
  created_at timestamptz not null,
  deleted_at timestamptz
);
create index events_subscriptions_account on events_subscriptions (account_id) where deleted_at is null;

create table events_deliveries (
  id uuid primary key,
  subscription_id uuid not null references events_subscriptions (id),
  position bigint not null,
  event_id uuid not null,
  order_key text not null,
  status text not null check (status in ('pending', 'delivered', 'dead')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  lease_until timestamptz,
  last_status integer,
  last_error text,
  attempt_log jsonb not null default '[]',
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (subscription_id, position)
);
create index events_deliveries_pending on events_deliveries (position) where status = 'pending';
create index events_deliveries_order on events_deliveries (subscription_id, order_key, position) where status = 'pending';
create index events_deliveries_dead on events_deliveries (subscription_id, updated_at, id) where status = 'dead';

do $$
begin
  if exists (select 1 from pg_roles where rolname = 'steward_app') then
    grant select, insert, delete on events_outbox to steward_app;
    grant select, insert, update on events_capture_cursors, events_subscriptions to steward_app;
    grant select, insert, update, delete on events_deliveries to steward_app;
    grant usage on sequence events_outbox_position_seq to steward_app;
  end if;
end $$;
`;

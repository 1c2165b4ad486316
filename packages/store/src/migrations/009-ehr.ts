/**
 * EHR connectivity: the registered connections (one EHR interface at one site, with its SMART
 * client key sealed), the inbound journal (every message received, stored sealed, with
 * duplicates refused by key and unparseable ones kept as dead letters), the normalized events in
 * arrival order, and the polling high-water marks.
 */
export const sql = `
create table ehr_connections (
  id uuid primary key,
  name text not null unique,
  site text not null,
  vendor text not null,
  fhir_base_url text,
  client_id text,
  private_key_enc bytea,
  scopes text not null default '',
  facility_time_zone text not null,
  settings jsonb not null default '{}'::jsonb,
  enabled boolean not null default true,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

create table ehr_inbound (
  id uuid primary key,
  connection_id uuid not null references ehr_connections (id),
  channel text not null,
  message_key text not null,
  message_type text not null,
  status text not null check (status in ('stored', 'dead-letter')),
  reason text,
  raw_enc bytea not null,
  received_at timestamptz not null,
  unique (connection_id, channel, message_key)
);
create index ehr_inbound_dead_letters on ehr_inbound (connection_id, received_at) where status = 'dead-letter';

create table ehr_events (
  seq bigserial primary key,
  id uuid not null unique,
  connection_id uuid not null references ehr_connections (id),
  inbound_id uuid references ehr_inbound (id),
  type text not null,
  dedup_key text not null,
  patient_key bytea,
  occurred_at timestamptz not null,
  data_enc bytea not null,
  recorded_at timestamptz not null,
  unique (connection_id, dedup_key)
);
create index ehr_events_patient on ehr_events (patient_key, seq);

create table ehr_sync_state (
  connection_id uuid not null references ehr_connections (id),
  resource_type text not null,
  high_water text not null,
  updated_at timestamptz not null,
  primary key (connection_id, resource_type)
);

do $$
begin
  if exists (select 1 from pg_roles where rolname = 'steward_app') then
    grant select, insert, update, delete on ehr_connections, ehr_sync_state to steward_app;
    grant select, insert, update on ehr_inbound, ehr_events to steward_app;
    grant usage on sequence ehr_events_seq_seq to steward_app;
  end if;
end $$;
`;

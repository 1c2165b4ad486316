/**
 * The tamper-evident audit log. Each entry's hash commits to the previous entry's hash; signed
 * checkpoints commit to the head. Rows can be inserted and read, never changed: a trigger refuses
 * UPDATE, DELETE and TRUNCATE for every role, and the application role has no such privilege.
 */
export const sql = `
create table audit_log (
  seq bigint primary key,
  at timestamptz not null,
  actor_id text not null,
  action text not null,
  event text not null,
  outcome text not null,
  patient_ids text[] not null default '{}',
  entry text not null,
  prev_hash bytea not null,
  hash bytea not null
);
create index audit_log_at on audit_log (at);
create index audit_log_actor_at on audit_log (actor_id, at);
create index audit_log_patients on audit_log using gin (patient_ids);

create table audit_signing_keys (
  id text primary key,
  public_key text not null,
  private_key_enc bytea not null,
  created_at timestamptz not null default now()
);

create table audit_checkpoints (
  seq bigint primary key,
  hash bytea not null,
  at timestamptz not null,
  key_id text not null references audit_signing_keys (id),
  signature bytea not null
);

create function audit_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'audit rows are append-only (% on %)', tg_op, tg_table_name
    using errcode = 'insufficient_privilege';
end $$;

create trigger audit_log_append_only before update or delete on audit_log
  for each row execute function audit_refuse_change();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_refuse_change();
create trigger audit_checkpoints_append_only before update or delete on audit_checkpoints
  for each row execute function audit_refuse_change();
create trigger audit_checkpoints_no_truncate before truncate on audit_checkpoints
  for each statement execute function audit_refuse_change();
create trigger audit_signing_keys_append_only before update or delete on audit_signing_keys
  for each row execute function audit_refuse_change();
`;

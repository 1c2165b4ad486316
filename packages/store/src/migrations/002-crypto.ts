/** Envelope encryption: data keys, each wrapped by a master key, never stored in the clear. */
export const sql = `
create table data_keys (
  id text primary key,
  purpose text not null check (purpose in ('field', 'index')),
  master_key_id text not null,
  wrapped bytea not null,
  status text not null check (status in ('active', 'retired')),
  created_at timestamptz not null default now()
);
create unique index data_keys_one_active on data_keys (purpose) where status = 'active';
`;

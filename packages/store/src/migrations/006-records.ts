/**
 * PHI records: one encrypted document per record, with the site and patient it belongs to in the
 * clear (policy needs them) and keyed blind indexes for exact-value lookups.
 */
export const sql = `
create table records (
  id uuid primary key,
  kind text not null,
  site text not null,
  patient_id uuid,
  version integer not null,
  data_enc bytea not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index records_kind_site on records (kind, site);
create index records_patient on records (patient_id);

create table record_index (
  record_id uuid not null references records (id) on delete cascade,
  field text not null,
  digest bytea not null,
  primary key (record_id, field, digest)
);
create index record_index_lookup on record_index (field, digest);
`;

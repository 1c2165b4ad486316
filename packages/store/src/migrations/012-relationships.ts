/**
 * The relationships graph (docs/adr/0008-relationships-graph.md): people and organizations
 * ("parties"), typed and time-bounded relationships between them, notes on either, the
 * per-practice relationship type list, and durable import bookkeeping. Names, contact details,
 * birth dates and note bodies are sealed (`*_enc`, row-bound); lookups go through keyed blind
 * indexes. In the clear, because policy and the authority check need them: the site, the party
 * kind, a relationship's type, ends, period and permissions.
 */
export const sql = `
create table rel_parties (
  id uuid primary key,
  site text not null,
  kind text not null check (kind in ('person', 'organization')),
  version integer not null,
  data_enc bytea not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index rel_parties_site on rel_parties (site, created_at, id);

create table rel_party_index (
  party_id uuid not null references rel_parties (id) on delete cascade,
  field text not null,
  digest bytea not null,
  primary key (party_id, field, digest)
);
create index rel_party_index_lookup on rel_party_index (field, digest);

create table rel_relationship_types (
  site text not null,
  code text not null,
  definition jsonb not null,
  updated_at timestamptz not null,
  primary key (site, code)
);

create table rel_relationships (
  id uuid primary key,
  site text not null,
  type text not null,
  from_party uuid not null references rel_parties (id),
  to_party uuid not null references rel_parties (id),
  valid_from date,
  valid_to date,
  permissions text[] not null default '{}',
  data_enc bytea not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index rel_relationships_from on rel_relationships (from_party);
create index rel_relationships_to on rel_relationships (to_party);

create table rel_notes (
  id uuid primary key,
  site text not null,
  party_id uuid references rel_parties (id),
  relationship_id uuid references rel_relationships (id),
  -- Keyed digests: the note's own source key, and the source record it landed with.
  source_key bytea,
  origin_key bytea,
  data_enc bytea not null,
  created_at timestamptz not null,
  check ((party_id is null) <> (relationship_id is null))
);
create index rel_notes_party on rel_notes (party_id);
create index rel_notes_relationship on rel_notes (relationship_id);
create index rel_notes_origin on rel_notes (origin_key);

create table rel_import_runs (
  id uuid primary key,
  site text not null,
  source_digest bytea not null,
  status text not null check (status in ('running', 'finished')),
  report jsonb,
  started_at timestamptz not null,
  finished_at timestamptz
);
create index rel_import_runs_source on rel_import_runs (site, source_digest);

create table rel_source_records (
  site text not null,
  source_key bytea not null,
  kind text not null check (kind in ('contact', 'relationship')),
  status text not null check (status in ('landed', 'merged')),
  content_hash bytea not null,
  party_id uuid references rel_parties (id),
  relationship_id uuid references rel_relationships (id),
  run_id uuid not null references rel_import_runs (id),
  data_enc bytea not null,
  note_count integer not null,
  landed_at timestamptz not null,
  primary key (site, source_key)
);
create index rel_source_records_run on rel_source_records (run_id);

create table rel_merge_reviews (
  id uuid primary key,
  site text not null,
  -- No foreign keys: an item is filed with its party, before the candidate's own import is known
  -- to have landed; readers join both parties.
  party_id uuid not null,
  candidate_id uuid not null,
  reason text not null,
  run_id uuid references rel_import_runs (id),
  status text not null default 'open' check (status in ('open', 'merged', 'distinct')),
  created_at timestamptz not null,
  unique (party_id, candidate_id)
);

do $$
begin
  if exists (select 1 from pg_roles where rolname = 'steward_app') then
    grant select, insert, update, delete on
      rel_parties, rel_party_index, rel_relationship_types, rel_relationships, rel_notes,
      rel_import_runs, rel_source_records, rel_merge_reviews
      to steward_app;
  end if;
end $$;
`;

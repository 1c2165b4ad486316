/**
 * Intake documents (issue 19): files that arrived (a watched folder, the EHR, an upload, a fax or
 * e-mail provider's webhook), what was read from them, and where each document in them went.
 * PHI is sealed (AES-256-GCM under the key ring, bound to its row and column): the file's bytes,
 * page images and text, the fields read, an arrival's reference (a file name may name a patient).
 * Duplicates are found by `content_key`, an HMAC (the key ring's index key) of the content's
 * SHA-256, never a plain hash (a plain hash of a known document would be a dictionary oracle).
 * Every arrival attempt is a row, duplicates and refusals included, so nothing ends silently.
 */
export const sql = `
create table intake_files (
  id uuid primary key,
  site text not null,
  content_key bytea not null,
  media_type text not null,
  size_bytes integer not null check (size_bytes > 0),
  -- sealed bytes; null once retention cleared them (purged_at)
  content_enc bytea,
  state text not null check (state in ('received', 'read', 'unreadable')),
  unreadable_reason text,
  page_count integer,
  model_version text,
  received_at timestamptz not null,
  read_at timestamptz,
  purged_at timestamptz,
  unique (site, content_key)
);
create index intake_files_received on intake_files (received_at, id);

create table intake_pages (
  file_id uuid not null references intake_files (id) on delete cascade,
  idx integer not null check (idx >= 0),
  source text not null check (source in ('text-layer', 'ocr')),
  text_confidence real not null,
  blank boolean not null,
  cover_sheet boolean not null,
  -- sealed PNG, sealed text, sealed barcodes (JSON); null once retention cleared them
  image_enc bytea,
  text_enc bytea,
  primary key (file_id, idx)
);

create table intake_arrivals (
  id uuid primary key,
  site text not null,
  source text not null check (source in ('folder', 'hl7-mdm', 'fhir', 'upload', 'webhook')),
  brought_by_kind text not null,
  brought_by_id text not null,
  brought_by_name text not null,
  -- the file name, message control id or provider id as sealed text (may name a patient)
  reference_enc bytea,
  file_id uuid references intake_files (id) on delete set null,
  outcome text not null check (outcome in ('accepted', 'duplicate', 'unreadable')),
  outcome_detail text,
  received_at timestamptz not null
);
create index intake_arrivals_file on intake_arrivals (file_id);
create index intake_arrivals_received on intake_arrivals (site, received_at desc, id desc);

create table intake_documents (
  id uuid primary key,
  file_id uuid not null references intake_files (id) on delete cascade,
  site text not null,
  idx integer not null,
  pages integer[] not null,
  state text not null check (state in (
    'needs-sorting', 'needs-match', 'proposed-for-filing', 'filed', 'handed-off', 'rejected')),
  doc_type text,
  best_type text not null,
  confidence real not null,
  type_set_by text,
  complete boolean not null,
  -- checklist items (signature, page 2 of 2): names of what is missing, no values
  missing text[] not null,
  fields_enc bytea,
  patient_id uuid,
  match_reason text,
  matched_by text,
  proposal_id text,
  handoff_ids text[] not null default '{}',
  outcome_detail text,
  trail jsonb not null,
  version integer not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (file_id, idx)
);
create index intake_documents_queue on intake_documents (site, state, updated_at desc, id);
create index intake_documents_patient on intake_documents (patient_id) where patient_id is not null;

create table intake_policies (
  site text not null,
  version integer not null check (version > 0),
  auto_file_types text[] not null,
  confidence_floor real not null check (confidence_floor >= 0 and confidence_floor <= 1),
  intake_pool text,
  set_by text not null,
  set_at timestamptz not null,
  primary key (site, version)
);

create table intake_webhook_sources (
  name text primary key,
  site text not null,
  destination text not null,
  secret_enc bytea not null,
  created_by text not null,
  created_at timestamptz not null,
  disabled_at timestamptz
);

do $$
begin
  if exists (select 1 from pg_roles where rolname = 'steward_app') then
    grant select, insert, update, delete on intake_files, intake_pages, intake_arrivals, intake_documents to steward_app;
    grant select, insert on intake_policies to steward_app;
    grant select, insert, update on intake_webhook_sources to steward_app;
  end if;
end $$;
`;

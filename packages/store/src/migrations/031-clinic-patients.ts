/**
 * The patient index (packages/clinic/src/patients/): one Steward patient per person Steward meets,
 * across every identifier and EHR connection. PHI: identifiers are kept only as keyed blind
 * indexes (never in the clear), the minimum demographics (name, birth date, sex) are sealed.
 *
 * - `clinic_patients`: a Steward patient; a retired one (merged in the EHR, or linked by a
 *   reviewer) points at its survivor (`merged_into`, always a patient that is not itself retired).
 * - `clinic_patient_keys`: what finds a patient: an identifier (system|value, and its bare value
 *   for lookups without a system) or an EHR id on one connection.
 * - `clinic_patient_links`: the history of every link (a key added, a merge, a review opened or
 *   decided): what or who linked, when, from which event or review. Append-only.
 * - `clinic_patient_reviews`: uncertain candidates (same name and birth date, no shared
 *   identifier), kept apart until a person links or dismisses them.
 */
export const sql = `
create table clinic_patients (
  id uuid primary key,
  site text not null,
  demographics_enc bytea,
  match_key bytea,
  merged_into uuid references clinic_patients (id),
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index clinic_patients_match on clinic_patients (match_key) where match_key is not null;
create index clinic_patients_merged on clinic_patients (merged_into) where merged_into is not null;

create table clinic_patient_keys (
  key bytea primary key,
  kind text not null check (kind in ('identifier', 'ehr-id')),
  value_key bytea,
  patient_id uuid not null references clinic_patients (id),
  connection_id uuid,
  created_at timestamptz not null
);
create index clinic_patient_keys_patient on clinic_patient_keys (patient_id);
create index clinic_patient_keys_value on clinic_patient_keys (value_key) where value_key is not null;

create table clinic_patient_links (
  seq bigserial primary key,
  at timestamptz not null,
  kind text not null check (kind in ('created', 'key-added', 'merged', 'review-opened', 'review-linked', 'review-dismissed')),
  patient_id uuid not null references clinic_patients (id),
  other_patient_id uuid references clinic_patients (id),
  key_kind text,
  source text not null check (source in ('ehr', 'review', 'api')),
  connection_id uuid,
  source_ref text,
  actor_id text not null
);
create index clinic_patient_links_patient on clinic_patient_links (patient_id, seq);

create table clinic_patient_reviews (
  id uuid primary key,
  patient_id uuid not null references clinic_patients (id),
  candidate_id uuid not null references clinic_patients (id),
  site text not null,
  reason text not null,
  status text not null check (status in ('open', 'linked', 'dismissed')),
  created_at timestamptz not null,
  decided_at timestamptz,
  decided_by text,
  unique (patient_id, candidate_id)
);
create index clinic_patient_reviews_open on clinic_patient_reviews (site, created_at) where status = 'open';

do $$
begin
  if exists (select 1 from pg_roles where rolname = 'steward_app') then
    grant select, insert, update on clinic_patients, clinic_patient_keys, clinic_patient_reviews to steward_app;
    grant select, insert on clinic_patient_links to steward_app;
    grant usage on sequence clinic_patient_links_seq_seq to steward_app;
  end if;
end $$;
`;

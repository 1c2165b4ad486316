/**
 * The clinic's directory (issue 15, item 3): practitioners, practitioner roles, organizations,
 * locations and healthcare services, per EHR connection, keyed by the EHR's id (`Practitioner/123`)
 * or, for what only HL7 v2 names, by an identifier (`Practitioner|<system>|<value>`). Display
 * names, specialties, telecom and addresses of practices: not PHI. A reference nobody could
 * resolve yet is a row with status `unresolved` and its raw reference, never dropped.
 * `network` is set by an administrator on an organization (audited as `config.changed`).
 */
export const sql = `
create table directory_entries (
  id uuid primary key,
  connection_id uuid not null,
  kind text not null check (kind in ('Practitioner', 'PractitionerRole', 'Organization', 'Location', 'HealthcareService')),
  key text not null,
  ehr_id text,
  status text not null check (status in ('resolved', 'unresolved')),
  display_name text,
  details jsonb not null,
  links jsonb not null,
  sources text[] not null,
  network text check (network in ('in', 'out')),
  network_set_by text,
  network_set_at timestamptz,
  last_error text,
  first_seen timestamptz not null,
  updated_at timestamptz not null,
  unique (connection_id, kind, key)
);
create index directory_entries_name on directory_entries (lower(display_name));
create table directory_identifiers (
  entry_id uuid not null references directory_entries (id) on delete cascade,
  system text not null,
  value text not null,
  primary key (entry_id, system, value)
);
create index directory_identifiers_lookup on directory_identifiers (system, value);
do $$
begin
  if exists (select 1 from pg_roles where rolname = 'steward_app') then
    grant select, insert, update on directory_entries to steward_app;
    grant select, insert, delete on directory_identifiers to steward_app;
  end if;
end $$;
`;

/**
 * The link between a Steward patient (the patient index) and a contact-graph party at the same
 * site (issue 16): made by a person who confirmed it, never by a guess, one party per patient per
 * site and one patient per party, removable. Ids only (no PHI in the clear); who linked, when.
 */
export const sql = `
create table rel_patient_links (
  site text not null,
  patient_id uuid not null,
  party_id uuid not null references rel_parties (id) on delete cascade,
  linked_by text not null,
  linked_at timestamptz not null,
  primary key (site, patient_id),
  unique (party_id)
);

do $$
begin
  if exists (select 1 from pg_roles where rolname = 'steward_app') then
    grant select, insert, update, delete on rel_patient_links to steward_app;
  end if;
end $$;
`;

/**
 * Referral rules per EHR connection: a site's changes to its vendor profile's default rules
 * (rules first, defaults switched off, what to decide otherwise). Codes and patterns only, no PHI.
 * Every change is audited (`ehr.connection_changed`); the row keeps who changed it last.
 */
export const sql = `
create table ehr_referral_rules (
  connection_id uuid primary key references ehr_connections (id),
  rules jsonb not null,
  version integer not null,
  updated_by text not null,
  updated_at timestamptz not null
);
do $$
begin
  if exists (select 1 from pg_roles where rolname = 'steward_app') then
    grant select, insert, update on ehr_referral_rules to steward_app;
  end if;
end $$;
`;

/**
 * Staff (issue 15): a staff record per user (display name, title, the practitioner they are, the
 * sites they work at, their lead) and their pool memberships (a pool is a named group at one site,
 * e.g. `north-coordinators`). No PHI. One row per user with a version (optimistic concurrency); its
 * history is the audit trail (`config.changed`, entity `Staff`). A pool exists while it has members.
 */
export const sql = `
create table staff (
  user_id uuid primary key,
  display_name text not null,
  title text,
  -- a directory entry id (uuid) or an NPI (10 digits); null: not a practitioner
  practitioner text,
  -- ["north", "west"]
  sites jsonb not null,
  lead_user_id uuid references staff (user_id),
  version integer not null,
  created_by text not null,
  created_at timestamptz not null,
  updated_by text not null,
  updated_at timestamptz not null
);
create index staff_lead on staff (lead_user_id);

create table staff_pool_members (
  pool text not null,
  site text not null,
  user_id uuid not null references staff (user_id) on delete cascade,
  primary key (pool, user_id)
);
create index staff_pool_members_user on staff_pool_members (user_id);
create index staff_pool_members_site on staff_pool_members (site, pool);

do $$
begin
  if exists (select 1 from pg_roles where rolname = 'steward_app') then
    grant select, insert, update on staff to steward_app;
    grant select, insert, update, delete on staff_pool_members to steward_app;
  end if;
end $$;
`;

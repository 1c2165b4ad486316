/**
 * Screen maps (issue 17): what Steward knows of one EHR's screens, per connection and site, as
 * versioned configuration changed only through review. Every version is kept: a proposal is
 * immutable, a second person approves or rejects it (never the proposer), and approving one
 * supersedes the approved version before it and every other open proposal (they were made on an
 * older map). No PHI: labels, roles and URL patterns only.
 */
export const sql = `
create table automation_screen_maps (
  connection_id uuid not null,
  site text not null,
  version integer not null check (version > 0),
  -- The ScreenMap (packages/automation/src/model/screen-map.ts), validated before it is stored.
  map jsonb not null,
  -- SHA-256 of the map's canonical JSON: what the reviewer approved, named in the audit entry.
  hash text not null,
  status text not null check (status in ('proposed', 'approved', 'rejected', 'superseded')),
  -- The approved version the proposal was made on (null: the first map of this connection and site).
  based_on integer,
  note text,
  proposed_by text not null,
  proposed_at timestamptz not null,
  reviewed_by text,
  reviewed_at timestamptz,
  reason text,
  superseded_by integer,
  primary key (connection_id, site, version)
);

do $$
begin
  if exists (select 1 from pg_roles where rolname = 'steward_app') then
    grant select, insert, update on automation_screen_maps to steward_app;
  end if;
end $$;
`;

/**
 * Sites (issue 15): a clinic site as an admin-managed record, keyed by the site code grants,
 * break-glass, EHR connections and workflows already carry. Its clock (IANA zone, business hours,
 * holidays, quiet hours), the EHR organizations and locations that belong to it, and free-form
 * references to its default owner pool and escalation contacts. No PHI. One row per site with a
 * version (optimistic concurrency); its history is the audit trail (`site.created`, `site.changed`).
 */
export const sql = `
create table sites (
  id text primary key,
  name text not null,
  zone text not null,
  -- {"mon": {"open": "08:00", "close": "17:00"} | null, … "sun": …}
  business_hours jsonb not null,
  -- ["2026-12-25", …]
  holidays jsonb not null,
  -- {"start": "20:00", "end": "08:00"} or null (no quiet hours)
  quiet_hours jsonb,
  -- ["Organization/1", "Location/7", …]: references, free-form for now
  ehr_refs jsonb not null,
  owner_pool text,
  escalation_contacts jsonb not null,
  version integer not null,
  created_by text not null,
  created_at timestamptz not null,
  updated_by text not null,
  updated_at timestamptz not null
);

do $$
begin
  if exists (select 1 from pg_roles where rolname = 'steward_app') then
    grant select, insert, update on sites to steward_app;
  end if;
end $$;
`;

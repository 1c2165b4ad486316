/** Base: settings, and the least-privilege role the application runs as on a PostgreSQL server. */
export const sql = `
create table settings (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now(),
  updated_by text not null
);

-- The application's role. Creating it needs CREATEROLE; where the migrating user lacks it,
-- the DBA creates it (docs/operations.md) and the grants below still apply.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'steward_app') then
    begin
      create role steward_app nologin;
    exception when insufficient_privilege then
      raise notice 'steward_app role not created: insufficient privilege';
    end;
  end if;
end $$;
`;

/** What the application role may do: everything on its tables, but only read and append audit. */
export const sql = `
do $$
begin
  if exists (select 1 from pg_roles where rolname = 'steward_app') then
    grant usage on schema public to steward_app;
    grant select, insert, update, delete on
      settings, data_keys, users, service_accounts, api_tokens, sessions, grants, break_glass,
      records, record_index, egress_destinations
      to steward_app;
    grant select, insert on audit_log, audit_checkpoints, audit_signing_keys to steward_app;
    grant select on schema_migrations to steward_app;
  end if;
end $$;
revoke update, delete, truncate on audit_log, audit_checkpoints, audit_signing_keys from public;
`;

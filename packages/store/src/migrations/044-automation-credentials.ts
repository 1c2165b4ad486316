/**
 * The automation account's credentials for a browser EHR, per connection and site (issue 17):
 * username, password and TOTP secret, each sealed with the key ring under its own column and row
 * (a value moved to another column or row fails to open). Set by an administrator; never returned
 * by any API, only who set them and when. Opened for one run at a time, each opening audited.
 */
export const sql = `
create table automation_credentials (
  connection_id uuid not null,
  site text not null,
  username_enc bytea not null,
  password_enc bytea not null,
  totp_secret_enc bytea,
  version integer not null,
  set_by text not null,
  set_at timestamptz not null,
  primary key (connection_id, site)
);

do $$
begin
  if exists (select 1 from pg_roles where rolname = 'steward_app') then
    grant select, insert, update, delete on automation_credentials to steward_app;
  end if;
end $$;
`;

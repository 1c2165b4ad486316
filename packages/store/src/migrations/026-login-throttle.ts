/**
 * Failed sign-ins counted per username AND client address, so a stranger who knows a username
 * locks only their own address out, never the user. The username is kept as a keyed blind index
 * (people type passwords into the username field; unknown names are counted the same way, so
 * the work done does not tell known usernames from unknown ones). Each lock doubles the next.
 */
export const sql = `
create table login_failures (
  username_digest bytea not null,
  source text not null,
  failures integer not null default 0,
  locks integer not null default 0,
  locked_until timestamptz,
  updated_at timestamptz not null,
  primary key (username_digest, source)
);
do $$
begin
  if exists (select 1 from pg_roles where rolname = 'steward_app') then
    grant select, insert, update, delete on login_failures to steward_app;
  end if;
end $$;
`;

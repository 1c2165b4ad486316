/**
 * SMART Backend Services sign-in to Steward (issue 18): a service account's registered public key
 * set (a JWKS held here, or a JWKS URL under an egress destination) with the scopes it may be
 * granted, and the assertion ids (`jti`) already used, each kept until the assertion's own expiry
 * so a replay is refused. Public keys only: a private member is refused before anything is stored.
 */
export const sql = `
create table smart_clients (
  service_account_id uuid primary key references service_accounts (id),
  jwks jsonb,
  jwks_url text,
  scopes text[] not null,
  set_by text not null,
  set_at timestamptz not null,
  check ((jwks is null) <> (jwks_url is null))
);

create table smart_assertion_jtis (
  client_id uuid not null,
  jti text not null,
  expires_at timestamptz not null,
  primary key (client_id, jti)
);
create index smart_assertion_jtis_expiry on smart_assertion_jtis (expires_at);

do $$
begin
  if exists (select 1 from pg_roles where rolname = 'steward_app') then
    grant select, insert, update, delete on smart_clients, smart_assertion_jtis to steward_app;
  end if;
end $$;
`;

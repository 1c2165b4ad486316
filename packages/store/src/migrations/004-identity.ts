/** Users, service accounts, API tokens and sessions. Secrets are stored hashed or encrypted. */
export const sql = `
create table users (
  id uuid primary key,
  username text not null unique,
  password_hash text not null,
  totp_secret_enc bytea,
  totp_last_step bigint,
  break_glass_eligible boolean not null default false,
  failed_logins integer not null default 0,
  locked_until timestamptz,
  disabled_at timestamptz,
  created_at timestamptz not null default now()
);

create table service_accounts (
  id uuid primary key,
  name text not null unique,
  disabled_at timestamptz,
  created_at timestamptz not null default now()
);

create table api_tokens (
  id uuid primary key,
  principal_kind text not null check (principal_kind in ('user', 'service')),
  principal_id uuid not null,
  name text not null,
  token_hash bytea not null unique,
  scopes text[] not null,
  expires_at timestamptz not null,
  revoked_at timestamptz,
  last_used_at timestamptz,
  created_at timestamptz not null default now()
);

create table sessions (
  id uuid primary key,
  user_id uuid not null references users (id),
  token_hash bytea not null unique,
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  absolute_expires_at timestamptz not null,
  ended_at timestamptz,
  end_reason text
);
`;

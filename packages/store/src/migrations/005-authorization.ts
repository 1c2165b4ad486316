/** Grants (role scoped by site and workflow, with a purpose of use) and break-glass access. */
export const sql = `
create table grants (
  id uuid primary key,
  principal_kind text not null check (principal_kind in ('user', 'service')),
  principal_id uuid not null,
  role text not null,
  site text not null,
  workflow text not null,
  purpose_of_use text not null,
  created_at timestamptz not null default now(),
  created_by text not null,
  revoked_at timestamptz
);
create index grants_principal on grants (principal_id) where revoked_at is null;

create table break_glass (
  id uuid primary key,
  user_id uuid not null references users (id),
  site text not null,
  reason_enc bytea not null,
  started_at timestamptz not null,
  expires_at timestamptz not null,
  ended_at timestamptz,
  reviewed_at timestamptz,
  reviewed_by text,
  review_note_enc bytea
);
create index break_glass_user on break_glass (user_id, expires_at);
`;

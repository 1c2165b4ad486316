/**
 * On-call rotas (issue 19): per site, a named rota (often a pool's) of shifts, each a user from one
 * instant to another. Who is on call at an instant is the shift covering it (the latest-starting
 * one when shifts overlap). No PHI: user ids and times. A rota is replaced whole, with a version
 * (optimistic concurrency) and an audit entry (`config.changed`, entity `OnCallRota`).
 */
export const sql = `
create table on_call_rotas (
  site text not null,
  name text not null,
  version integer not null,
  updated_by text not null,
  updated_at timestamptz not null,
  primary key (site, name)
);

create table on_call_shifts (
  site text not null,
  rota text not null,
  user_id uuid not null references staff (user_id),
  starts_at timestamptz not null,
  ends_at timestamptz not null check (ends_at > starts_at),
  foreign key (site, rota) references on_call_rotas (site, name) on delete cascade
);
create index on_call_shifts_rota on on_call_shifts (site, rota, starts_at);

do $$
begin
  if exists (select 1 from pg_roles where rolname = 'steward_app') then
    grant select, insert, update on on_call_rotas to steward_app;
    grant select, insert, update, delete on on_call_shifts to steward_app;
  end if;
end $$;
`;

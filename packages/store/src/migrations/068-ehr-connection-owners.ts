/**
 * Which process owns each EHR connection (issue 20: several processes over one PostgreSQL). The
 * truth is the owner's session advisory lock (packages/store/src/session-locks.ts); this row is the
 * record operators read on any node: the owning node (host:pid), since when, and the server pid of
 * the session holding the lock, so a reader can tell a live owner (its session holds an advisory
 * lock in pg_locks) from a dead one's leftover row. Written by each new owner as it takes over.
 */
export const sql = `
create table ehr_connection_owners (
  connection_id uuid primary key references ehr_connections (id) on delete cascade,
  node text not null,
  since timestamptz not null,
  session_pid integer not null
);

do $$
begin
  if exists (select 1 from pg_roles where rolname = 'steward_app') then
    grant select, insert, update, delete on ehr_connection_owners to steward_app;
  end if;
end $$;
`;

/**
 * What the router keeps beside routing, references and codes only (no PHI).
 *
 * Patient merges as the router saw them: a retired patient reference (`Patient/<EHR id>`, or a
 * hash of one of its identifiers: never an identifier value) on a connection → the merge event
 * that retired it. Whoever needs the patient of an older event (a workflow drafting a proposal)
 * follows these to the survivor, read from the sealed merge event.
 */
export const sql = `
create table workflow_patient_merges (
  connection_id uuid not null,
  retired_ref text not null,
  merge_event_id uuid not null,
  merged_at timestamptz not null,
  primary key (connection_id, retired_ref)
);

-- Events filed with flags for a person (a schedule conflict, a time zone inferred): the event's
-- id, type and source reference, and the flags (codes and field names, never values).
create table workflow_event_flags (
  connection_id uuid not null,
  event_id uuid not null,
  seq bigint not null,
  event_type text not null,
  source_ref text not null,
  flags jsonb not null,
  occurred_at timestamptz not null,
  recorded_at timestamptz not null,
  primary key (connection_id, event_id)
);
create index workflow_event_flags_recent on workflow_event_flags (connection_id, seq desc);

do $$
begin
  if exists (select 1 from pg_roles where rolname = 'steward_app') then
    -- A reverse merge undoes a merge (delete), a newer one replaces it (upsert); flags are append-only.
    grant select, insert, update, delete on workflow_patient_merges to steward_app;
    grant select, insert on workflow_event_flags to steward_app;
  end if;
end $$;
`;

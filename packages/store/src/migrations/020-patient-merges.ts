/**
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
`;

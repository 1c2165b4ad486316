/**
 * Routing EHR events to workflows: links from an EHR reference (`Appointment/123`) on a
 * connection to the workflow it belongs to, so an event that names only the appointment or the
 * encounter still reaches its referral. References and correlation keys only, no PHI.
 */
export const sql = `
create table workflow_links (
  connection_id uuid not null,
  ref text not null,
  correlation_key text not null,
  created_at timestamptz not null,
  primary key (connection_id, ref)
);

-- How far the router has read each connection's journal; moved in the same transaction as the
-- starts and signals it made, so a crash neither skips an event nor delivers one twice.
create table workflow_router_cursors (
  connection_id uuid primary key,
  seq bigint not null
);
`;

/**
 * Incident response (docs/adr/0011-retention-and-incidents.md): an incident opened by a compliance
 * officer from a proposal, a write, a patient or a time range, and the compensating writes
 * (rollbacks of committed proposals) proposed for it, each approved or rejected by a reviewer.
 * What is in scope (who accessed what) is not copied here: it is read from the audit trail each
 * time. The summary may name a patient, so it is sealed; origin references are ids only.
 */
export const sql = `
create table incidents (
  id uuid primary key,
  origin text not null check (origin in ('proposal', 'write', 'patient', 'range')),
  -- A proposal id, an audit entry's seq, or a Steward patient id: ids only.
  origin_ref text,
  range_from timestamptz,
  range_to timestamptz,
  summary_enc bytea not null,
  status text not null check (status in ('open', 'contained', 'closed')),
  discovered_at timestamptz not null,
  opened_by text not null,
  opened_at timestamptz not null,
  closed_by text,
  closed_at timestamptz
);
create index incidents_open on incidents (opened_at) where status <> 'closed';

create table incident_containment (
  incident_id uuid not null references incidents (id),
  proposal_id uuid not null,
  site text not null,
  status text not null check (status in ('proposed', 'applied', 'failed', 'rejected')),
  proposed_by text not null,
  proposed_at timestamptz not null,
  decided_by text,
  decided_at timestamptz,
  -- A stable code: the rollback's outcome or the error code it failed with.
  outcome text,
  primary key (incident_id, proposal_id)
);

do $$
begin
  if exists (select 1 from pg_roles where rolname = 'steward_app') then
    grant select, insert, update on incidents, incident_containment to steward_app;
  end if;
end $$;
`;

/**
 * The run record of screen automation (issue 17): one row per run of the executor (who acted, who
 * approved, why, where, for which patients and proposal, how it ended) and one per step it took.
 * A step's screenshot and value are PHI: sealed (AES-256-GCM under the key ring, bound to their row
 * and column); their SHA-256 digests are in the step's audit entry, not here. Retention clears the
 * sealed columns of expired runs (`*_purged_at` on the run) and keeps the rest, and the audit log.
 */
export const sql = `
create table automation_runs (
  id uuid primary key,
  connection_id text not null,
  site text not null,
  kind text not null check (kind in ('write', 'read', 'record')),
  purpose text not null,
  account_id text not null,
  approved_by text,
  -- Steward patient ids (uuid text), as the audit log names them
  patient_ids text[] not null,
  proposal_id text,
  map_version integer not null,
  -- the actor who started the run: its steps and end are audited as this actor
  actor jsonb not null,
  started_at timestamptz not null,
  finished_at timestamptz,
  status text not null check (status in ('running', 'done', 'halted')),
  halt_reason text,
  halt_detail text,
  submitted boolean,
  step_count integer not null,
  -- the step count the executor reported at the end (it may differ from the steps recorded)
  reported_steps integer,
  screenshots_purged_at timestamptz,
  values_purged_at timestamptz
);
create index automation_runs_started on automation_runs (started_at desc, id desc);
create index automation_runs_patients on automation_runs using gin (patient_ids);
create index automation_runs_proposal on automation_runs (proposal_id) where proposal_id is not null;

create table automation_steps (
  run_id uuid not null references automation_runs (id),
  idx integer not null,
  action text not null,
  screen text,
  target text,
  input_events integer not null,
  started_at timestamptz not null,
  duration_ms integer not null,
  outcome text not null check (outcome in ('ok', 'halted', 'failed')),
  detail text,
  -- sealed PNG, and sealed salt || value; null when the step had none or retention cleared it
  screenshot_enc bytea,
  value_enc bytea,
  has_screenshot boolean not null,
  has_value boolean not null,
  primary key (run_id, idx)
);

do $$
begin
  if exists (select 1 from pg_roles where rolname = 'steward_app') then
    grant select, insert, update on automation_runs, automation_steps to steward_app;
  end if;
end $$;
`;

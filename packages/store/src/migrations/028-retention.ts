/**
 * Retention (docs/adr/0011-retention-and-incidents.md): per-kind retention periods, versioned (a
 * change is a new row, the old ones stay as the history), and legal holds that suspend purging
 * for a patient or for a whole case. A hold's subject (the patient's identifiers, or the case
 * reference) may be PHI, so it is sealed with the row-bound field cipher. The purge deletes rows
 * (see the ADR: data keys are shared, not per period), so the application role may now delete
 * expired EHR messages and events and sent message bodies. The audit log is never purged by it:
 * its triggers refuse DELETE for every role.
 */
export const sql = `
create table retention_policies (
  kind text not null,
  version integer not null check (version > 0),
  period_days integer not null check (period_days > 0),
  set_by text not null,
  set_at timestamptz not null,
  primary key (kind, version)
);

create table legal_holds (
  id uuid primary key,
  scope text not null check (scope in ('patient', 'case')),
  -- Sealed: the held patient's identifiers, or the case reference, and the reason.
  subject_enc bytea not null,
  placed_by text not null,
  placed_at timestamptz not null,
  released_by text,
  released_at timestamptz
);
create index legal_holds_active on legal_holds (placed_at) where released_at is null;

do $$
begin
  if exists (select 1 from pg_roles where rolname = 'steward_app') then
    grant select, insert on retention_policies to steward_app;
    grant select, insert, update on legal_holds to steward_app;
    grant delete on ehr_inbound, ehr_events, message_outbox to steward_app;
  end if;
end $$;
`;

/**
 * Proposals and review: everything that would change the system of record or reach a patient,
 * held until a person (or a named auto-approval policy) approves exactly its content hash.
 *
 * PHI (the write payload, the patient's identifiers, the evidence, a conflict's diff, the prior
 * version kept for rollback, a rejection's note) is sealed in `*_enc` columns, row-bound by the
 * field cipher; every filterable column holds ids and codes only (the patient as Steward's id or
 * a keyed blind index). The review queue is read by keyset pagination in (priority, due_at, id)
 * order: `due_at` is never null (no due time sorts as 9999-12-31) so the row comparison uses the
 * index. Partial indexes over pending rows, one per console filter, keep a 100,000-row queue
 * paged and filtered server-side without sorting it.
 *
 * History and approval policies are append-only (a trigger refuses update and delete).
 */
export const sql = `
create table approval_policies (
  version bigserial primary key,
  action_type text not null,
  mode text not null check (mode in ('auto', 'review')),
  roles text[] not null default '{}',
  set_by_kind text not null,
  set_by_id text not null,
  set_at timestamptz not null,
  check (mode = 'review' or cardinality(roles) = 0)
);
create index approval_policies_current on approval_policies (action_type, version desc);

create table proposals (
  id uuid primary key,
  lineage_id uuid not null,
  revision integer not null check (revision >= 1),
  supersedes uuid references proposals (id),
  superseded_by uuid references proposals (id),
  status text not null check (status in (
    'drafted', 'pending_review', 'approved', 'rejected', 'committed', 'verified',
    'conflicted', 'failed', 'rolled_back', 'superseded')),
  action_type text not null,
  connection_id uuid,
  site text not null,
  workflow text,
  correlation_id text,
  draft_key text unique,
  patient_id uuid,
  patient_key bytea,
  target_type text not null,
  target_id text,
  base_version text,
  content_hash text not null,
  body_enc bytea not null,
  reason_code text not null,
  drafted_by_kind text not null,
  drafted_by_id text not null,
  priority smallint not null check (priority between 1 and 5),
  due_at timestamptz not null,
  assignee_id uuid,
  reversible boolean not null,
  irreversible_reason text,
  policy_version bigint references approval_policies (version),
  approved_by_kind text,
  approved_by_id text,
  approved_hash text,
  approved_at timestamptz,
  rejection_enc bytea,
  diff_enc bytea,
  prior_enc bytea,
  prior_version text,
  committed_id text,
  committed_version text,
  rolled_back_version text,
  error_code text,
  error_retryable boolean,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (lineage_id, revision),
  check (reversible or irreversible_reason is not null)
);
-- The review queue: any status, then one partial index per console filter over pending rows.
create index proposals_queue on proposals (status, priority, due_at, id);
create index proposals_pending_site on proposals (site, priority, due_at, id) where status = 'pending_review';
create index proposals_pending_workflow on proposals (workflow, priority, due_at, id) where status = 'pending_review';
create index proposals_pending_patient on proposals (patient_id, priority, due_at, id) where status = 'pending_review';
create index proposals_pending_patient_key on proposals (patient_key, priority, due_at, id) where status = 'pending_review';
create index proposals_pending_action on proposals (action_type, priority, due_at, id) where status = 'pending_review';
create index proposals_pending_assignee on proposals (assignee_id, priority, due_at, id) where status = 'pending_review';
create index proposals_correlation on proposals (workflow, correlation_id) where correlation_id is not null;

create table proposal_history (
  seq bigserial primary key,
  proposal_id uuid not null references proposals (id),
  revision integer not null,
  from_status text,
  to_status text not null,
  actor_kind text not null,
  actor_id text not null,
  reason_code text,
  at timestamptz not null
);
create index proposal_history_proposal on proposal_history (proposal_id, seq);

create function proposals_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception '% rows are append-only (%)', tg_table_name, tg_op
    using errcode = 'insufficient_privilege';
end $$;
create trigger proposal_history_append_only before update or delete on proposal_history
  for each row execute function proposals_refuse_change();
create trigger approval_policies_append_only before update or delete on approval_policies
  for each row execute function proposals_refuse_change();

do $$
begin
  if exists (select 1 from pg_roles where rolname = 'steward_app') then
    grant select, insert, update on proposals to steward_app;
    grant select, insert on proposal_history, approval_policies to steward_app;
    grant usage on sequence proposal_history_seq_seq, approval_policies_version_seq to steward_app;
  end if;
end $$;
`;

/**
 * Internal handoffs (issue 19): a piece of work passed from one person (or a workflow) to a person,
 * a pool or a role at a site, with a deadline in the site's business hours and the states offered,
 * accepted, done, declined, expired. What is asked is free text and may name a patient: it is
 * sealed (`ask_enc`, context `handoffs:<id>`), as is a decline's reason. Every transition is a row
 * of `handoff_history` (actor, time); an escalation fires once per (handoff, step), which the
 * primary key of `handoff_escalations` holds even when a worker dies mid-effect and the effect runs
 * again. Escalation policies are per site and kind, versioned (the version a handoff started with is
 * in its workflow's start payload), and their changes audited (`config.changed`).
 */
export const sql = `
create table handoffs (
  id uuid primary key,
  site text not null,
  kind text not null,
  subject_kind text not null check (subject_kind in ('patient', 'referral', 'document', 'proposal')),
  subject_id text not null,
  -- the Steward patient the work is about, when known (audit names it); never demographics
  patient_id uuid,
  from_kind text not null check (from_kind in ('user', 'service')),
  from_id text not null,
  -- the sender's handle (a username or a service account's name), not PHI
  from_name text not null,
  -- who it is offered to: a user id, a pool, or a role at the site
  to_kind text not null check (to_kind in ('user', 'pool', 'role')),
  to_ref text not null,
  -- the user who holds it: offered to them directly, or accepted (claimed from a pool or role)
  assignee uuid,
  status text not null check (status in ('offered', 'accepted', 'done', 'declined', 'expired')),
  ask_enc bytea not null,
  due_at timestamptz,
  -- targets escalations named ([{"kind": "user"|"pool", "ref": ...}]): the handoff shows in their queues
  escalated_to jsonb not null default '[]'::jsonb,
  policy_version integer,
  -- the raiser's idempotency key (a workflow effect's key, an intake document's): one handoff per key
  source_key text unique,
  version integer not null,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index handoffs_assignee on handoffs (assignee) where status <> 'done';
create index handoffs_to on handoffs (to_kind, to_ref) where status <> 'done';
create index handoffs_subject on handoffs (subject_kind, subject_id);
create index handoffs_site_due on handoffs (site, due_at);

create table handoff_history (
  handoff_id uuid not null references handoffs (id),
  seq integer not null,
  at timestamptz not null,
  event text not null check (event in ('offered', 'accepted', 'declined', 'done', 'expired', 'escalated')),
  actor_kind text not null,
  actor_id text not null,
  actor_name text not null,
  from_status text,
  to_status text not null,
  -- codes and references only (step, condition, target); a decline's reason is sealed below
  detail jsonb not null default '{}'::jsonb,
  reason_enc bytea,
  primary key (handoff_id, seq)
);

create table handoff_escalations (
  handoff_id uuid not null references handoffs (id),
  step integer not null,
  condition text not null,
  policy_at timestamptz not null,
  fired_at timestamptz not null,
  target jsonb not null,
  effect_key text not null,
  primary key (handoff_id, step)
);

create table handoff_escalation_policies (
  site text not null,
  kind text not null,
  steps jsonb not null,
  version integer not null,
  updated_by text not null,
  updated_at timestamptz not null,
  primary key (site, kind)
);

do $$
begin
  if exists (select 1 from pg_roles where rolname = 'steward_app') then
    grant select, insert, update on handoffs, handoff_history, handoff_escalations to steward_app;
    grant select, insert, update on handoff_escalation_policies to steward_app;
  end if;
end $$;
`;

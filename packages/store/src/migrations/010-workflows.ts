/**
 * Durable workflows (packages/workflows): instances with their state, an append-only history of
 * every step (input, the engine's time, decisions, state digest) for replay, an inbox of pending
 * inputs that is also the timer table (a timer is an input that becomes available at its due
 * time), and the effects outbox (one row per outside effect, keyed by its idempotency key).
 *
 * No PHI: state, inputs and effect inputs hold references (ids, correlation keys such as
 * `referral:<id>`), never demographics or clinical text. Workers claim rows with
 * `FOR UPDATE SKIP LOCKED` (ADR 0006).
 */
export const sql = `
create table workflow_instances (
  id uuid primary key,
  type text not null,
  version integer not null,
  correlation_key text not null,
  status text not null check (status in ('running', 'completed', 'failed')),
  state jsonb not null,
  step integer not null default 0,
  outcome jsonb,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (type, correlation_key)
);
create index workflow_instances_correlation on workflow_instances (correlation_key) where status = 'running';

create table workflow_history (
  workflow_id uuid not null references workflow_instances (id),
  step integer not null,
  version integer not null,
  input jsonb not null,
  decided_at timestamptz not null,
  commands jsonb not null,
  state_digest text not null,
  worker_id text not null,
  primary key (workflow_id, step)
);

create table workflow_inbox (
  seq bigserial primary key,
  workflow_id uuid not null references workflow_instances (id),
  kind text not null check (kind in ('start', 'signal', 'timer', 'effect')),
  name text not null,
  payload jsonb not null,
  dedup_key text,
  available_at timestamptz not null,
  created_at timestamptz not null,
  unique (workflow_id, dedup_key)
);
create index workflow_inbox_due on workflow_inbox (available_at, seq);
create index workflow_inbox_timers on workflow_inbox (workflow_id, name) where kind = 'timer';

create table workflow_effects (
  key text primary key,
  workflow_id uuid not null references workflow_instances (id),
  kind text not null,
  tag text,
  input jsonb not null,
  status text not null check (status in ('pending', 'done', 'failed')),
  attempts integer not null default 0,
  available_at timestamptz not null,
  lease_owner text,
  lease_until timestamptz,
  result jsonb,
  created_at timestamptz not null,
  completed_at timestamptz
);
create index workflow_effects_due on workflow_effects (available_at) where status = 'pending';
`;

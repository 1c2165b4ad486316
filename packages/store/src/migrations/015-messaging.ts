/**
 * Messaging: the local outbox (embedded mode's channel, where a message to a patient is kept and
 * never leaves the machine) and per-patient contact preferences (language, channel, opt-outs,
 * quiet hours). Both hold PHI (addresses, message text), sealed with the row-bound field cipher;
 * the patient is found by a keyed blind index, never a plaintext id.
 */
export const sql = `
create table message_outbox (
  id uuid primary key,
  site text not null,
  channel text not null check (channel in ('sms', 'email')),
  -- The proposal's commit key: the same key is the same message, sent once.
  idempotency_key text not null unique,
  proposal_id uuid,
  -- The workflow correlation key a reply is signalled to (references only).
  correlation_key text,
  status text not null check (status in ('queued', 'sent', 'failed')),
  -- Sealed: address, language, template, text.
  body_enc bytea not null,
  -- Quiet hours: not delivered before this instant.
  not_before timestamptz not null,
  created_at timestamptz not null
);
create index message_outbox_site on message_outbox (site, created_at, id);

create table message_preferences (
  id uuid primary key,
  site text not null,
  patient_digest bytea not null,
  version integer not null,
  -- Sealed: language, channel, opt-outs, quiet hours, addresses.
  data_enc bytea not null,
  updated_at timestamptz not null,
  unique (site, patient_digest)
);
`;

/**
 * The audit writer in one round trip (issue 20). The writer keeps the chain head in memory and
 * sends a batch's entries (hashes computed from that head) in ONE statement, its own implicit
 * transaction: `audit_check_head` takes the audit advisory lock and checks, with a fresh snapshot
 * (a VOLATILE PL/pgSQL function, as in migration 13), that the stored head and the last checkpoint
 * are still the ones the writer expects, raising SQLSTATE SA001 when another process wrote
 * meanwhile (the writer then re-reads the head under the lock and writes the batch again);
 * `audit_insert` inserts the entries and checkpoints. `audit_append_checked` is both, for batches
 * of audit entries alone; stores that write their rows in the same statement call the two around
 * their own inserts (see migration 67).
 */
export const sql = `
create function audit_check_head(lock_key bigint, expected_seq bigint, expected_hash bytea, expected_ckpt bigint)
returns void
language plpgsql volatile
as $fn$
declare
  h_seq bigint;
  h_hash bytea;
  c_seq bigint;
begin
  perform pg_advisory_xact_lock(lock_key);
  select l.seq, l.hash into h_seq, h_hash from audit_log as l order by l.seq desc limit 1;
  select k.seq into c_seq from audit_checkpoints as k order by k.seq desc limit 1;
  if coalesce(h_seq, 0) <> expected_seq
     or (h_seq is not null and h_hash is distinct from expected_hash)
     or coalesce(c_seq, 0) <> expected_ckpt then
    raise exception 'the audit chain head moved (another writer appended)' using errcode = 'SA001';
  end if;
end
$fn$;

create function audit_insert(
  a_seqs bigint[], a_ats text[], a_actors text[], a_actions text[], a_events text[], a_outcomes text[],
  a_patients text[], a_entries text[], a_prevs bytea[], a_hashes bytea[],
  c_seqs bigint[], c_hashes bytea[], c_ats text[], c_sigs bytea[], c_key_id text)
returns void
language plpgsql volatile
as $fn$
begin
  insert into audit_log (seq, at, actor_id, action, event, outcome, patient_ids, entry, prev_hash, hash)
  select t.seq, t.at::timestamptz, t.actor_id, t.action, t.event, t.outcome, t.patient_ids::text[], t.entry, t.prev, t.hash
    from unnest(a_seqs, a_ats, a_actors, a_actions, a_events, a_outcomes, a_patients, a_entries, a_prevs, a_hashes)
      as t(seq, at, actor_id, action, event, outcome, patient_ids, entry, prev, hash);
  if cardinality(c_seqs) > 0 then
    insert into audit_checkpoints (seq, hash, at, key_id, signature)
    select c.seq, c.hash, c.at::timestamptz, c_key_id, c.sig
      from unnest(c_seqs, c_hashes, c_ats, c_sigs) as c(seq, hash, at, sig);
  end if;
end
$fn$;

create function audit_append_checked(
  lock_key bigint, expected_seq bigint, expected_hash bytea, expected_ckpt bigint,
  a_seqs bigint[], a_ats text[], a_actors text[], a_actions text[], a_events text[], a_outcomes text[],
  a_patients text[], a_entries text[], a_prevs bytea[], a_hashes bytea[],
  c_seqs bigint[], c_hashes bytea[], c_ats text[], c_sigs bytea[], c_key_id text)
returns void
language plpgsql volatile
as $fn$
begin
  perform audit_check_head(lock_key, expected_seq, expected_hash, expected_ckpt);
  perform audit_insert(a_seqs, a_ats, a_actors, a_actions, a_events, a_outcomes, a_patients, a_entries, a_prevs,
                       a_hashes, c_seqs, c_hashes, c_ats, c_sigs, c_key_id);
end
$fn$;
`;

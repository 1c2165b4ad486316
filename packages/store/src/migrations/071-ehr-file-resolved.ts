/**
 * The inbound journal's one-round-trip filing with the patient index (issue 20): the server's
 * journal resolves each event's patient, and when every patient named is already known (so
 * resolving writes nothing) it resolves them BEFORE the statement, outside any transaction, and
 * files with `ehr_file_resolved`. That takes the audit lock first (`audit_check_head`: every
 * write to the patient index is audited, so it holds that lock too), then `patient_keys_unchanged`
 * checks with a fresh snapshot that every key the resolution read still finds the same live
 * patient (merges followed), with demographics where the resolution relied on them, raising
 * SQLSTATE SA002 when not; then it files as `ehr_file_audited` (migration 67). On SA002 the whole
 * statement rolls back and the journal files the batch the general way, resolving in the
 * transaction: correctness over speed.
 */
export const sql = `
create function patient_keys_unchanged(k_keys bytea[], k_patients uuid[], k_demographics boolean[])
returns void
language plpgsql volatile
as $fn$
begin
  if exists (
    select 1
      from unnest(k_keys, k_patients, k_demographics) as t(key, patient_id, demographics)
      left join clinic_patient_keys k on k.key = t.key
      left join clinic_patients p on p.id = k.patient_id
      left join clinic_patients c on c.id = coalesce(p.merged_into, p.id)
     where c.id is distinct from t.patient_id or (t.demographics and c.demographics_enc is null)) then
    raise exception 'a patient key resolved before filing finds another patient now' using errcode = 'SA002';
  end if;
end
$fn$;

create function ehr_file_resolved(
  lock_key bigint, expected_seq bigint, expected_hash bytea, expected_ckpt bigint,
  a_seqs bigint[], a_ats text[], a_actors text[], a_actions text[], a_events text[], a_outcomes text[],
  a_patients text[], a_entries text[], a_prevs bytea[], a_hashes bytea[],
  c_seqs bigint[], c_hashes bytea[], c_ats text[], c_sigs bytea[], c_key_id text,
  m_ids uuid[], m_connections uuid[], m_channels text[], m_keys text[], m_types text[], m_received text[],
  m_statuses text[], m_reasons text[], m_content_hashes text[], m_raw bytea, m_raw_at int4[], m_raw_len int4[],
  e_ids uuid[], e_inbound uuid[], e_connections uuid[], e_types text[], e_dedup_keys text[], e_patient_keys bytea[],
  e_occurred text[], e_recorded text[], e_patient_ids uuid[], e_data bytea, e_data_at int4[], e_data_len int4[],
  k_keys bytea[], k_patients uuid[], k_demographics boolean[])
returns table (event_id uuid, event_seq bigint)
language plpgsql volatile
as $fn$
begin
  -- The lock first: no index write can then be in flight, and the check's snapshot sees them all.
  perform audit_check_head(lock_key, expected_seq, expected_hash, expected_ckpt);
  perform patient_keys_unchanged(k_keys, k_patients, k_demographics);
  return query
    select f.event_id, f.event_seq
      from ehr_file_audited(lock_key, expected_seq, expected_hash, expected_ckpt,
             a_seqs, a_ats, a_actors, a_actions, a_events, a_outcomes, a_patients, a_entries, a_prevs, a_hashes,
             c_seqs, c_hashes, c_ats, c_sigs, c_key_id,
             m_ids, m_connections, m_channels, m_keys, m_types, m_received, m_statuses, m_reasons, m_content_hashes,
             m_raw, m_raw_at, m_raw_len,
             e_ids, e_inbound, e_connections, e_types, e_dedup_keys, e_patient_keys, e_occurred, e_recorded,
             e_patient_ids, e_data, e_data_at, e_data_len) as f;
end
$fn$;
`;

/**
 * The inbound journal's one-round-trip filing (issue 20): ONE statement files a batch of new
 * messages, their events and the batch's audit entries, as its own implicit transaction. It
 * checks the audit head first (migration 66: the lock, then SA001 when another writer appended),
 * so event sequence numbers are taken under the audit lock, in arrival order. Inserts are plain:
 * a message key or an event dedup key already taken (a resend, a reused control id) raises a
 * unique violation and the whole batch is rolled back, and the journal files it again through its
 * general path, which tells resends from reused ids. The sealed values come as one binary
 * parameter each (messages, events) with each row's offset and length, not as hex text.
 */
export const sql = `
create function ehr_file_audited(
  lock_key bigint, expected_seq bigint, expected_hash bytea, expected_ckpt bigint,
  a_seqs bigint[], a_ats text[], a_actors text[], a_actions text[], a_events text[], a_outcomes text[],
  a_patients text[], a_entries text[], a_prevs bytea[], a_hashes bytea[],
  c_seqs bigint[], c_hashes bytea[], c_ats text[], c_sigs bytea[], c_key_id text,
  m_ids uuid[], m_connections uuid[], m_channels text[], m_keys text[], m_types text[], m_received text[],
  m_statuses text[], m_reasons text[], m_content_hashes text[], m_raw bytea, m_raw_at int4[], m_raw_len int4[],
  e_ids uuid[], e_inbound uuid[], e_connections uuid[], e_types text[], e_dedup_keys text[], e_patient_keys bytea[],
  e_occurred text[], e_recorded text[], e_patient_ids uuid[], e_data bytea, e_data_at int4[], e_data_len int4[])
returns table (event_id uuid, event_seq bigint)
language plpgsql volatile
as $fn$
begin
  perform audit_check_head(lock_key, expected_seq, expected_hash, expected_ckpt);
  insert into ehr_inbound (id, connection_id, channel, message_key, message_type, status, reason, raw_enc, received_at,
                           content_hash)
  select m.id, m.connection_id, m.channel, m.message_key, m.message_type, m.status, m.reason,
         substr(m_raw, m.raw_at + 1, m.raw_len), m.received_at::timestamptz, m.content_hash
    from unnest(m_ids, m_connections, m_channels, m_keys, m_types, m_received, m_statuses, m_reasons, m_content_hashes,
                m_raw_at, m_raw_len)
         with ordinality as m(id, connection_id, channel, message_key, message_type, received_at, status, reason,
                              content_hash, raw_at, raw_len, ord)
   order by m.ord;
  return query
    with ev as (
      insert into ehr_events (id, connection_id, inbound_id, type, dedup_key, patient_key, occurred_at, data_enc,
                              recorded_at, patient_id)
      select e.id, e.connection_id, e.inbound_id, e.type, e.dedup_key, e.patient_key, e.occurred_at::timestamptz,
             substr(e_data, e.data_at + 1, e.data_len), e.recorded_at::timestamptz, e.patient_id
        from unnest(e_ids, e_inbound, e_connections, e_types, e_dedup_keys, e_patient_keys, e_occurred, e_recorded,
                    e_patient_ids, e_data_at, e_data_len)
             with ordinality as e(id, inbound_id, connection_id, type, dedup_key, patient_key, occurred_at, recorded_at,
                                  patient_id, data_at, data_len, ord)
       order by e.ord
      returning ehr_events.id, ehr_events.seq
    )
    select ev.id, ev.seq from ev;
  perform audit_insert(a_seqs, a_ats, a_actors, a_actions, a_events, a_outcomes, a_patients, a_entries, a_prevs,
                       a_hashes, c_seqs, c_hashes, c_ats, c_sigs, c_key_id);
end
$fn$;
`;

/**
 * The audit log's patient index (`audit_log_patients`, GIN over `patient_ids`, migration 3) writes
 * each entry's patient ids into the index at once instead of through GIN's pending list. With the
 * pending list (the default), every ~100,000 entries the writer that fills it merges it into the
 * index inside its transaction: a ~200 ms stall under the audit lock, which every filing waits on.
 * Direct inserts of a handful of ids per entry cost the same per row (bench: patient-index).
 */
export const sql = `
alter index audit_log_patients set (fastupdate = off);
`;

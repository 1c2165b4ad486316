/**
 * A rollback says why: the reviewer's reason for undoing a written change, sealed like a
 * rejection's (it may mention the patient), shown with the proposal and kept with its history.
 */
export const sql = `
alter table proposals add column rollback_reason_enc bytea;
`;

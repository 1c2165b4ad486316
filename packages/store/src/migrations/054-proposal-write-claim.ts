/**
 * One writer per approved proposal. Every process that may write an approved proposal to the EHR
 * (the approval's own "write now", the background applier on each node, a person's retry) first
 * claims it: `writing_until` is set, where it is null or past, in one statement, and the write
 * goes ahead only for the claimant. Without it two of them could both read `approved` and both
 * write: harmless over FHIR (the create carries the proposal's key) but twice typed over an EHR's
 * screens. A claim ends when the proposal leaves `approved` (the move clears it), or when its time
 * runs out (the claimant died: the next sweep writes it through the same idempotent path).
 */
export const sql = `
alter table proposals add column writing_until timestamptz;
`;

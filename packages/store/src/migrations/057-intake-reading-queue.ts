/**
 * Intake's reading queue (issue 19): a file is recorded `received` when it arrives and read later
 * by a reading worker in a server process, off the arrival's call. A worker claims a received file
 * with a lease (`lease_owner`, `lease_until`; `FOR UPDATE SKIP LOCKED`), so two processes never read
 * the same file and a file whose reader died is read again once the lease has passed.
 * `read_attempts` counts the claims; a transient failure (a reading program past its time limit)
 * puts the file back with `next_read_at` later and the cause in `read_error` (a code and a message
 * naming the program, never the content), until the attempts run out and it ends `unreadable`.
 */
export const sql = `
alter table intake_files
  add column read_attempts integer not null default 0,
  add column next_read_at timestamptz,
  add column lease_owner text,
  add column lease_until timestamptz,
  add column read_error text;
update intake_files set next_read_at = received_at where state = 'received';
create index intake_files_to_read on intake_files (next_read_at, received_at, id) where state = 'received';
`;

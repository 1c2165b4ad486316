/**
 * Write-back that finishes without a person: a proposal that failed for a passing reason (the
 * EHR unavailable, rate limited, timed out) is retried by the applier with back-off, a bounded
 * number of times. `attempts` counts the failed tries of the current approval (a person's retry
 * starts a new count); `next_attempt_at` is when the applier tries again, null when it will not
 * (a permanent failure, or attempts exhausted: then it waits for a person). The partial indexes
 * serve the applier's two sweeps: due retries, and committed writes not yet verified.
 */
export const sql = `
alter table proposals add column attempts integer not null default 0;
alter table proposals add column next_attempt_at timestamptz;
create index proposals_retry_due on proposals (next_attempt_at, id) where status = 'failed' and next_attempt_at is not null;
create index proposals_committed on proposals (updated_at, id) where status = 'committed';
`;

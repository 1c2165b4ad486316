/**
 * Handoffs a workflow raised (issue 19): the workflow that asked to hear of its handoff's moves
 * (its type and correlation key), signalled in the same transaction as a person accepts, declines
 * or finishes the handoff. References only: a workflow type and a key such as `referral:<id>`.
 * A handoff may also be about a follow-up (subject kind `followup`: the follow-up workflow's id).
 */
export const sql = `
alter table handoffs add column notify_type text;
alter table handoffs add column notify_key text;
alter table handoffs drop constraint handoffs_subject_kind_check;
alter table handoffs add constraint handoffs_subject_kind_check
  check (subject_kind in ('patient', 'referral', 'document', 'proposal', 'followup'));
`;

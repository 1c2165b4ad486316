/**
 * An intake document's referral (issue 19's closed loop): a consult note or result matched to a
 * patient is linked to the referral it answers (the referral workflow's instance id), or waits for
 * a person to link it (`needs-referral`), or is said to be for no referral. Why it was linked or not
 * is a reference-level reason (`only-open-referral`, `sender-named-destination`,
 * `several-open-referrals`, `no-open-referral`, `person`, `not-for-a-referral`), never PHI.
 */
export const sql = `
alter table intake_documents add column referral_id uuid;
alter table intake_documents add column referral_reason text;
alter table intake_documents add column referral_set_by text;
alter table intake_documents drop constraint intake_documents_state_check;
alter table intake_documents add constraint intake_documents_state_check check (state in (
  'needs-sorting', 'needs-match', 'needs-referral', 'proposed-for-filing', 'filed', 'handed-off', 'rejected'));
create index intake_documents_referral on intake_documents (referral_id) where referral_id is not null;
`;

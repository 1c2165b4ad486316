/**
 * What became of an intake document's filing proposal (issue 19: every input ends in one visible
 * outcome): the proposal's last status intake saw — approved, written to the EHR, rejected in
 * review, failed — so the document says "filed in the EHR" or why not, and intake follows only the
 * documents whose filing is still open.
 */
export const sql = `
alter table intake_documents add column filing_status text;
create index intake_documents_filing_open on intake_documents (updated_at)
  where proposal_id is not null and state in ('proposed-for-filing', 'filed')
    and (filing_status is null or filing_status in ('drafted', 'pending_review', 'approved', 'committed'));
`;

/**
 * Proposals drafted from outside (issue 18, ADR 0017): an agent or automation service drafting over
 * the API. `outside_drafter_id` is the service account that drafted the lineage (kept on every
 * revision, so an edit or a rebase stays its proposal to follow, and never its to approve); null for
 * what Steward's own workflows drafted. `rationale_enc` is the drafter's free-text reasoning, shown
 * to the reviewer: it may name the patient, so it is sealed like the payload (row-bound), and
 * carried to each revision. The partial index serves the drafter's own list, by last change.
 */
export const sql = `
alter table proposals add column outside_drafter_id text;
alter table proposals add column rationale_enc bytea;
create index proposals_outside_drafter on proposals (outside_drafter_id, updated_at, id)
  where outside_drafter_id is not null;
`;

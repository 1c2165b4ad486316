/**
 * Grants scoped by proposal action types (issue 18): a grant may name the action types its holder
 * may propose (`task.create`, `appointment.status`, …). Null, as every grant before, allows all of
 * them; a grant that names some allows only those. Only drafting (`proposal.create`) reads it.
 */
export const sql = `
alter table grants add column action_types text[];
alter table grants add constraint grants_action_types_named
  check (action_types is null or cardinality(action_types) > 0);
`;

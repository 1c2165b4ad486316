/**
 * What migrations 010, 014 and 015 forgot: the application role's privileges on the workflow and
 * messaging tables, each exactly what the code does there (SELECT … FOR UPDATE needs UPDATE).
 * From here on every migration that creates a table grants steward_app its privileges in the same
 * migration (docs/operations.md); `grants.int.test.ts` fails for a table steward_app cannot use.
 */
export const sql = `
do $$
begin
  if exists (select 1 from pg_roles where rolname = 'steward_app') then
    -- Workflow state: instances change (status, state) but are never deleted; history is append-only.
    grant select, insert, update on workflow_instances, workflow_effects to steward_app;
    grant select, insert on workflow_history to steward_app;
    -- The inbox is a queue: inputs are claimed (row locks) and removed when consumed.
    grant select, insert, update, delete on workflow_inbox to steward_app;
    grant usage on sequence workflow_inbox_seq_seq to steward_app;
    grant select, insert, update on workflow_links, workflow_router_cursors to steward_app;
    -- Messaging: the outbox is written once per message; preferences are versioned in place.
    grant select, insert on message_outbox to steward_app;
    grant select, insert, update on message_preferences to steward_app;
  end if;
end $$;
`;

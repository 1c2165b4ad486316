/**
 * The inbound journal keeps what needs a person apart from what was simply filed: a content hash
 * per message (so a sender that reuses an HL7 control id for different content is told from a
 * resend of the same message), a flag on a filed message that a person should look at
 * (`control-id-reused`), and the `ignored` status for messages acknowledged and kept but not
 * routed (a message type the connection does not route). The attention list reads all three.
 */
export const sql = `
alter table ehr_inbound add column content_hash text;
alter table ehr_inbound add column flag text;
alter table ehr_inbound drop constraint ehr_inbound_status_check;
alter table ehr_inbound add constraint ehr_inbound_status_check check (status in ('stored', 'dead-letter', 'ignored'));
create index ehr_inbound_attention on ehr_inbound (connection_id, received_at)
  where status <> 'stored' or flag is not null;
`;

/**
 * The retention purge deletes an inbound message once none of its events is left: without an
 * index on the events' message, that check read every event for every message (a purge of 10,000
 * messages took 36 s on PGlite).
 */
export const sql = `
create index ehr_events_inbound on ehr_events (inbound_id);
`;

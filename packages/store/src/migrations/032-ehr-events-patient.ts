/**
 * Each inbound event carries the Steward patient it resolved to (the patient index, migration 31),
 * so a patient's events are found by one id across identifiers, connections and merges.
 */
export const sql = `
alter table ehr_events add column patient_id uuid;
create index ehr_events_patient_id on ehr_events (patient_id, seq) where patient_id is not null;
`;

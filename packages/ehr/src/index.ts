/** @module @steward/ehr: EHR connectivity — FHIR R4 client, HL7 v2 feeds, vendor profiles, inbound and outbound. */
export { MemoryInboundJournal } from './inbound/index.js';

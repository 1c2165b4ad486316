/** @module @steward/ehr: EHR connectivity — FHIR R4 client, HL7 v2 feeds, vendor profiles, inbound and outbound. */
export { MemoryInboundJournal } from './inbound/index.js';
export { ConnectionRegistry, vendorIds, defaultBudget } from './connections/index.js';
export type {
  EhrConnection,
  NewConnection,
  ConnectionSettings,
  RequestBudget,
  PrivateJwk,
  VendorId,
} from './connections/index.js';

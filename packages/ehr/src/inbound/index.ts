/** @module Inbound: FHIR changes (polling and subscription notifications) into the journal, and an in-memory journal for tests. */
export { MemoryInboundJournal } from './memory-inbound-journal.js';
export { FhirChanges } from './fhir-changes.js';
export type { FhirChangesOptions, HighWaterMarks, PollResult, NotificationResult } from './fhir-changes.js';

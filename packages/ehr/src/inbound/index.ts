/** @module Inbound: the in-memory implementation of the journal port (`InboundJournal`, in @steward/core). */
export { MemoryInboundJournal } from './memory-inbound-journal.js';

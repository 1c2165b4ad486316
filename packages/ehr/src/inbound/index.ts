/** @module Inbound: the journal port every channel hands its messages to, and its in-memory implementation. */
export { MemoryInboundJournal } from './memory-inbound-journal.js';
export type { InboundJournal, InboundMessage, ReceiveOutcome, DeadLetter } from './inbound-journal.js';

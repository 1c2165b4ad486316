/** @module The journal port, defined in @steward/core (the vocabulary every package shares); named here for local imports. */
export type { InboundJournal, InboundMessage, ReceiveOutcome, DeadLetter } from '@steward/core';

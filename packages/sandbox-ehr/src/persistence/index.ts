/** @module Durable storage for the sandbox: the write journal and the clinic simulator's saved state. */
export { Journal, journalFileName } from './journal.js';
export type { JournalRecord, JournalContents } from './journal.js';
export { saveStateFile, loadStateFile } from './state-file.js';

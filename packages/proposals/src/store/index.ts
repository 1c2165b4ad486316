/** @module The proposals tables (sealed payloads, append-only history, versioned approval policies): the only SQL that touches them. */
export { ProposalStore } from './proposal-store.js';
export type {
  DrafterFilter,
  MoveChanges,
  NewProposalRow,
  QueueFilter,
  PolicyRow,
  SealedColumn,
} from './proposal-store.js';
export { toSummary, toHistory, NO_DUE_TIME } from './proposal-rows.js';
export type { ProposalRow, HistoryRow } from './proposal-rows.js';
export { proposalStates } from './proposal-states.js';
export type { ProposalState } from './proposal-states.js';
export { throughputByHour, queueAge, queueAgeBuckets } from './queue-figures.js';
export type { HourThroughput, QueueAgeRow, QueueAgeBucket, QueueWindow } from './queue-figures.js';
export { proposalChangesSince } from './proposal-changes.js';
export type { ProposalChange } from './proposal-changes.js';

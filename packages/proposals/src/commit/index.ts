/** @module Commit: the applier (EHR writes through the one writer, channel actions through committers), conflicts, verification, rollback. */
export { ProposalApplier } from './proposal-applier.js';
export type { ChannelCommit, ProposalCommitter, CommitResult, ApplierOptions } from './applier-types.js';
export type { RetryPolicy } from './retry-policy.js';
export type { EhrPort, EhrResource } from './ehr-port.js';
export { InMemoryEhr } from './in-memory-ehr.js';
export { EhrStateReader, reviewablePatient } from './ehr-state.js';
export type { EhrState, EhrStateEntry } from './ehr-state.js';

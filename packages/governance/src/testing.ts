/** @module Test and benchmark helpers for governance: sample audit entries and key rings. */
export { sampleEntry, memoryLog } from './audit/test-fixtures.js';
export type { MemoryLog } from './audit/test-fixtures.js';
export { keyRingWithMasterKey } from './crypto/testing.js';

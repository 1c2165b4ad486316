/** @module Outbound: the one writer to an EHR — governed, version-aware, idempotent, verified, wrong-chart guarded. */
export { EhrWriter, stewardWriteSystem, writableTypes, contains } from './ehr-writer.js';
export type {
  WriteRequest,
  WriteOutcome,
  WriteTarget,
  PatientGuard,
  EhrWriterOptions,
  WritableType,
} from './ehr-writer.js';

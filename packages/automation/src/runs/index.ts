/** @module The run record: a run as a governed object, its steps sealed and hashed into the audit chain. */
export { RunService, haltReasons } from './run-service.js';
export { StoreRunRecorder, stepActions } from './run-recorder.js';
export { RunScreenshotRetention, RunValueRetention } from './run-retention.js';
export type { RunDeps } from './run-deps.js';
export type {
  RunDetail,
  RunFilter,
  RunPage,
  RunStatus,
  RunSummary,
  SealedState,
  StepProblem,
  StepReplay,
  StepView,
  VerifyReport,
} from './run-views.js';

/**
 * @module Automation of EHR screens that have no API (issue 17): screen maps, the executor that never
 * acts on the wrong screen or chart, the screens channel (an `EhrChannel`), and the run record.
 */
export type {
  ElementSpec,
  ScreenContract,
  FieldKind,
  FieldSpec,
  FormTemplate,
  BannerSpec,
  FormSpec,
  PatientSearchSpec,
  ReadSpec,
  ScreenMap,
} from './model/screen-map.js';
export type {
  RunIdentity,
  RunStart,
  StepAction,
  StepRecord,
  ScreenshotType,
  RunRecorder,
  HaltReason,
  RunOutcome,
  RunPatient,
  ScreenCredentials,
  CredentialSource,
} from './model/run.js';
export { browserUnavailable, chromiumExecutable, launchBrowser, type LaunchOptions } from './executor/launch.js';
export {
  ScreenExecutor,
  type ExecutorOptions,
  type PatientReadResult,
  type RunRequest,
  type ScreenReadResult as ScreenReadRun,
  type WriteResult,
} from './executor/executor.js';
export type { ReadRow } from './executor/read-rows.js';
export {
  ScreenReads,
  ScreenReadPoller,
  type ScreenReadsDeps,
  type ScreenReadResult,
  type ScreenReadPollerOptions,
} from './inbound/index.js';
export type { WriteJob, WrittenRecord } from './executor/write-form.js';
export { RunHalt } from './executor/session.js';
export { ScreensChannel, haltError, type ScreensChannelDeps } from './channel/screens.channel.js';
export { InMemoryRunJournal, type JournalledRun, type RunHandle, type RunJournal } from './channel/run-journal.js';
export {
  RunService,
  StoreRunRecorder,
  RunScreenshotRetention,
  RunValueRetention,
  haltReasons,
  stepActions,
} from './runs/index.js';
export type {
  RunDeps,
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
} from './runs/index.js';
export {
  ScreenMaps,
  hashOf,
  validateScreenMap,
  screenMapProblems,
  pathPatternProblem,
  fieldKeyPattern,
  diffScreenMaps,
} from './maps/index.js';
export type {
  ScreenMapStatus,
  ScreenMapVersion,
  ScreenMapRecord,
  ScreenMapsDeps,
  MapChange,
  MapDiff,
} from './maps/index.js';
export { AutomationCredentials } from './credentials/index.js';
export type { AutomationCredentialsDeps, CredentialInput, CredentialStatus } from './credentials/index.js';
export {
  Recorder,
  draftScreenMap,
  pathPattern,
  looksLikeId,
  parseDemonstration,
  replayDemonstration,
  launchRecorderBrowser,
  chromiumArgs,
} from './recorder/index.js';
export type {
  RecorderOptions,
  DraftMap,
  DemonstrationStep,
  Recording,
  RecordedEvent,
  RecordedField,
  PageShown,
  FieldFilled,
  Clicked,
  Submitted,
} from './recorder/index.js';

/**
 * @module Automation of EHR screens that have no API (issue 17): screen maps, the executor that never
 * acts on the wrong screen or chart, the screens channel (an `EhrChannel`), and the run record.
 */
export type * from './model/screen-map.js';
export type * from './model/run.js';
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

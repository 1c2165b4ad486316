/** @module Recording a person's demonstration of an EHR's screens into a draft screen map. */
export { Recorder } from './recorder.js';
export type { RecorderOptions } from './recorder.js';
export { draftScreenMap } from './draft-map.js';
export type { DraftMap } from './draft-map.js';
export { pathPattern, looksLikeId } from './path-pattern.js';
export { parseDemonstration, replayDemonstration } from './demonstration.js';
export type { DemonstrationStep } from './demonstration.js';
export { launchRecorderBrowser, chromiumArgs } from './browser.js';
export type {
  Recording,
  RecordedEvent,
  RecordedField,
  PageShown,
  FieldFilled,
  Clicked,
  Submitted,
} from './recording.js';

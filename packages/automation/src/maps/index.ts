/** @module Screen maps: validation, the versioned reviewed store, and the diff a reviewer reads. */
export { ScreenMaps, hashOf } from './screen-maps.js';
export type { ScreenMapStatus, ScreenMapVersion, ScreenMapRecord, ScreenMapsDeps } from './screen-maps.js';
export { validateScreenMap, screenMapProblems, pathPatternProblem, fieldKeyPattern } from './map-schema.js';
export { diffScreenMaps } from './map-diff.js';
export type { MapChange, MapDiff } from './map-diff.js';

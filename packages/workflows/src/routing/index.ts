/** @module Routing EHR events to workflows: the route contract, and the router with its durable cursor. */
export { EventRouter, routedConnection, routedThrough } from './event-router.js';
export type { EventRouterOptions, RoutedConnection, RouteRound } from './event-router.js';
export { eventRef, resourceRefOf } from './route-types.js';
export type { Route, RouteAction, LinkLookup, EventRef } from './route-types.js';
export { isRetired, patientRefsOf, recordMerge, survivingPatient } from './patient-merges.js';
export { flaggedEvents, recordFlags } from './event-flags.js';
export type { FlaggedEvent } from './event-flags.js';

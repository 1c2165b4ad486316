/** @module Authorization: roles, grants, break-glass, and the one policy decision point. */
export { actions, phiActions, breakGlassActions, rolePermissions, roleAllows } from './permissions.js';
export type { Action } from './permissions.js';
export { GrantStore, validateGrant, MAX_GRANT_ACTION_TYPES } from './grants.js';
export { GrantAdmin } from './grant-admin.js';
export { anySite, type SiteCheck } from './site-check.js';
export type { Grant, NewGrant } from './grants.js';
export { BreakGlassStore, BREAK_GLASS_MAX_MINUTES } from './break-glass.js';
export { BreakGlassService } from './break-glass-service.js';
export type { BreakGlassEpisode, BreakGlassAlarm } from './break-glass.js';
export { PolicyDecisionPoint, actionCode, sourceOf, selfServiceScope } from './decision-point.js';
export type { Decision, Scope, AccessScope } from './decision-point.js';

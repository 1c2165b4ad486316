/** @module The relationships room, assembled from the kernel's parts. */
export { Relationships } from './relationships.js';
export type { RelationshipsDeps } from './relationships.js';

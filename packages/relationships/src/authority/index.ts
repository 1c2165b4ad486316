/** @module Authority from relationships: who may act for a patient, and until when. */
export { Authority } from './authority.js';
export type { AuthorityQuery, AuthorityDecision } from './authority.js';

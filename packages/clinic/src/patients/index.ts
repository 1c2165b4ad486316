/** @module The patient index: one Steward patient across identifiers, connections, sites and merges. */
export { PatientIndex } from './patient-index.js';
export type { PatientIndexDeps, PatientSummary, PatientQuery } from './patient-index.js';
export { PatientReviews } from './patient-reviews.js';
export type { PatientReview, PatientReviewsDeps } from './patient-reviews.js';

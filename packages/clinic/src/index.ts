/**
 * @module The clinic model (issue 15): who the patients are across every identifier, the sites with
 * their own clocks, and (next) the directory of people, places and services and the staff. Below the
 * EHR adapters, which resolve what they receive into it, and above governance, which guards it.
 */
export { PatientIndex } from './patients/index.js';
export type { PatientIndexDeps, PatientSummary, PatientQuery } from './patients/index.js';
export { PatientReviews } from './patients/index.js';
export type { PatientReview, PatientReviewsDeps } from './patients/index.js';

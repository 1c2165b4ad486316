/** @module The patient index: one Steward patient across identifiers, connections, sites and merges. */
export { PatientIndex } from './patient-index.js';
export type { PatientIndexDeps, PatientSummary, PatientQuery } from './patient-index.js';
export { PatientReviews } from './patient-reviews.js';
export type { PatientReview, PatientReviewsDeps } from './patient-reviews.js';
export { PatientLabels } from './patient-labels.js';
export type { PatientLabel, PatientLabelsDeps, LabelRequest } from './patient-labels.js';
export { breakGlassReviewFields, displayFieldsFor, maskMrn, patientDisplayFields } from './display-rule.js';
export type { DisplayViewer, PatientDisplayField } from './display-rule.js';
export { DemographicsLearner } from './demographics-learner.js';
export type {
  DemographicsFailure,
  DemographicsLearnerOptions,
  DemographicsRound,
  PatientDemographicsReader,
  ReadPatient,
} from './demographics-learner.js';

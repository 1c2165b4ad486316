/** @module A Steward patient's confirmed contact-graph party, and the exact-match suggestions before one is confirmed. */
export { PatientLinks } from './patient-links.js';
export type { LinkPatient, PatientLink, PatientContact, LinkSuggestion, PatientContacts } from './patient-links.js';

/** @module FHIR R4 → Steward's model: defensive parsing, per-resource mappers, change → event decisions, subscription notifications. */
export { parseFhirJson, checkResource, defaultMaxBytes, defaultMaxDepth } from './parse-resource.js';
export type { ParseOptions } from './parse-resource.js';
export { knownResourceTypes } from './resource-types.js';
export { fhirInvalid } from './read-elements.js';
export { parseReferenceString, readReference, toParticipant, toPatientRef, participantKinds } from './map-reference.js';
export type { ParsedReference } from './map-reference.js';
export { mapAppointment, appointmentPatient, appointmentStatuses } from './map-appointment.js';
export { mapServiceRequest, serviceRequestPatient, referralStatuses } from './map-service-request.js';
export { mapTask, taskPatient, taskStatuses } from './map-task.js';
export { mapEncounter, encounterPatient, dischargeDisposition } from './map-encounter.js';
export { mapDocumentReference, documentReferencePatient } from './map-document-reference.js';
export { mapPatient, patientLinks } from './map-patient.js';
export type { PatientLink } from './map-patient.js';
export { changeEvents, decideEventTypes, eventResourceTypes } from './change-events.js';
export { subjectOf } from './resource-subject.js';
export type { ChangeContext, EventResourceType } from './change-events.js';
export {
  parseSubscriptionNotification,
  parseSubscriptionStatusBundle,
  detectGaps,
  isNotificationBundle,
  notificationTypes,
} from './subscription-notification.js';
export type {
  SubscriptionNotification,
  NotificationEvent,
  NotificationFocus,
  NotificationGap,
  NotificationType,
} from './subscription-notification.js';
export { readBackportSubscription } from './subscription-request.js';
export type { BackportSubscription } from './subscription-request.js';

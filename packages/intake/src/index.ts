/**
 * @module Intake: documents that arrive (watched folder, EHR, upload, fax/e-mail webhook) read
 * locally, sorted with calibrated confidence, matched to a patient, checked for completeness, and
 * filed through proposals or handed to a person.
 */
export { documentTypes, intakeMediaTypes } from './model/intake-model.js';
export type {
  DocumentType,
  IntakeMediaType,
  IntakeFile,
  ReadPage,
  ReadFields,
  Completeness,
  ReadDocument,
  ReadResult,
  DocumentReader,
} from './model/intake-model.js';
export { IntakeService, rejectReasons } from './service/intake-service.js';
export type { Candidate, ReceiveInput, RejectReason } from './service/intake-service.js';
export type { IntakeDeps, PatientChart } from './service/intake-deps.js';
export type {
  ArrivalView,
  DocumentDetail,
  DocumentSummary,
  IntakePolicy,
  QueueFilter,
  QueuePage,
} from './service/intake-views.js';
export { documentStates } from './store/intake-rows.js';
export type { ArrivalSource, ArrivalOutcome, DocumentState, TrailStep } from './store/intake-rows.js';
export { IntakeRetention } from './store/intake-retention.js';
export { checkArrivingFile, decodeBase64, maxIntakeBytes, sniffMediaType } from './arrival/arrival-file.js';
export type { ArrivingFile } from './arrival/arrival-file.js';
export { mdmDocument } from './arrival/hl7-mdm.js';
export { binaryFile, fhirDocument, fhirDocumentSource, type FhirDocumentSource } from './arrival/fhir-document.js';
export { WatchedFolder } from './arrival/watched-folder.js';
export type { FolderPickup, WatchedFolderOptions } from './arrival/watched-folder.js';
export { IntakeWebhooks } from './arrival/webhook-sources.js';
export { newWebhookSecret, signWebhook, verifyWebhook } from './arrival/webhook-signature.js';
export type { WebhookHeaders } from './arrival/webhook-signature.js';
export { matchPatient, patientIndexCandidates, foldName } from './matching/patient-match.js';
export type { CandidatePatient, MatchOutcome, PatientCandidates } from './matching/patient-match.js';
export { InMemoryHandoffs, intakeHandoffKinds } from './filing/handoff-sink.js';
export type { HandoffRequest, HandoffSink, HandoffTarget, IntakeHandoffKind } from './filing/handoff-sink.js';
export { documentCodes, LOINC } from './filing/document-codes.js';
export { filingDraft } from './filing/filing-proposal.js';
export type { FilingDesk } from './filing/filing-proposal.js';
export {
  answeringTypes,
  awaitingReport,
  chooseReferral,
  completionDraft,
  referralReasons,
  referralReasonWords,
  referralWords,
} from './filing/referral-links.js';
export type { ReferralCandidate, ReferralLinks, ReferralReason } from './filing/referral-links.js';
export type { DocumentReferral, DocumentReferrals } from './service/referral-view.js';
export { LocalDocumentReader, loadClassifier, classifierModelUrl } from './reading/local-document-reader.js';
export type { LocalDocumentReaderOptions, PageReading } from './reading/local-document-reader.js';
export { DocumentClassifier } from './sorting/classifier.js';
export type { ClassifierModel, Classification } from './sorting/classifier.js';
export { extractFields } from './sorting/fields.js';
export { assessCompleteness, checklists, checklistItems } from './completeness/checklists.js';
export type { ChecklistItem } from './completeness/checklists.js';
export { resolveTool, toolPackages } from './reading/tools.js';
export { ReadingWorker } from './worker/reading-worker.js';
export type { ReadingWorkerOptions, ReadOutcome } from './worker/reading-worker.js';

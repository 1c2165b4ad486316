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

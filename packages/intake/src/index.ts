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
export { LocalDocumentReader, loadClassifier, classifierModelUrl } from './reading/local-document-reader.js';
export type { LocalDocumentReaderOptions, PageReading } from './reading/local-document-reader.js';
export { DocumentClassifier } from './sorting/classifier.js';
export type { ClassifierModel, Classification } from './sorting/classifier.js';
export { extractFields } from './sorting/fields.js';
export { assessCompleteness, checklists, checklistItems } from './completeness/checklists.js';
export type { ChecklistItem } from './completeness/checklists.js';
export { resolveTool, toolPackages } from './reading/tools.js';

/**
 * @module Intake: documents that arrive (watched folder, EHR, upload, fax/e-mail webhook) read
 * locally, sorted with calibrated confidence, matched to a patient, checked for completeness, and
 * filed through proposals or handed to a person.
 */
export {};

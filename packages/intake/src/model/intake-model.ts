/**
 * @module The vocabulary intake's parts share: what a file is once read (pages, the documents found
 * in it, each with its type and calibrated confidence, what was read from it and whether it is
 * complete), and the `DocumentReader` port that reads one. The reading side (`reading/`, `sorting/`,
 * `completeness/`) implements it; the arrival and filing side (`arrival/`, `store/`, `filing/`)
 * only calls it, so each can be tested with the other's in-memory stand-in.
 */

/** The document types intake sorts into (issue 19). `other` is a type, not an abstention. */
export const documentTypes = [
  'referral-letter',
  'intake-form',
  'insurance-card',
  'result',
  'consult-note',
  'records-request',
  'prior-authorization',
  'consent',
  'other',
] as const;
export type DocumentType = (typeof documentTypes)[number];

/** The media types a file may arrive as. */
export const intakeMediaTypes = ['application/pdf', 'image/tiff', 'image/png', 'image/jpeg'] as const;
export type IntakeMediaType = (typeof intakeMediaTypes)[number];

/** One file as it arrived: bytes and what they claim to be. */
export interface IntakeFile {
  readonly bytes: Uint8Array;
  readonly mediaType: IntakeMediaType;
}

/** One page of a file, as read. */
export interface ReadPage {
  /** 0-based position in the file. */
  readonly index: number;
  /** Where the text came from: the PDF's own text layer when it has one, else OCR. */
  readonly source: 'text-layer' | 'ocr';
  readonly text: string;
  /** Mean OCR word confidence 0..1 (1 for a text layer). */
  readonly textConfidence: number;
  /** Nearly no ink: a separator or the back of a sheet. */
  readonly blank: boolean;
  /** A fax cover sheet: starts a new document, is not part of one. */
  readonly coverSheet: boolean;
  /** Barcodes found on the page (zbar), as their decoded text. */
  readonly barcodes: readonly string[];
  /** The page as a grayscale PNG at viewer resolution, for the document viewer (PHI: sealed at rest). */
  readonly image: Uint8Array;
}

/** What was read from a document's text: each value as written on the page, absent when not found. */
export interface ReadFields {
  readonly patientFamily?: string;
  readonly patientGiven?: string;
  /** `YYYY-MM-DD`. */
  readonly birthDate?: string;
  /** The medical record number on the page, as written. */
  readonly mrn?: string;
  readonly memberId?: string;
  /** The document's own date, `YYYY-MM-DD`. */
  readonly documentDate?: string;
  readonly fromName?: string;
  readonly fromNpi?: string;
  /** The sender's practice as written (a labelled "From:"/"Practice:" or the letterhead's name). */
  readonly fromOrganization?: string;
  readonly toName?: string;
  /** The reason or subject line as written. */
  readonly subject?: string;
  /** A signature is present where the document type needs one. */
  readonly signed?: boolean;
}

/** A checklist's verdict: complete, or incomplete naming each thing missing (e.g. `signature`, `page 2 of 2`). */
export interface Completeness {
  readonly complete: boolean;
  readonly missing: readonly string[];
}

/** One document found in a file: a run of pages between separators. */
export interface ReadDocument {
  /** The file's page indices that make it, in order (cover sheets and separators excluded). */
  readonly pages: readonly number[];
  /**
   * The type when the classifier is sure enough (its calibrated probability at or above that type's
   * threshold), else null: it abstains and a person sorts it.
   */
  readonly type: DocumentType | null;
  /** The most likely type and its calibrated probability, also when abstaining. */
  readonly bestType: DocumentType;
  readonly confidence: number;
  readonly fields: ReadFields;
  /** Judged against the checklist of `type` (or `bestType` when abstaining). */
  readonly completeness: Completeness;
}

export interface ReadResult {
  readonly pages: readonly ReadPage[];
  readonly documents: readonly ReadDocument[];
  /** The classifier model's version, recorded with each sorting so a rerun can be compared. */
  readonly modelVersion: string;
}

/** Reads a file locally (nothing sent out). Throws a Steward error naming the problem for a file it cannot read. */
export interface DocumentReader {
  read(file: IntakeFile): Promise<ReadResult>;
}

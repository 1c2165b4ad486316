/** @module What the intake service answers: arrivals, queue items, a document with what was read from it. */
import type { DocumentType, ReadFields } from '../model/intake-model.js';
import type { DocumentReferrals } from './referral-view.js';
import type { ArrivalOutcome, ArrivalSource, DocumentState, TrailStep } from '../store/intake-rows.js';

export interface ArrivalView {
  readonly arrivalId: string;
  readonly site: string;
  readonly source: ArrivalSource;
  readonly fileId: string;
  readonly outcome: ArrivalOutcome;
  /** Why: `already received as file <id> on <date>`, the reason a file could not be read. */
  readonly detail?: string;
  /**
   * Where the file is in its reading: `received` (waiting for a reading worker), `reading` (a worker
   * has it, or is routing what it read), `read` (its documents are in `documents`), `unreadable`.
   */
  readonly reading: 'received' | 'reading' | 'read' | 'unreadable';
  /** The same in words: "received, waiting to be read", "being read (attempt 1)", the reason it could not be read. */
  readonly readingNote: string;
  /** The documents found in the file, once it is read. */
  readonly documents: readonly { readonly id: string; readonly state: DocumentState }[];
}

export interface DocumentSummary {
  readonly id: string;
  readonly fileId: string;
  readonly site: string;
  readonly state: DocumentState;
  /** The type set (by the classifier or a person); null while it waits to be sorted. */
  readonly type: DocumentType | null;
  readonly bestType: DocumentType;
  readonly confidence: number;
  readonly typeSetBy: 'classifier' | 'person' | null;
  readonly complete: boolean;
  readonly missing: readonly string[];
  readonly pageCount: number;
  readonly patient?: { readonly id: string; readonly name?: string; readonly birthDate?: string };
  readonly matchReason: string | null;
  /** The referral it answers (a referral workflow id), when linked. */
  readonly referralId: string | null;
  /** Why it was linked or not (`only-open-referral`, `several-open-referrals`, `not-for-a-referral` …). */
  readonly referralReason: string | null;
  readonly proposalId: string | null;
  readonly handoffIds: readonly string[];
  readonly outcomeDetail: string | null;
  /** How the file first arrived (a fax folder, the EHR, an upload, a provider's webhook). */
  readonly source?: ArrivalSource;
  readonly receivedAt: string;
  readonly updatedAt: string;
}

export interface DocumentDetail extends DocumentSummary, DocumentReferrals {
  readonly fields: ReadFields;
  readonly pages: readonly {
    readonly index: number;
    readonly source: 'text-layer' | 'ocr';
    readonly textConfidence: number;
    readonly text?: string;
  }[];
  readonly trail: readonly TrailStep[];
  readonly arrivals: readonly {
    readonly id: string;
    readonly source: ArrivalSource;
    readonly by: string;
    readonly reference?: string;
    readonly outcome: ArrivalOutcome;
    readonly detail?: string;
    readonly receivedAt: string;
  }[];
  readonly modelVersion: string | null;
}

export interface QueueFilter {
  readonly site?: string;
  readonly state?: readonly string[];
  readonly type?: string;
  readonly minConfidence?: number;
  readonly maxConfidence?: number;
  readonly complete?: boolean;
  readonly cursor?: string;
  readonly limit?: number;
}

export interface QueuePage {
  readonly items: readonly DocumentSummary[];
  readonly next?: string;
  /** Files at the caller's sites (the filter's site) received and not read yet: they have no documents so far. */
  readonly reading: number;
}

export interface IntakePolicy {
  readonly site: string;
  readonly version: number;
  /** Types filed without a person (the classifier's confidence at or above the floor). */
  readonly autoFileTypes: readonly DocumentType[];
  readonly confidenceFloor: number;
  /** The staff pool sort, match and incomplete handoffs go to. */
  readonly intakePool: string;
  readonly setBy?: string;
  readonly setAt?: string;
}

/** @module The reconciliation report an import ends with: counts in and out by kind, hash check, what was not imported. */
import type { Listed } from './normalize.js';

export interface KindCounts {
  /** Source rows (or link cells) read. */
  readonly in: number;
  /** Landed as new records by this run. */
  readonly created: number;
  /** Landed onto an existing person as a certain duplicate (contacts), or with such a record (notes). */
  readonly merged: number;
  /** Imported by an earlier run, and now joined by notes that were not valid or not there then. */
  readonly updated: number;
  /** Already imported, unchanged, by an earlier run. */
  readonly unchanged: number;
  readonly notImported: number;
}

export interface ReviewItem {
  readonly partyId: string;
  readonly candidateId: string;
  readonly reason: string;
}

export interface HashMismatch {
  readonly kind: 'contact' | 'relationship';
  readonly location: string;
  readonly targetId: string;
}

export interface ReconciliationReport {
  readonly runId: string;
  readonly site: string;
  readonly sourceSystem: string;
  /** A dry run: what a commit of these files would do; nothing was written. */
  readonly preview: boolean;
  /** This run continued one that stopped before finishing (a crash). */
  readonly resumed: boolean;
  readonly contacts: KindCounts;
  readonly relationships: KindCounts;
  readonly notes: KindCounts;
  /** Everything not imported, with the reason: file, row and field, never a value. */
  readonly notImported: readonly Listed[];
  /** Possible duplicates kept apart for a person to decide (never merged silently). */
  readonly reviews: readonly ReviewItem[];
  readonly hashCheck: { readonly checked: number; readonly mismatched: readonly HashMismatch[] };
  /** Every row is accounted for (in = created + merged + updated + unchanged + not imported) and every hash matched. */
  readonly reconciled: boolean;
}

export function balanced(c: KindCounts): boolean {
  return c.in === c.created + c.merged + c.updated + c.unchanged + c.notImported;
}

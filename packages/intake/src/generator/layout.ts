/**
 * @module What a generated page is made of, before it is drawn: blocks from the top down, and the
 * ground truth kept beside each generated document.
 */
import type { DocumentType } from '../model/intake-model.js';

export type Block =
  | { readonly k: 'title'; readonly text: string }
  | { readonly k: 'heading'; readonly text: string }
  | { readonly k: 'line'; readonly text: string }
  | { readonly k: 'para'; readonly text: string }
  | { readonly k: 'field'; readonly label: string; readonly value: string }
  | { readonly k: 'gap' }
  /** A signature line: `ink` draws a hand-written stroke above it, `blank` leaves it empty. */
  | { readonly k: 'sig'; readonly label: string; readonly mode: 'ink' | 'blank'; readonly seed: number }
  | { readonly k: 'barcode'; readonly value: string }
  | { readonly k: 'check'; readonly label: string; readonly checked: boolean }
  | { readonly k: 'table'; readonly rows: readonly (readonly string[])[] }
  /** An insurance card drawn as a card (front) at the top of the page. */
  | { readonly k: 'card'; readonly lines: readonly string[] };

export type FontFamily = 'Helvetica' | 'Times-Roman' | 'Courier';

export interface PagePlan {
  readonly blocks: readonly Block[];
  /** "Page k of N" at the foot, when the document numbers its pages. */
  readonly footer?: string;
  readonly font: FontFamily;
}

/** The truth about one generated document, kept beside the file. */
export interface DocumentTruth {
  readonly type: DocumentType;
  /** The file's page indices (0-based) that make the document. */
  readonly pages: readonly number[];
  readonly complete: boolean;
  /** What the checklist should name missing, in its words. */
  readonly missing: readonly string[];
  readonly fields: {
    readonly patientFamily: string;
    readonly patientGiven: string;
    readonly birthDate?: string;
    readonly mrn?: string;
    readonly memberId?: string;
    readonly documentDate?: string;
    readonly fromNpi?: string;
    readonly signed?: boolean;
  };
  readonly template: string;
}

/** The truth about one generated file. */
export interface FileTruth {
  readonly name: string;
  readonly mediaType: 'application/pdf' | 'image/tiff';
  readonly pageCount: number;
  /** Page indices that are fax cover sheets, blank separators or separator barcode sheets. */
  readonly separators: readonly number[];
  readonly documents: readonly DocumentTruth[];
}

/** The text a page plan shows, line by line (what a perfect reading would give): for cheap tests. */
export function planText(pages: readonly PagePlan[]): string {
  const lines: string[] = [];
  for (const page of pages) {
    for (const b of page.blocks) {
      switch (b.k) {
        case 'title':
        case 'heading':
        case 'line':
        case 'para':
          lines.push(b.text);
          break;
        case 'field':
          lines.push(`${b.label} ${b.value}`);
          break;
        case 'sig':
          lines.push(b.label);
          break;
        case 'check':
          lines.push(`[${b.checked ? 'X' : ' '}] ${b.label}`);
          break;
        case 'table':
          for (const row of b.rows) lines.push(row.join(' '));
          break;
        case 'card':
          lines.push(...b.lines);
          break;
        case 'gap':
        case 'barcode':
          break;
      }
    }
    if (page.footer !== undefined) lines.push(page.footer);
  }
  return lines.join('\n');
}

/**
 * @module Splitting a file's pages into documents (issue 19, item 2), from what each page shows: a
 * fax cover sheet (starts a new document, is not part of one), a blank page or a separator barcode
 * sheet (`STEWARD-SEP`: ends a document, is not part of one), a document-type barcode
 * (`STEWARD-DOC:<type>`: starts a document of that type), and the document's own "Page k of N"
 * (page 1 starts a new document; a blank page inside a numbered document — the back of a sheet — is
 * skipped when the next page continues the numbering).
 */
import { documentTypes, type DocumentType } from '../model/intake-model.js';

export const separatorBarcode = 'STEWARD-SEP';
export const documentTypeBarcodePrefix = 'STEWARD-DOC:';

const coverCues = [
  /\b(fax|facsimile)\s+(cover|transmittal|transmission)\b/i,
  /\bcover\s+sheet\b/i,
  /\bpages?\s*\(?\s*including\s+cover\b/i,
  /\bnumber\s+of\s+pages\b/i,
];

/** A fax cover sheet by its text: a cover-sheet title or a page count "including cover". */
export function isCoverSheet(text: string): boolean {
  return coverCues.some((cue) => cue.test(text));
}

/** The page's own "Page k of N" (also "Page k/N"), when it shows one that makes sense. */
export function pageMarker(text: string): { page: number; of: number } | undefined {
  // OCR of a fax reads "Page 1 of 2" as "Page lof 2", "Page | of 1", "Page:1.0f.1", "Page i of 2", "1 of -2": a 1 may come out as l, I, i, ! or |.
  // Found on the calibration seed too: "Page J‘of |", "Page'l of 1", "Page l-of 2", "Page-1 of 1", "Page 2;0f 2",
  // "Paget of 1", "Page Lof 1", "Page lef 1", "Page 1 oft", "Page 1 of (1", "Page 1 of]": a 1 read as J, L, t or
  // ], quotes, hyphens and semicolons between the words, "of" read as "ef". A page number read as "?" is not taken.
  const matches = [
    ...text.matchAll(
      /\b[pbfr]a[gq]e[\s.:,;'‘’-]*(\d{1,3}|[lIi|!JLt])[\s.:,;'‘’-]*(?:of|0f|af|ot|ef|\/)[\s.:,;'‘’(-]*(\d{1,3}|[lI|t\]])(?![\d])/gi,
    ),
  ];
  const last = matches.at(-1);
  if (last === undefined) return undefined;
  const num = (s: string | undefined): number => (s === undefined ? NaN : /^[lIi|!JLt\]]$/.test(s) ? 1 : Number(s));
  const page = num(last[1]);
  const of = num(last[2]);
  return page >= 1 && of >= page && of <= 200 ? { page, of } : undefined;
}

/** The type a document-type barcode names, if the page carries one. */
export function barcodeType(barcodes: readonly string[]): DocumentType | undefined {
  for (const code of barcodes) {
    if (!code.startsWith(documentTypeBarcodePrefix)) continue;
    const type = code.slice(documentTypeBarcodePrefix.length);
    if ((documentTypes as readonly string[]).includes(type)) return type as DocumentType;
  }
  return undefined;
}

export interface PageSignals {
  readonly blank: boolean;
  readonly coverSheet: boolean;
  readonly barcodes: readonly string[];
  readonly marker: { page: number; of: number } | undefined;
}

export interface SplitDocument {
  readonly pages: number[];
  /** From a document-type barcode on its first page. */
  readonly barcodeType?: DocumentType;
}

/** The documents in a file: runs of pages between separators, in order. */
export function splitPages(pages: readonly PageSignals[]): SplitDocument[] {
  const docs: { pages: number[]; barcodeType?: DocumentType; lastMarker?: { page: number; of: number } }[] = [];
  let current: (typeof docs)[number] | undefined;
  let closedByBlank: (typeof docs)[number] | undefined;
  const close = (): void => {
    if (current !== undefined && current.pages.length > 0) docs.push(current);
    current = undefined;
  };
  for (const [index, page] of pages.entries()) {
    if (page.coverSheet || page.barcodes.includes(separatorBarcode)) {
      close();
      closedByBlank = undefined;
      continue;
    }
    if (page.blank) {
      const was = current;
      close();
      closedByBlank = was ?? closedByBlank;
      continue;
    }
    const typed = barcodeType(page.barcodes);
    const m = page.marker;
    // The back of a sheet: the page after the blank continues the numbered document before it.
    if (
      current === undefined &&
      closedByBlank !== undefined &&
      typed === undefined &&
      m !== undefined &&
      closedByBlank.lastMarker !== undefined &&
      m.of === closedByBlank.lastMarker.of &&
      m.page === closedByBlank.lastMarker.page + 1
    ) {
      current = docs.pop();
    }
    closedByBlank = undefined;
    if (typed !== undefined || (m?.page === 1 && current !== undefined)) close();
    current ??= { pages: [], ...(typed !== undefined ? { barcodeType: typed } : {}) };
    current.pages.push(index);
    if (m !== undefined) current.lastMarker = m;
  }
  close();
  return docs.map((d) => ({ pages: d.pages, ...(d.barcodeType !== undefined ? { barcodeType: d.barcodeType } : {}) }));
}

/** Decoded symbols per image from `zbarimg --xml`, in the order the images were given. */
export function parseZbarXml(xml: string, images: number): string[][] {
  const out: string[][] = Array.from({ length: images }, () => []);
  const sources = xml.split(/<source\b/).slice(1);
  for (const [i, source] of sources.entries()) {
    if (i >= images) break;
    for (const m of source.matchAll(/<data>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/data>/g)) {
      out[i]?.push((m[1] ?? m[2] ?? '').trim());
    }
  }
  return out;
}

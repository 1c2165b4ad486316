/**
 * @module `LocalDocumentReader`: the `DocumentReader` that reads a file on this machine, nothing sent
 * out. Pages are rendered (PDF) or converted (TIFF, PNG, JPEG) to grayscale PNGs, blank pages found
 * by their ink, text taken from the PDF's text layer or else OCR'd (tesseract), barcodes read
 * (zbarimg), the file split into documents, each classified (calibrated, abstaining below its type's
 * threshold), its fields read and its checklist judged.
 */
import { readFileSync } from 'node:fs';
import { UnexpectedError } from '@steward/core';
import type { DocumentReader, IntakeFile, ReadDocument, ReadPage, ReadResult } from '../model/intake-model.js';
import { DocumentClassifier, type ClassifierModel } from '../sorting/classifier.js';
import { extractFields } from '../sorting/fields.js';
import { assessCompleteness, missingPages, type PageMarker } from '../completeness/checklists.js';
import {
  bandInked,
  blankInkRatio,
  cropBand,
  decodePgm,
  footerBand,
  headerBand,
  inkRatio,
  signatureInk,
  unreadFooter,
  type GrayImage,
} from './page-image.js';
import { barcodes, ocr, ocrBands, rasterize, renderDpi } from './raster.js';
import { isCoverSheet, pageMarker, splitPages, type PageSignals } from './splitting.js';
import { Tools, withTempDir } from './tools.js';
import { meanConfidence, textOf, type Word } from './words.js';

/** The committed model (`npm run` nothing: `node scripts/intake-train.mjs` rewrites it). */
export const classifierModelUrl = new URL('../../model/document-classifier.json', import.meta.url);

export function loadClassifier(url: URL = classifierModelUrl): DocumentClassifier {
  let model: ClassifierModel;
  try {
    model = JSON.parse(readFileSync(url, 'utf8')) as ClassifierModel;
  } catch (e) {
    throw new UnexpectedError('the intake document classifier model is missing or not JSON (packages/intake/model)', {
      cause: e,
    });
  }
  return new DocumentClassifier(model);
}

export interface LocalDocumentReaderOptions {
  /** Programs run at once (tesseract, pdftoppm…); the machine's cores. Default 2. */
  readonly concurrency?: number;
  /** A file with more pages is refused (DOCUMENT_UNREADABLE). Default 200. */
  readonly maxPages?: number;
  readonly classifier?: DocumentClassifier;
  readonly tools?: Tools;
}

/** A page as read, with what reading needs beyond the port's `ReadPage`. */
export interface PageReading {
  readonly page: ReadPage;
  readonly words: readonly Word[];
  readonly image: GrayImage;
}

export class LocalDocumentReader implements DocumentReader {
  readonly #tools: Tools;
  readonly #concurrency: number;
  readonly #maxPages: number;
  #classifier: DocumentClassifier | undefined;

  constructor(options: LocalDocumentReaderOptions = {}) {
    this.#concurrency = options.concurrency ?? 2;
    this.#tools = options.tools ?? new Tools(this.#concurrency);
    this.#maxPages = options.maxPages ?? 200;
    this.#classifier = options.classifier;
  }

  get classifier(): DocumentClassifier {
    return (this.#classifier ??= loadClassifier());
  }

  /** Pages only: text, blank, cover sheet, barcodes, image (the training script reads with this). */
  async readPages(file: IntakeFile): Promise<PageReading[]> {
    return withTempDir(async (dir) => {
      const raster = await rasterize(this.#tools, dir, file.bytes, file.mediaType, this.#maxPages);
      const images = raster.map((r) => decodePgm(r.pgm));
      const blank = images.map((img, i) => raster[i]?.textLayer === undefined && inkRatio(img) < blankInkRatio);
      const toOcr = raster
        .map((r, i) => ({ r, i }))
        .filter(({ r, i }) => r.textLayer === undefined && blank[i] !== true);
      const inked = raster.map((r, i) => ({ r, i })).filter(({ i }) => blank[i] !== true);
      const [ocrWords, codes] = await Promise.all([
        ocr(
          this.#tools,
          dir,
          toOcr.map(({ r }) => r.path),
          this.#concurrency,
        ),
        barcodes(
          this.#tools,
          inked.map(({ r }) => r.path),
        ),
      ]);
      const wordsOf = new Map(toOcr.map(({ i }, k) => [i, ocrWords[k] ?? []]));
      const codesOf = new Map(inked.map(({ i }, k) => [i, codes[k] ?? []]));
      return raster.map((r, index): PageReading => {
        const words = r.textLayer ?? wordsOf.get(index) ?? [];
        const text = textOf(words);
        const image = images[index] as GrayImage;
        return {
          words,
          image,
          page: {
            index,
            source: r.textLayer !== undefined ? 'text-layer' : 'ocr',
            text,
            textConfidence: r.textLayer !== undefined ? 1 : meanConfidence(words),
            blank: blank[index] === true,
            coverSheet: isCoverSheet(text),
            barcodes: codesOf.get(index) ?? [],
            image: r.png,
          },
        };
      });
    });
  }

  /**
   * Each page's "Page k of N". First from the page's own OCR; then, for pages where that found no
   * marker but ink sits in the footer band, and for every page of a document whose markers do not add
   * up (a page named missing), the footer and header bands are read again on their own (`ocrBands`):
   * the footer's reading wins, then the header's, then the page's. A band reading takes the larger N of
   * the two readings, so a misread "of" can only name a page missing, never hide one.
   */
  async pageMarkers(readings: readonly PageReading[]): Promise<(PageMarker | undefined)[]> {
    const numbered = (r: PageReading): boolean => !r.page.blank && !r.page.coverSheet;
    const full = readings.map((r) => (numbered(r) ? pageMarker(r.page.text) : undefined));
    const ask = new Set<number>();
    for (const [i, r] of readings.entries())
      if (numbered(r) && full[i] === undefined && unreadFooter(r.image, r.words)) ask.add(i);
    for (const doc of splitPages(readings.map((r, i) => signalsOf(r, full[i]))))
      if (missingPages(doc.pages.map((i) => full[i])).length > 0) for (const i of doc.pages) ask.add(i);
    if (ask.size === 0) return full;
    const bands: { page: number; image: GrayImage }[] = [];
    for (const i of [...ask].sort((a, b) => a - b)) {
      const image = (readings[i] as PageReading).image;
      for (const band of [footerBand, headerBand]) {
        const crop = cropBand(image, band);
        if (bandInked(crop)) bands.push({ page: i, image: crop });
      }
    }
    const texts = await withTempDir((dir) =>
      ocrBands(
        this.#tools,
        dir,
        bands.map((b) => b.image),
      ),
    );
    const byBand = new Map<number, PageMarker>();
    for (const [k, band] of bands.entries()) {
      const m = pageMarker(texts[k] ?? '');
      // Footer first (it was pushed first): a header's reading is kept only when the footer gave none.
      if (m !== undefined && !byBand.has(band.page)) byBand.set(band.page, m);
    }
    return full.map((m, i) => {
      const b = byBand.get(i);
      return b === undefined ? m : { page: b.page, of: Math.max(b.of, m?.of ?? 0) };
    });
  }

  async read(file: IntakeFile): Promise<ReadResult> {
    const classifier = this.classifier;
    const readings = await this.readPages(file);
    const markers = await this.pageMarkers(readings);
    const split = splitPages(readings.map((r, i) => signalsOf(r, markers[i])));
    const documents = split.map((doc): ReadDocument => {
      const pages = doc.pages.map((i) => readings[i] as PageReading);
      const text = pages.map((p) => p.page.text).join('\n');
      const fields = extractFields(text);
      const inked = pages.some((p) => signatureInk(p.image, p.words, renderDpi));
      const signed = fields.signed === true || inked;
      const c =
        doc.barcodeType !== undefined
          ? { type: doc.barcodeType, bestType: doc.barcodeType, confidence: 1 }
          : classifier.classify(text);
      const fullFields = { ...fields, signed };
      return {
        pages: doc.pages,
        type: c.type,
        bestType: c.bestType,
        confidence: c.confidence,
        fields: fullFields,
        completeness: assessCompleteness(
          c.type ?? c.bestType,
          fullFields,
          // A page with no marker read but a footer at its foot: its number is unreadable (see missingPages).
          doc.pages.map(
            (i) =>
              markers[i] ??
              (unreadFooter((readings[i] as PageReading).image, (readings[i] as PageReading).words)
                ? 'unreadable'
                : undefined),
          ),
        ),
      };
    });
    return { pages: readings.map((r) => r.page), documents, modelVersion: classifier.version };
  }
}

/** What splitting needs of a page, with its marker as read. */
function signalsOf(r: PageReading, marker: PageMarker | undefined): PageSignals {
  return { blank: r.page.blank, coverSheet: r.page.coverSheet, barcodes: r.page.barcodes, marker };
}

/**
 * @module A file's pages as 8-bit gray PGMs (for analysis, OCR and barcodes) and PNGs (for the viewer)
 * at a square resolution, and its text layer when it has one: PDF → pdftotext `-bbox` (words with
 * boxes) and pdftoppm (`-gray`, 200 dpi); TIFF (G3/G4 fax, one or
 * many pages), PNG, JPEG → ImageMagick, stretched square when the fax was sent at normal resolution
 * (204×98 dpi: its rows are doubled). Then OCR (tesseract TSV, one process per chunk of pages) for the pages without a text
 * layer, and barcodes (zbarimg, one process per file).
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OperationalError, UserError } from '@steward/core';
import type { IntakeMediaType } from '../model/intake-model.js';
import type { Tools } from './tools.js';
import { parseZbarXml } from './splitting.js';
import { parsePdftotextBbox, parseTesseractTsv, textOf, type Word } from './words.js';
import { decodePgm, encodePgm, type GrayImage } from './page-image.js';
import { encodeGrayPng } from './gray-png.js';

export const renderDpi = 200;
/** A page whose text layer has fewer words than this is OCR'd instead (a scanned PDF's pages). */
const minTextLayerWords = 5;

export interface RasterPage {
  readonly png: Uint8Array;
  /** The same page as 8-bit gray pixels, for blank detection and the signature check. */
  readonly pgm: Uint8Array;
  readonly path: string;
  /** The text layer's words, when the page has one. */
  readonly textLayer: Word[] | undefined;
}

const unreadable = (why: string): UserError =>
  new UserError('DOCUMENT_UNREADABLE', `the file cannot be read: ${why}`, [{ path: 'file', message: why }]);

/** Checks the bytes are what the media type says (magic numbers), before any program sees them. */
export function checkMagic(bytes: Uint8Array, mediaType: IntakeMediaType): void {
  if (bytes.length === 0) throw unreadable('it is empty');
  const head = Buffer.from(bytes.subarray(0, 8));
  const ok =
    mediaType === 'application/pdf'
      ? head.subarray(0, 5).toString('latin1') === '%PDF-'
      : mediaType === 'image/tiff'
        ? head.subarray(0, 4).equals(Buffer.from([0x49, 0x49, 0x2a, 0x00])) ||
          head.subarray(0, 4).equals(Buffer.from([0x4d, 0x4d, 0x00, 0x2a]))
        : mediaType === 'image/png'
          ? head.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
          : head[0] === 0xff && head[1] === 0xd8;
  if (!ok) throw unreadable(`it is not a ${mediaType} file`);
}

const byNumber = (a: string, b: string): number =>
  Number(/(\d+)\.(?:png|pgm)$/.exec(a)?.[1]) - Number(/(\d+)\.(?:png|pgm)$/.exec(b)?.[1]);

/** An image page's resolution; `square` when its pixels are square or its units unknown (never stretched). */
interface Frame {
  readonly x: number;
  readonly y: number;
  readonly square: boolean;
}

/**
 * A TIFF's pages from its image file directories (baseline TIFF 6.0: byte order, a chain of IFDs),
 * each with its X and Y resolution; undefined when the chain cannot be walked (then identify is asked).
 * Pixels per inch or per centimetre alike: only their ratio matters.
 */
export function tiffFrames(bytes: Uint8Array, maxPages: number): Frame[] | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8) return undefined;
  const little = bytes[0] === 0x49;
  const u16 = (at: number): number => view.getUint16(at, little);
  const u32 = (at: number): number => view.getUint32(at, little);
  const frames: Frame[] = [];
  const seen = new Set<number>();
  try {
    let ifd = u32(4);
    while (ifd !== 0) {
      if (seen.has(ifd) || frames.length > maxPages) return frames.length > maxPages ? frames : undefined;
      seen.add(ifd);
      const entries = u16(ifd);
      let x = 0;
      let y = 0;
      let unit = 2;
      for (let e = 0; e < entries; e++) {
        const at = ifd + 2 + e * 12;
        const tag = u16(at);
        const rational = (): number => {
          const off = u32(at + 8);
          const den = u32(off + 4);
          return den === 0 ? 0 : u32(off) / den;
        };
        if (tag === 282) x = rational();
        else if (tag === 283) y = rational();
        else if (tag === 296) unit = u16(at + 8);
      }
      frames.push({ x, y, square: unit === 1 });
      ifd = u32(ifd + 2 + entries * 12);
    }
  } catch {
    return undefined; // an offset past the end: a broken file, for identify to judge
  }
  return frames;
}

export async function rasterize(
  tools: Tools,
  dir: string,
  bytes: Uint8Array,
  mediaType: IntakeMediaType,
  maxPages: number,
): Promise<RasterPage[]> {
  checkMagic(bytes, mediaType);
  if (mediaType === 'application/pdf') {
    const input = join(dir, 'in.pdf');
    await writeFile(input, bytes);
    const info = await tools.run('pdfinfo', [input], { timeoutMs: 30_000, step: 'PDF page count' }).catch(() => {
      throw unreadable('it is not a readable PDF');
    });
    const count = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? 0);
    if (count === 0) throw unreadable('it has no pages');
    if (count > maxPages) throw unreadable(`it has more than ${maxPages} pages`);
    const [bbox] = await Promise.all([
      tools.run('pdftotext', ['-bbox', input, '-'], { timeoutMs: 60_000, step: 'PDF text layer' }),
      tools.run('pdftoppm', ['-r', String(renderDpi), '-gray', input, join(dir, 'p')], {
        timeoutMs: 30_000 + 5_000 * count,
        step: 'render PDF pages',
      }),
    ]);
    const layer = parsePdftotextBbox(bbox, renderDpi);
    const pgms = (await readdir(dir)).filter((n) => /^p-\d+\.pgm$/.test(n)).sort(byNumber);
    return Promise.all(
      pgms.map(async (name, i) => {
        const words = layer[i] ?? [];
        const pgm = new Uint8Array(await readFile(join(dir, name)));
        return {
          png: await encodeGrayPng(decodePgm(pgm)),
          pgm,
          path: join(dir, name),
          textLayer: words.length >= minTextLayerWords ? words : undefined,
        };
      }),
    );
  }
  const ext = mediaType === 'image/tiff' ? 'tif' : mediaType === 'image/png' ? 'png' : 'jpg';
  const input = join(dir, `in.${ext}`);
  await writeFile(input, bytes);
  // A TIFF's pages and resolutions from its own directory (no program run); other images, or a TIFF
  // whose directory cannot be walked, through ImageMagick's identify.
  const fromHeader = mediaType === 'image/tiff' ? tiffFrames(bytes, maxPages) : undefined;
  const frames =
    fromHeader ??
    (
      await tools
        .run('identify', ['-format', '%x %y %U\\n', input], { timeoutMs: 30_000, step: 'image page count' })
        .catch(() => {
          throw unreadable(`it is not a readable ${mediaType} image`);
        })
    )
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((f): Frame => {
        const [x, y, units] = f.split(' ');
        return { x: Number(x), y: Number(y), square: units !== 'PixelsPerInch' };
      });
  if (frames.length === 0) throw unreadable('it has no pages');
  if (frames.length > maxPages) throw unreadable(`it has more than ${maxPages} pages`);
  // A fax sent at normal resolution is half as tall as it is wide per inch: stretch it square.
  const uneven = frames.some((f) => !f.square && f.x > 0 && f.y > 0 && f.y < 0.75 * f.x);
  await tools
    .run(
      'convert',
      [
        input,
        ...(uneven ? ['-sample', '100%x200%'] : []),
        '-colorspace',
        'Gray',
        '-depth',
        '8',
        '+adjoin',
        join(dir, 'p-%d.pgm'),
      ],
      { timeoutMs: 30_000 + 5_000 * frames.length, step: 'convert image pages' },
    )
    .catch((e: unknown) => {
      // identify was skipped: a TIFF whose directory reads but whose pixels do not is unreadable, as identify would say.
      throw fromHeader !== undefined && !(e instanceof OperationalError && /ran past/.test(e.message))
        ? unreadable(`it is not a readable ${mediaType} image`)
        : e;
    });
  const names = (await readdir(dir)).filter((n) => /^p-\d+\.pgm$/.test(n)).sort(byNumber);
  return Promise.all(
    names.map(async (name) => {
      const pgm = new Uint8Array(await readFile(join(dir, name)));
      return { png: await encodeGrayPng(decodePgm(pgm)), pgm, path: join(dir, name), textLayer: undefined };
    }),
  );
}

/** OCR words per page (tesseract TSV); pages are split into at most `chunks` processes. */
export async function ocr(tools: Tools, dir: string, paths: readonly string[], chunks: number): Promise<Word[][]> {
  if (paths.length === 0) return [];
  const per = Math.ceil(paths.length / Math.max(1, Math.min(chunks, paths.length)));
  const groups: string[][] = [];
  for (let i = 0; i < paths.length; i += per) groups.push(paths.slice(i, i + per));
  const results = await Promise.all(
    groups.map(async (group, g) => {
      const list = join(dir, `ocr-${g}.txt`);
      await writeFile(list, group.join('\n') + '\n');
      const tsv = await tools.run('tesseract', [list, 'stdout', '--dpi', String(renderDpi), '--psm', '3', 'tsv'], {
        timeoutMs: 60_000 * group.length,
        step: `OCR of ${group.length} page(s)`,
      });
      const pages = parseTesseractTsv(tsv);
      return group.map((_, i) => pages[i] ?? []);
    }),
  );
  return results.flat();
}

/** Barcodes per page (zbarimg, Code 128 and QR). zbarimg exits 4 when it finds none: that is an answer, not a failure. */
export async function barcodes(tools: Tools, paths: readonly string[]): Promise<string[][]> {
  if (paths.length === 0) return [];
  const xml = await tools.run(
    'zbarimg',
    ['--xml', '-q', '-Sdisable', '-Scode128.enable', '-Sqrcode.enable', ...paths],
    { timeoutMs: 10_000 + 3_000 * paths.length, step: 'barcodes', okExitCodes: [4] },
  );
  return parseZbarXml(xml, paths.length);
}

/** Characters a "Page k of N" is written with: the band OCR reads nothing else. */
const markerCharacters = 'PAGEpageOFof0123456789/ ';

/**
 * The text of bands cropped from pages (a page's footer, where "Page k of N" sits), read again on
 * their own: smoothed (a Gaussian of 0.7 px, before upscaling: five times cheaper than after), upscaled three times and thresholded (ImageMagick, one run for all bands) so
 * a fax's jagged, broken 11 pt digits become whole strokes, then OCR'd as a block of text with only
 * the characters of a page marker allowed (tesseract, one run). Costs about 0.1 s a band.
 */
export async function ocrBands(tools: Tools, dir: string, bands: readonly GrayImage[]): Promise<string[]> {
  if (bands.length === 0) return [];
  const inputs = await Promise.all(
    bands.map(async (band, i) => {
      const path = join(dir, `band-${i}.pgm`);
      await writeFile(path, encodePgm(band));
      return path;
    }),
  );
  await tools.run(
    'convert',
    [...inputs, '-blur', '0x0.7', '-resize', '300%', '-threshold', '55%', '+adjoin', join(dir, 'band-up-%d.pgm')],
    { timeoutMs: 30_000 + 2_000 * bands.length, step: 'page number bands' },
  );
  const list = join(dir, 'bands.txt');
  await writeFile(list, bands.map((_, i) => join(dir, `band-up-${i}.pgm`)).join('\n') + '\n');
  const tsv = await tools.run(
    'tesseract',
    [
      list,
      'stdout',
      '--dpi',
      String(renderDpi * 3),
      '--psm',
      '6',
      '-c',
      `tessedit_char_whitelist=${markerCharacters}`,
      'tsv',
    ],
    { timeoutMs: 30_000 + 5_000 * bands.length, step: `OCR of ${bands.length} page number band(s)` },
  );
  const pages = parseTesseractTsv(tsv);
  return bands.map((_, i) => textOf(pages[i] ?? []));
}

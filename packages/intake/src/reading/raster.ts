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
import { UserError } from '@steward/core';
import type { IntakeMediaType } from '../model/intake-model.js';
import type { Tools } from './tools.js';
import { parseZbarXml } from './splitting.js';
import { parsePdftotextBbox, parseTesseractTsv, type Word } from './words.js';

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
    // The viewer's PNGs from the rendered pages, in one ImageMagick run.
    await tools.run('convert', [...pgms.map((n) => join(dir, n)), '-quality', '10', '+adjoin', join(dir, 'v-%d.png')], {
      timeoutMs: 30_000 + 5_000 * count,
      step: 'PDF page images',
    });
    return Promise.all(
      pgms.map(async (name, i) => {
        const words = layer[i] ?? [];
        return {
          png: new Uint8Array(await readFile(join(dir, `v-${i}.png`))),
          pgm: new Uint8Array(await readFile(join(dir, name))),
          path: join(dir, name),
          textLayer: words.length >= minTextLayerWords ? words : undefined,
        };
      }),
    );
  }
  const ext = mediaType === 'image/tiff' ? 'tif' : mediaType === 'image/png' ? 'png' : 'jpg';
  const input = join(dir, `in.${ext}`);
  await writeFile(input, bytes);
  const frames = (
    await tools
      .run('identify', ['-format', '%x %y %U\\n', input], { timeoutMs: 30_000, step: 'image page count' })
      .catch(() => {
        throw unreadable(`it is not a readable ${mediaType} image`);
      })
  )
    .split('\n')
    .filter((l) => l.trim() !== '');
  if (frames.length === 0) throw unreadable('it has no pages');
  if (frames.length > maxPages) throw unreadable(`it has more than ${maxPages} pages`);
  // A fax sent at normal resolution is half as tall as it is wide per inch: stretch it square.
  const uneven = frames.some((f) => {
    const [x, y, units] = f.split(' ');
    return units === 'PixelsPerInch' && Number(x) > 0 && Number(y) > 0 && Number(y) < 0.75 * Number(x);
  });
  await tools.run(
    'convert',
    [
      input,
      ...(uneven ? ['-sample', '100%x200%'] : []),
      '-colorspace',
      'Gray',
      '-depth',
      '8',
      '-quality',
      '10',
      '+adjoin',
      '-write',
      join(dir, 'p-%d.pgm'),
      join(dir, 'p-%d.png'),
    ],
    { timeoutMs: 30_000 + 5_000 * frames.length, step: 'convert image pages' },
  );
  const names = (await readdir(dir)).filter((n) => /^p-\d+\.png$/.test(n)).sort(byNumber);
  return Promise.all(
    names.map(async (name) => {
      const pgm = join(dir, name.replace(/\.png$/, '.pgm'));
      return {
        png: new Uint8Array(await readFile(join(dir, name))),
        pgm: new Uint8Array(await readFile(pgm)),
        path: pgm,
        textLayer: undefined,
      };
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

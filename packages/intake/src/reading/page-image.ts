/**
 * @module What the pixels of a page say, in memory (from the 8-bit gray PGM written beside each page's PNG): how much ink it
 * carries (blank-page detection) and whether there is hand-drawn ink on a signature line.
 */
import type { Word } from './words.js';

export interface GrayImage {
  readonly width: number;
  readonly height: number;
  /** One byte per pixel, 0 black … 255 white. */
  readonly gray: Uint8Array;
}

/**
 * A binary PGM (P5, 8-bit), as ImageMagick writes beside each page's PNG: read in a few
 * milliseconds, where decoding the PNG in JavaScript takes hundreds.
 */
export function decodePgm(pgm: Uint8Array): GrayImage {
  let pos = 0;
  const token = (): string => {
    while (pos < pgm.length) {
      const c = pgm[pos] ?? 0;
      if (c === 0x23) while (pos < pgm.length && pgm[pos] !== 0x0a) pos++;
      else if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else break;
    }
    const start = pos;
    while (pos < pgm.length && ![0x20, 0x0a, 0x0d, 0x09].includes(pgm[pos] ?? 0)) pos++;
    return Buffer.from(pgm.subarray(start, pos)).toString('latin1');
  };
  const magic = token();
  const width = Number(token());
  const height = Number(token());
  const max = Number(token());
  pos += 1;
  if (magic !== 'P5' || !(width > 0) || !(height > 0) || max !== 255 || pgm.length - pos < width * height) {
    throw new RangeError('not an 8-bit binary PGM');
  }
  return { width, height, gray: pgm.subarray(pos, pos + width * height) };
}

const DARK = 128;

/**
 * Share of the page's 8×8-pixel blocks that hold ink, 0..1. A block holds ink when at least 10 of its
 * 64 pixels are dark: text strokes fill a fifth or more of the blocks they cross, while fax speckle
 * (a pixel or a 2×2 clump here and there) almost never puts 10 in one block.
 */
export function inkRatio(image: GrayImage): number {
  const { width, height, gray } = image;
  const B = 8;
  const cols = Math.floor(width / B);
  const rows = Math.floor(height / B);
  let inked = 0;
  for (let by = 0; by < rows; by++) {
    for (let bx = 0; bx < cols; bx++) {
      let dark = 0;
      for (let y = by * B; y < by * B + B && dark < 10; y++) {
        const row = y * width + bx * B;
        for (let x = 0; x < B; x++) if ((gray[row + x] ?? 255) < DARK) dark++;
      }
      if (dark >= 10) inked++;
    }
  }
  return inked / Math.max(1, cols * rows);
}

/** Below this share of ink a page is blank (a separator or the back of a sheet). */
export const blankInkRatio = 0.001;

const labelWord = /^sign(ature|ed)\W*$/i;
const labelWordMisread = /^signature[sil]\W*$/i;

/**
 * Whether a hand-drawn signature is on a signature line of this page. The label is found among the
 * page's words ("Signature:", "Signed:"; it runs on to the first word ending with a colon — or the ";" or "?"
 * OCR reads for one — over plain words read with confidence, as in "Signature of patient:", never
 * over the signature itself read as debris: "Signature; AAR OO."), then the band to its right is examined: 3.2 inches wide, from 1.4 label
 * heights above the label to 0.6 below it (where the ruled line is). A column of the band is a pen
 * column when its longest vertical ink run is at least 5 px at 200 dpi (a pen stroke crossing it;
 * the ruled line is 2–4 px thick, fax speckle 1–2 px); the line is signed when pen columns add up
 * to a quarter of an inch.
 *
 * Limits, and why they fail safe: a signature written well above the line or over the label, a very
 * small set of initials, a faint pen lost in thresholding, or a label OCR cannot read, is missed — the
 * document is then called unsigned and a person looks. A name typed on the line would count as
 * ink; e-signatures are recognised by their own statement ("Electronically signed by …") instead.
 */
export function signatureInk(image: GrayImage, words: readonly Word[], dpi: number): boolean {
  const minRun = Math.max(3, Math.round((5 / 200) * dpi));
  for (const [i, word] of words.entries()) {
    // "Signatures" (the colon read as an s, or an i or l) only as the first word of its line, where a
    // label stands; inside a sentence it is a word.
    const firstOnLine = words[i - 1]?.line !== word.line;
    if (!labelWord.test(word.text) && !(firstOnLine && labelWordMisread.test(word.text))) continue;
    let end = word;
    for (let j = i; j < words.length && j < i + 4; j++) {
      const w = words[j];
      if (w === undefined || w.line !== word.line) break;
      // The label runs on over plain words ("of patient:"), not over the signature OCR read as words.
      if (j > i && (w.confidence < 0.6 || !/^[A-Za-z/()]+[:;?.]?$/.test(w.text))) break;
      end = w;
      if (/[:;?]$/.test(w.text)) break;
    }
    const h = Math.max(1, word.y1 - word.y0);
    const x0 = Math.round(end.x1 + 0.04 * dpi);
    const x1 = Math.min(image.width - 1, Math.round(end.x1 + 3.2 * dpi));
    const y0 = Math.max(0, Math.round(word.y0 - 1.4 * h));
    const y1 = Math.min(image.height - 1, Math.round(word.y1 + 0.6 * h));
    let penColumns = 0;
    for (let x = x0; x <= x1; x++) {
      let run = 0;
      let longest = 0;
      for (let y = y0; y <= y1; y++) {
        if ((image.gray[y * image.width + x] ?? 255) < DARK) {
          run += 1;
          if (run > longest) longest = run;
        } else run = 0;
      }
      if (longest >= minRun) penColumns++;
    }
    if (penColumns >= 0.25 * dpi) return true;
  }
  return false;
}

/** Edit distance between two short words (for telling a misread "Page" from other footer words). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (cur[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** The band at the foot of a letter page where a "Page k of N" sits, as shares of the page's height. */
export const footerBand = { top: 0.895, bottom: 0.955 } as const;

/**
 * Whether the page shows a footer at its foot that reads as nothing but could be a page number: ink
 * in the footer band (8×8 blocks with 10 or more dark pixels, as `inkRatio`, at least 6 of them:
 * "Page 1 of 2" in 11 pt fills dozens, fax speckle none), unless the words OCR read there are
 * confidently something else (two or more words of four or more letters read with confidence 0.85
 * or more, none within two letters of "page": a "Confidential" or a form name). The caller asks only
 * when no "Page k of N" was read off the page. Wrong either way costs little: a footer taken for an
 * unreadable number sends a whole document to a person; the other way round, a page may be missing.
 */
export function unreadFooter(image: GrayImage, words: readonly Word[]): boolean {
  const { width, height, gray } = image;
  const B = 8;
  const y0 = Math.floor(height * footerBand.top);
  const y1 = Math.floor(height * footerBand.bottom);
  const x0 = Math.floor(width * 0.04);
  const x1 = Math.floor(width * 0.96);
  let inked = 0;
  for (let by = y0; by + B <= y1; by += B) {
    for (let bx = x0; bx + B <= x1; bx += B) {
      let dark = 0;
      for (let y = by; y < by + B && dark < 10; y++) {
        const row = y * width + bx;
        for (let x = 0; x < B; x++) if ((gray[row + x] ?? 255) < DARK) dark++;
      }
      if (dark >= 10) inked++;
    }
  }
  if (inked < 6) return false;
  const inBand = words.filter((w) => {
    const mid = (w.y0 + w.y1) / 2;
    return mid >= y0 && mid <= y1;
  });
  const plain = inBand.filter((w) => w.confidence >= 0.85 && /^[A-Za-z]{4,}[.,:]?$/.test(w.text));
  const pageLike = inBand.some((w) => editDistance(w.text.replace(/[^A-Za-z]/g, '').toLowerCase(), 'page') <= 2);
  return !(plain.length >= 2 && !pageLike);
}

/** The band at the head of a page where a "Page k of N" may sit instead (continuation pages of a letter). */
export const headerBand = { top: 0.025, bottom: 0.1 } as const;

/** A horizontal band of the page (shares of its height), 4 % to 96 % of its width: the pixels a band OCR reads. */
export function cropBand(image: GrayImage, band: { readonly top: number; readonly bottom: number }): GrayImage {
  const y0 = Math.floor(image.height * band.top);
  const y1 = Math.min(image.height, Math.ceil(image.height * band.bottom));
  const x0 = Math.floor(image.width * 0.04);
  const x1 = Math.ceil(image.width * 0.96);
  const width = Math.max(1, x1 - x0);
  const height = Math.max(1, y1 - y0);
  const gray = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    gray.set(image.gray.subarray((y0 + y) * image.width + x0, (y0 + y) * image.width + x1), y * width);
  return { width, height, gray };
}

/** The image as a binary PGM (P5, 8-bit), as `decodePgm` reads and tesseract and ImageMagick take. */
export function encodePgm(image: GrayImage): Uint8Array {
  const head = Buffer.from(`P5\n${image.width} ${image.height}\n255\n`, 'latin1');
  return new Uint8Array(
    Buffer.concat([head, Buffer.from(image.gray.buffer, image.gray.byteOffset, image.gray.length)]),
  );
}

/** Whether a band holds ink worth reading: at least 6 of its 8×8 blocks with 10 or more dark pixels (as `inkRatio`). */
export function bandInked(image: GrayImage): boolean {
  const { width, height, gray } = image;
  const B = 8;
  let inked = 0;
  for (let by = 0; by + B <= height; by += B) {
    for (let bx = 0; bx + B <= width; bx += B) {
      let dark = 0;
      for (let y = by; y < by + B && dark < 10; y++) {
        const row = y * width + bx;
        for (let x = 0; x < B; x++) if ((gray[row + x] ?? 255) < DARK) dark++;
      }
      if (dark >= 10 && ++inked >= 6) return true;
    }
  }
  return false;
}

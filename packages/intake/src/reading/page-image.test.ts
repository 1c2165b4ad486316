import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  bandInked,
  cropBand,
  decodePgm,
  encodePgm,
  footerBand,
  headerBand,
  signatureInk,
  unreadFooter,
  type GrayImage,
} from './page-image.js';
import { encodeGrayPng } from './gray-png.js';
import { inflateSync } from 'node:zlib';
import type { Word } from './words.js';

/** A white letter page at 200 dpi (1700×2200) with black boxes drawn where asked. */
function page(boxes: readonly [x0: number, y0: number, x1: number, y1: number][]): GrayImage {
  const width = 1700;
  const height = 2200;
  const gray = new Uint8Array(width * height).fill(255);
  for (const [x0, y0, x1, y1] of boxes)
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) gray[y * width + x] = 0;
  return { width, height, gray };
}
const footY = Math.round(2200 * (footerBand.top + 0.01));
/** Something like "Page 1 of 2" at the foot, right-aligned: strokes 3 px wide, 25 px high. */
const footer: [number, number, number, number][] = Array.from({ length: 20 }, (_, i) => [
  1400 + i * 10,
  footY,
  1403 + i * 10,
  footY + 25,
]);
const word = (text: string, confidence: number, y: number): Word => ({
  text,
  confidence,
  x0: 1400,
  x1: 1500,
  y0: y,
  y1: y + 25,
  line: 40,
});

describe('footer where a page number would be', () => {
  it('finds ink at the foot of a page that OCR read nothing from', () => {
    assert.equal(unreadFooter(page(footer), []), true);
    assert.equal(unreadFooter(page(footer), [word('Paqe', 0.4, footY), word('lof', 0.3, footY)]), true);
  });

  it('finds none on a page with no footer, body text above the band or a few specks', () => {
    assert.equal(unreadFooter(page([]), []), false);
    assert.equal(unreadFooter(page([[200, 1500, 1500, 1900]]), []), false);
    assert.equal(
      unreadFooter(
        page([
          [300, footY, 302, footY + 2],
          [900, footY + 30, 902, footY + 32],
        ]),
        [],
      ),
      false,
    );
  });

  it('leaves a footer OCR read confidently as other words (not a page number)', () => {
    const read = [word('Confidential', 0.95, footY), word('Clinic', 0.92, footY)];
    assert.equal(unreadFooter(page(footer), read), false);
    // …but not when one of them could be a misread "Page".
    assert.equal(unreadFooter(page(footer), [...read, word('Paqe', 0.9, footY)]), true);
  });
});

describe('page bands read again for a page number', () => {
  it('crops the footer band (4 % to 96 % of the width) with its ink, and finds none in an empty header', () => {
    const img = page(footer);
    const band = cropBand(img, footerBand);
    assert.equal(band.width, Math.ceil(1700 * 0.96) - Math.floor(1700 * 0.04));
    assert.equal(band.height, Math.ceil(2200 * footerBand.bottom) - Math.floor(2200 * footerBand.top));
    // The first stroke's top-left pixel, moved into the band's coordinates.
    const x = 1400 - Math.floor(1700 * 0.04);
    const y = footY - Math.floor(2200 * footerBand.top);
    assert.equal(band.gray[y * band.width + x], 0);
    assert.equal(band.gray[(y - 1) * band.width + x], 255);
    assert.equal(bandInked(band), true);
    assert.equal(bandInked(cropBand(img, headerBand)), false);
  });

  it('writes a band as a PGM that reads back pixel for pixel', () => {
    const band = cropBand(page(footer), footerBand);
    const back = decodePgm(encodePgm(band));
    assert.equal(back.width, band.width);
    assert.equal(back.height, band.height);
    assert.deepEqual(Buffer.from(back.gray), Buffer.from(band.gray));
  });
});

describe('the viewer PNG written from the gray pixels', () => {
  /** The PNG's IHDR depth and its unfiltered scanlines, inflated. */
  const parse = (png: Uint8Array): { width: number; height: number; depth: number; raw: Buffer } => {
    const b = Buffer.from(png);
    assert.deepEqual([...b.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(b.toString('latin1', 12, 16), 'IHDR');
    const idat = b.indexOf('IDAT', 0, 'latin1');
    const len = b.readUInt32BE(idat - 4);
    return {
      width: b.readUInt32BE(16),
      height: b.readUInt32BE(20),
      depth: b[24] ?? 0,
      raw: inflateSync(b.subarray(idat + 4, idat + 4 + len)),
    };
  };

  it('packs a black-and-white page at 1 bit a pixel, white as 1', async () => {
    const img: GrayImage = {
      width: 10,
      height: 2,
      gray: new Uint8Array([0, 255, 0, 255, 0, 255, 0, 255, 0, 0, ...new Array<number>(10).fill(255)]),
    };
    const p = parse(await encodeGrayPng(img));
    assert.deepEqual([p.width, p.height, p.depth], [10, 2, 1]);
    // Each row: filter byte 0, then 2 bytes (10 pixels, padded).
    assert.deepEqual([...p.raw], [0, 0b01010101, 0b00000000, 0, 0xff, 0b11000000]);
  });

  it('keeps gray at 8 bits a pixel', async () => {
    const img: GrayImage = { width: 3, height: 1, gray: new Uint8Array([0, 128, 255]) };
    const p = parse(await encodeGrayPng(img));
    assert.equal(p.depth, 8);
    assert.deepEqual([...p.raw], [0, 0, 128, 255]);
  });
});

describe('a hand signature beside its label', () => {
  const at = (text: string, confidence: number, x0: number, x1: number): Word => ({
    text,
    confidence,
    x0,
    x1,
    y0: 1800,
    y1: 1830,
    line: 30,
  });
  // Pen strokes right of the label: 60 columns of 20 px runs.
  const signed = page([[450, 1790, 510, 1810]]);

  it('is found when OCR read the ink as words after a "Signature;" (a misread colon)', () => {
    const words = [at('Signature;', 0.9, 200, 400), at('AAR', 0.3, 440, 520), at('OO.', 0.2, 530, 600)];
    assert.equal(signatureInk(signed, words, 200), true);
    assert.equal(signatureInk(page([]), words, 200), false);
  });

  it('reads a label over plain words to its colon ("Signature of patient:")', () => {
    const words = [at('Signature', 0.9, 100, 200), at('of', 0.9, 210, 240), at('patient:', 0.9, 250, 400)];
    assert.equal(signatureInk(signed, words, 200), true);
    // The ink under the label's own words is not a signature.
    assert.equal(signatureInk(page([[210, 1790, 400, 1810]]), words, 200), false);
  });

  it('takes "Signatures" (a colon OCR read as an s) as the label only where a label stands, first on its line', () => {
    const label = [at('Signatures', 0.36, 200, 400), at('ARRAS.', 0.3, 440, 520)];
    assert.equal(signatureInk(signed, label, 200), true);
    const sentence = [at('Both', 0.9, 60, 140), at('signatures', 0.9, 150, 400), at('below', 0.9, 440, 520)];
    assert.equal(signatureInk(signed, sentence, 200), false);
  });
});

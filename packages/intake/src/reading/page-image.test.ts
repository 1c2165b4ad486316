import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { footerBand, unreadFooter, type GrayImage } from './page-image.js';
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

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tiffFrames } from './raster.js';

/** A little-endian TIFF of IFDs with only X/Y resolution and unit (no pixels: only the directory is read). */
function tiff(pages: readonly { x: number; y: number; unit?: number }[], loop = false): Uint8Array {
  const ifdSize = 2 + 3 * 12 + 4;
  const size = 8 + pages.length * (ifdSize + 16);
  const b = Buffer.alloc(size);
  b.write('II', 0, 'latin1');
  b.writeUInt16LE(42, 2);
  b.writeUInt32LE(8, 4);
  for (const [i, p] of pages.entries()) {
    const at = 8 + i * (ifdSize + 16);
    const rationals = at + ifdSize;
    b.writeUInt16LE(3, at);
    const entry = (k: number, tag: number, type: number, value: number): void => {
      b.writeUInt16LE(tag, at + 2 + k * 12);
      b.writeUInt16LE(type, at + 4 + k * 12);
      b.writeUInt32LE(1, at + 6 + k * 12);
      b.writeUInt32LE(value, at + 10 + k * 12);
    };
    entry(0, 282, 5, rationals);
    entry(1, 283, 5, rationals + 8);
    entry(2, 296, 3, p.unit ?? 2);
    b.writeUInt32LE(p.x, rationals);
    b.writeUInt32LE(1, rationals + 4);
    b.writeUInt32LE(p.y, rationals + 8);
    b.writeUInt32LE(1, rationals + 12);
    const next = i + 1 < pages.length ? at + ifdSize + 16 : loop ? 8 : 0;
    b.writeUInt32LE(next, at + 2 + 3 * 12);
  }
  return new Uint8Array(b);
}

describe('a TIFF fax read by its directory', () => {
  it('counts the pages and reads each one’s resolution (204×98 normal, 204×196 fine)', () => {
    assert.deepEqual(
      tiffFrames(
        tiff([
          { x: 204, y: 98 },
          { x: 204, y: 196 },
        ]),
        200,
      ),
      [
        { x: 204, y: 98, square: false },
        { x: 204, y: 196, square: false },
      ],
    );
    // No unit: never stretched.
    assert.deepEqual(tiffFrames(tiff([{ x: 204, y: 98, unit: 1 }]), 200), [{ x: 204, y: 98, square: true }]);
  });

  it('leaves a broken or looping directory to identify (undefined), and stops past the page limit', () => {
    assert.equal(tiffFrames(tiff([{ x: 200, y: 200 }]).subarray(0, 20), 200), undefined);
    assert.equal(tiffFrames(tiff([{ x: 200, y: 200 }], true), 200), undefined);
    assert.equal(tiffFrames(tiff(Array.from({ length: 5 }, () => ({ x: 200, y: 200 }))), 3)?.length, 4);
  });
});

/**
 * @module The viewer's page image, a grayscale PNG written here from the page's gray pixels (zlib
 * off the main thread) rather than by ImageMagick beside the PGM: about half a second a page less.
 */
import { crc32, deflate } from 'node:zlib';
import { promisify } from 'node:util';
import type { GrayImage } from './page-image.js';

const deflateAsync = promisify(deflate);
const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * An 8-bit grayscale PNG of the image. A page that holds only black and white (a fax) is written at
 * 1 bit a pixel (dark below 128), eight times smaller to compress; any other gray at 8 bits.
 */
export async function encodeGrayPng(image: GrayImage): Promise<Uint8Array> {
  const { width, height, gray } = image;
  let bilevel = true;
  for (let i = 0; i < gray.length; i++) {
    const v = gray[i] as number;
    if (v !== 0 && v !== 255) {
      bilevel = false;
      break;
    }
  }
  const depth = bilevel ? 1 : 8;
  const stride = bilevel ? Math.ceil(width / 8) : width;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const out = y * (stride + 1);
    raw[out] = 0; // filter: none
    const row = y * width;
    if (bilevel) {
      for (let x = 0; x < width; x += 8) {
        let byte = 0;
        for (let b = 0; b < 8 && x + b < width; b++) if ((gray[row + x + b] as number) >= 128) byte |= 0x80 >> b;
        raw[out + 1 + (x >> 3)] = byte;
      }
    } else raw.set(gray.subarray(row, row + width), out + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = depth;
  ihdr[9] = 0; // grayscale
  const idat = await deflateAsync(raw, { level: 6 });
  return new Uint8Array(
    Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]),
  );
}

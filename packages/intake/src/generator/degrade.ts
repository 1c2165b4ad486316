/**
 * @module Degrades a generated PDF to what a fax machine delivers: each page rasterised at 200 dpi
 * (pdftoppm), then with ImageMagick speckle noise, 1-bit threshold, and either fax
 * "normal" resolution (200×100 dpi, rasterised at half the vertical resolution) or "fine" (200×200; true fax is 204×98 and 204×196), written as one
 * multi-page CCITT Group 4 TIFF. Seeded, so a seed gives the same TIFF. The skew of a page fed
 * crooked is drawn into the PDF (`faxSkew` for `renderPdf`), where it costs nothing.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Rng } from './random.js';
import { withTempDir, type Tools } from '../reading/tools.js';

export interface DegradeOptions {
  readonly seed: number;
  /** Fax normal resolution (204×98) instead of fine (204×196). Default: chosen by the seed. */
  readonly normal?: boolean;
}

/** A page skew of up to ±1.2° per page, seeded: pass to `renderPdf` for the PDF a fax is made of. */
export function faxSkew(seed: number): (page: number) => number {
  return (page) => (new Rng(seed * 7919 + page).next() * 2 - 1) * 1.2;
}

export async function degradeToFax(tools: Tools, pdf: Uint8Array, options: DegradeOptions): Promise<Uint8Array> {
  const rng = new Rng(options.seed);
  const normal = options.normal ?? rng.chance(0.3);
  return withTempDir(async (dir) => {
    const input = join(dir, 'in.pdf');
    await writeFile(input, pdf);
    await tools.run('pdftoppm', ['-rx', '200', '-ry', normal ? '100' : '200', '-gray', '-png', input, join(dir, 'p')], {
      timeoutMs: 60_000,
      step: 'rasterise generated pages',
    });
    const pngs = (await readdir(dir)).filter((n) => n.startsWith('p') && n.endsWith('.png')).sort();
    const args: string[] = [];
    for (const png of pngs) {
      args.push(
        '(',
        join(dir, png),
        '-seed',
        String(rng.int(1, 1_000_000)),
        '-attenuate',
        '0.08',
        '+noise',
        'Impulse',
        '-threshold',
        '65%',
        ')',
      );
    }
    const output = join(dir, 'out.tif');
    await tools.run(
      'convert',
      [
        ...args,
        '-units',
        'PixelsPerInch',
        '-density',
        normal ? '200x100' : '200x200',
        '-monochrome',
        '-compress',
        'Group4',
        output,
      ],
      { timeoutMs: 120_000, step: 'degrade to fax' },
    );
    return new Uint8Array(await readFile(output));
  });
}

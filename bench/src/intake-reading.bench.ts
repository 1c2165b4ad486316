/**
 * @module Intake reading (issue 19): pages per second through OCR and classification on two cores —
 * `LocalDocumentReader.read` on generated fax TIFFs (G4, fine and normal resolution): conversion to
 * page images, blank detection, OCR, barcodes, splitting, classification, fields and checklist, three
 * files in flight and two programs at a time. The baseline, in the same run and alternating rounds, is
 * raw tesseract on the same pages (already converted to PNG, two at a time): what OCR alone costs.
 *
 * Target (the issue): ≥ 2 pages/s. Exits 1 below it unless BENCH_NO_TARGET is set (a loaded machine).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { degradeToFax, faxSkew, generateFiles, LocalDocumentReader, renderPdf, Tools } from '@steward/intake/testing';
import { median } from './harness.js';

const run = promisify(execFile);
const DOCUMENTS = Number(process.env['BENCH_DOCUMENTS'] ?? 16);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const target = 2;

const tools = new Tools(2);
const reader = new LocalDocumentReader({ tools, concurrency: 2 });
const files = [...generateFiles({ seed: 5005, documents: DOCUMENTS })];
const faxes = await Promise.all(
  files.map(async (f, i) =>
    degradeToFax(tools, await renderPdf(f.pages, { skew: faxSkew(5005 + i) }), { seed: 5005 + i }),
  ),
);
const pages = files.reduce((s, f) => s + f.truth.pageCount, 0);

// The baseline's inputs: every page as the reader would OCR it, converted once, outside the timing.
const dir = mkdtempSync(join(tmpdir(), 'steward-bench-intake-'));
const pngs: string[] = [];
for (const [i, fax] of faxes.entries()) {
  const tif = join(dir, `f${i}.tif`);
  writeFileSync(tif, fax);
  const normal = (await run(tools.path('identify'), ['-format', '%y\\n', tif])).stdout.includes('100');
  await run(tools.path('convert'), [
    tif,
    ...(normal ? ['-sample', '100%x200%'] : []),
    '-colorspace',
    'Gray',
    '-depth',
    '8',
    '+adjoin',
    join(dir, `f${i}-%d.png`),
  ]);
  for (let p = 0; p < files[i]!.truth.pageCount; p++) pngs.push(join(dir, `f${i}-${p}.png`));
}

async function pool<T>(items: readonly T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

const rawRounds: number[] = [];
const readerRounds: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  let start = performance.now();
  await pool(pngs, 2, (png) =>
    run(tools.path('tesseract'), [png, 'stdout', '--dpi', '200', 'tsv'], {
      env: { ...process.env, OMP_THREAD_LIMIT: '1' },
      maxBuffer: 64 << 20,
    }),
  );
  rawRounds.push(pngs.length / ((performance.now() - start) / 1000));
  start = performance.now();
  await pool(faxes, 3, (bytes) => reader.read({ bytes, mediaType: 'image/tiff' }));
  readerRounds.push(pages / ((performance.now() - start) / 1000));
}
rmSync(dir, { recursive: true, force: true });

const raw = median(rawRounds);
const full = median(readerRounds);
console.log(
  `${files.length} fax files, ${pages} pages (${pngs.length} page images), ${ROUNDS} alternating rounds, 2 programs at a time`,
);
console.log('| measure | median pages/s | rounds | ratio to raw tesseract |');
console.log('| --- | ---: | --- | ---: |');
console.log(
  `| raw tesseract (TSV), same pages | ${raw.toFixed(2)} | ${rawRounds.map((x) => x.toFixed(2)).join(', ')} | 1.000 |`,
);
console.log(
  `| LocalDocumentReader.read (OCR + classification + fields + checklist) | ${full.toFixed(2)} | ${readerRounds.map((x) => x.toFixed(2)).join(', ')} | ${(full / raw).toFixed(3)} |`,
);
if (full < target) {
  console.log(`below the target of ${target} pages/s`);
  if (process.env['BENCH_NO_TARGET'] === undefined) process.exitCode = 1;
}

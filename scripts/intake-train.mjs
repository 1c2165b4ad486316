#!/usr/bin/env node
// Trains intake's document classifier (issue 19) and writes packages/intake/model/document-classifier.json.
// Deterministic: generated sets with fixed seeds (the proof uses another, 3003). Training: the exact
// text of --text-docs documents (seed 1000, straight from the generator's page plans: what a PDF's
// text layer gives), plus, with --train-docs N, the OCR text of N more (seed 1002). Calibration: the
// OCR text of --cal-docs documents (seed 1001), held out: each rendered to PDF, degraded to a fax
// TIFF and read by the reader's own OCR path. OCR texts are cached in --cache (default .steward/intake-train) so a change
// to the classifier alone retrains in seconds. Retrain after changing the generator, the OCR path or
// the classifier:
//   npx tsc -b && node_modules/.bin/node scripts/intake-train.mjs [--text-docs 900] [--train-docs 0] [--cal-docs 270] [--fresh]
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  degradeToFax,
  faxSkew,
  generateFiles,
  LocalDocumentReader,
  planText,
  renderPdf,
  Tools,
  trainClassifier,
} from '../packages/intake/dist/testing/index.js';

const root = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({
  options: {
    'train-seed': { type: 'string', default: '1002' },
    'cal-seed': { type: 'string', default: '1001' },
    'text-seed': { type: 'string', default: '1000' },
    'text-docs': { type: 'string', default: '900' },
    'train-docs': { type: 'string', default: '0' },
    'cal-docs': { type: 'string', default: '270' },
    cache: { type: 'string', default: join(root, '.steward/intake-train') },
    out: { type: 'string', default: join(root, 'packages/intake/model/document-classifier.json') },
    fresh: { type: 'boolean' },
    // Calibrate on the files already read into the cache, read no more (a loaded machine, a deadline).
    'cached-only': { type: 'boolean' },
  },
});
if (values.fresh) rmSync(values.cache, { recursive: true, force: true });
mkdirSync(values.cache, { recursive: true });
const tools = new Tools(2);
const reader = new LocalDocumentReader({ tools, concurrency: 2 });

/** Which files of each OCR'd set were used (all, or the indices cached when --cached-only). */
const usedFiles = {};

/** Each document's OCR text (its fax read by the reader's OCR path) of a generated set, cached per file. */
async function texts(seed, documents) {
  const dir = join(values.cache, `ocr-${seed}-${documents}`);
  mkdirSync(dir, { recursive: true });
  const files = [...generateFiles({ seed, documents })];
  let done = 0;
  const work = async (f, n) => {
    const cached = join(dir, `${n}.json`);
    if (existsSync(cached) || values['cached-only']) return;
    const s = seed * 100_003 + n;
    const fax = await degradeToFax(tools, await renderPdf(f.pages, { skew: faxSkew(s) }), { seed: s });
    const ocr = await reader.readPages({ bytes: fax, mediaType: 'image/tiff' });
    const out = f.truth.documents.map((d) => ({
      type: d.type,
      text: d.pages.map((i) => ocr[i]?.page.text ?? '').join('\n'),
    }));
    writeFileSync(cached, JSON.stringify(out));
    done += 1;
    if (done % 10 === 0) console.error(`seed ${seed}: ${done} more files read`);
  };
  // Two files in flight keep both programs busy while one file waits on another step.
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      while (next < files.length) {
        const n = next++;
        await work(files[n], n);
      }
    }),
  );
  const read = files.map((_, n) => n).filter((n) => existsSync(join(dir, `${n}.json`)));
  usedFiles[seed] = read.length === files.length ? 'all' : read;
  return read.flatMap((n) => JSON.parse(readFileSync(join(dir, `${n}.json`), 'utf8')));
}

const trainSeed = Number(values['train-seed']);
const calSeed = Number(values['cal-seed']);
const textSeed = Number(values['text-seed']);
const exact = [];
for (const f of generateFiles({ seed: textSeed, documents: Number(values['text-docs']) })) {
  for (const d of f.truth.documents) exact.push({ type: d.type, text: planText(d.pages.map((i) => f.pages[i])) });
}
const train = [
  ...exact,
  ...(Number(values['train-docs']) > 0 ? await texts(trainSeed, Number(values['train-docs'])) : []),
];
const cal = await texts(calSeed, Number(values['cal-docs']));
const { model, report } = trainClassifier(train, cal, {
  provenance: {
    generator: 'packages/intake/src/generator',
    textSeed,
    textDocuments: exact.length,
    trainSeed,
    calibrationSeed: calSeed,
    trainDocuments: Number(values['train-docs']),
    calibrationDocuments: Number(values['cal-docs']),
    calibrationFiles: usedFiles[calSeed],
  },
});
mkdirSync(join(values.out, '..'), { recursive: true });
writeFileSync(values.out, JSON.stringify(model) + '\n');
console.log(`${train.length} training texts, ${cal.length} calibration texts`);
console.log(`model ${model.version}: calibration accuracy ${(report.accuracy * 100).toFixed(1)} %`);
for (const t of report.perType)
  console.log(
    `  ${t.type.padEnd(20)} threshold ${t.threshold.toFixed(3)}  trusted ${t.trusted}/${t.predicted} (${t.trustedCorrect} right)`,
  );

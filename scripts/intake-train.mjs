#!/usr/bin/env node
// Trains intake's document classifier (issue 19) and writes packages/intake/model/document-classifier.json.
// Deterministic: generated sets with fixed seeds (the proof uses another). Training: the exact text of
// --text-docs documents (seed 1000, straight from the generator's page plans: what a PDF's text layer
// gives) and the OCR text of --train-docs documents (seed 1001) rendered to PDF, degraded to a fax
// TIFF and read by the reader's own OCR path. Calibration: the OCR text of --cal-docs documents
// (seed 2002), held out. OCR texts are cached in --cache (default .steward/intake-train) so a change
// to the classifier alone retrains in seconds. Retrain after changing the generator, the OCR path or
// the classifier:
//   npx tsc -b && node_modules/.bin/node scripts/intake-train.mjs [--text-docs 900] [--train-docs 90] [--cal-docs 135] [--fresh]
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  degradeToFax,
  generateFiles,
  LocalDocumentReader,
  planText,
  renderPdf,
  Tools,
  trainClassifier,
} from '../packages/intake/dist/testing.js';

const root = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({
  options: {
    'train-seed': { type: 'string', default: '1001' },
    'cal-seed': { type: 'string', default: '2002' },
    'text-seed': { type: 'string', default: '1000' },
    'text-docs': { type: 'string', default: '900' },
    'train-docs': { type: 'string', default: '90' },
    'cal-docs': { type: 'string', default: '135' },
    cache: { type: 'string', default: join(root, '.steward/intake-train') },
    out: { type: 'string', default: join(root, 'packages/intake/model/document-classifier.json') },
    fresh: { type: 'boolean' },
  },
});
if (values.fresh) rmSync(values.cache, { recursive: true, force: true });
mkdirSync(values.cache, { recursive: true });
const tools = new Tools(2);
const reader = new LocalDocumentReader({ tools, concurrency: 2 });

/** Each document's texts (OCR of the fax, and the PDF's text layer) of a generated set, cached. */
async function texts(seed, documents) {
  const file = join(values.cache, `texts-${seed}-${documents}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const out = [];
  const files = [...generateFiles({ seed, documents })];
  let done = 0;
  const work = async (f, n) => {
    const pdf = await renderPdf(f.pages);
    const fax = await degradeToFax(tools, pdf, { seed: seed * 100_003 + n });
    const ocr = await reader.readPages({ bytes: fax, mediaType: 'image/tiff' });
    for (const d of f.truth.documents) {
      out.push({ n, type: d.type, source: 'ocr', text: d.pages.map((i) => ocr[i]?.page.text ?? '').join('\n') });
    }
    done += 1;
    if (done % 20 === 0) console.error(`seed ${seed}: ${done}/${files.length} files`);
  };
  // Two files in flight keep both cores busy while one waits on a program.
  let next = 0;
  await Promise.all(
    [0, 1, 2].map(async () => {
      while (next < files.length) {
        const n = next++;
        await work(files[n], n);
      }
    }),
  );
  out.sort(
    (a, b) =>
      a.n - b.n || a.source.localeCompare(b.source) || a.type.localeCompare(b.type) || a.text.localeCompare(b.text),
  );
  writeFileSync(file, JSON.stringify(out));
  return out;
}

const trainSeed = Number(values['train-seed']);
const calSeed = Number(values['cal-seed']);
const textSeed = Number(values['text-seed']);
const exact = [];
for (const f of generateFiles({ seed: textSeed, documents: Number(values['text-docs']) })) {
  for (const d of f.truth.documents) exact.push({ type: d.type, text: planText(d.pages.map((i) => f.pages[i])) });
}
const train = [...exact, ...(await texts(trainSeed, Number(values['train-docs'])))];
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
  },
});
mkdirSync(join(values.out, '..'), { recursive: true });
writeFileSync(values.out, JSON.stringify(model) + '\n');
console.log(`model ${model.version}: calibration accuracy ${(report.accuracy * 100).toFixed(1)} %`);
for (const t of report.perType)
  console.log(
    `  ${t.type.padEnd(20)} threshold ${t.threshold.toFixed(3)}  trusted ${t.trusted}/${t.predicted} (${t.trustedCorrect} right)`,
  );

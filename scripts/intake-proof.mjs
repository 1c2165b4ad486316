#!/usr/bin/env node
// Issue 19's proof for intake reading and sorting: generates a set of documents (default 300, 20 %
// incomplete, seed 3003 — not the classifier's training 1001 or calibration 2002 seeds), renders each
// file to PDF, degrades it to a fax-quality G4 TIFF, reads every file through LocalDocumentReader
// (OCR, splitting, classification, fields, checklist), twice, and reports:
//   - precision on documents filed without a person (a type given AND complete): target ≥ 99 %
//   - coverage, the share of documents filed without a person: target ≥ 70 %
//   - every incomplete document flagged, none filed
//   - the second reading equal to the first (deterministic)
// Exits 1 when a target is missed. Needs a build (npx tsc -b) and the Debian tools (.ci/run).
//   node_modules/.bin/node scripts/intake-proof.mjs [--documents 300] [--seed 3003] [--out .steward/intake-proof]
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { degradeToFax, generateFiles, LocalDocumentReader, renderPdf, Tools } from '../packages/intake/dist/testing.js';

const root = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({
  options: {
    documents: { type: 'string', default: '300' },
    seed: { type: 'string', default: '3003' },
    out: { type: 'string', default: join(root, '.steward/intake-proof') },
    passes: { type: 'string', default: '2' },
  },
});
const seed = Number(values.seed);
const count = Number(values.documents);
mkdirSync(values.out, { recursive: true });
const tools = new Tools(2);
const reader = new LocalDocumentReader({ tools, concurrency: 2 });

async function pool(items, width, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i], i);
      }
    }),
  );
}

// Generate and degrade.
const t0 = performance.now();
const files = [...generateFiles({ seed, documents: count })];
const faxes = new Array(files.length);
await pool(files, 3, async (f, i) => {
  faxes[i] = await degradeToFax(tools, await renderPdf(f.pages), { seed: seed * 100_003 + i });
});
const pages = files.reduce((s, f) => s + f.truth.pageCount, 0);
const setDigest = createHash('sha256');
for (const fax of faxes) setDigest.update(fax);
console.log(
  `generated ${files.length} files, ${count} documents, ${pages} pages in ${((performance.now() - t0) / 1000).toFixed(1)} s (set ${setDigest.digest('hex').slice(0, 16)})`,
);

/** One reading of every file: the results, in file order. */
async function readAll() {
  const results = new Array(files.length);
  const start = performance.now();
  await pool(files, 3, async (_, i) => {
    results[i] = await reader.read({ bytes: faxes[i], mediaType: 'image/tiff' });
  });
  return { results, seconds: (performance.now() - start) / 1000 };
}

const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
function score(results) {
  let filed = 0;
  let filedRight = 0;
  let incompleteFiled = 0;
  let incomplete = 0;
  let splitRight = 0;
  let missingNamed = 0;
  let abstained = 0;
  let typedRight = 0;
  let typed = 0;
  const fieldHits = { name: [0, 0], birthDate: [0, 0], documentDate: [0, 0], memberId: [0, 0] };
  const errors = [];
  for (const [i, f] of files.entries()) {
    const read = results[i];
    for (const doc of read.documents) {
      const isFiled = doc.type !== null && doc.completeness.complete;
      if (doc.type === null) abstained++;
      const truth = f.truth.documents.find((t) => same(t.pages, doc.pages));
      if (doc.type !== null) {
        typed++;
        if (truth !== undefined && truth.type === doc.type) typedRight++;
      }
      if (!isFiled) continue;
      filed++;
      if (truth !== undefined && truth.type === doc.type && truth.complete) filedRight++;
      else
        errors.push({
          file: f.truth.name,
          pages: doc.pages,
          read: doc.type,
          truth: truth?.type ?? 'pages differ',
          truthMissing: truth?.missing,
        });
    }
    for (const t of f.truth.documents) {
      const doc = read.documents.find((d) => same(d.pages, t.pages));
      if (doc !== undefined) {
        splitRight++;
        const tf = t.fields;
        const df = doc.fields;
        fieldHits.name[1]++;
        if (df.patientFamily === tf.patientFamily && df.patientGiven === tf.patientGiven) fieldHits.name[0]++;
        for (const k of ['birthDate', 'documentDate', 'memberId']) {
          if (tf[k] === undefined) continue;
          fieldHits[k][1]++;
          if (df[k] === tf[k]) fieldHits[k][0]++;
        }
      }
      if (t.complete) continue;
      incomplete++;
      const overlapping = read.documents.filter((d) => d.pages.some((p) => t.pages.includes(p)));
      if (overlapping.some((d) => d.type !== null && d.completeness.complete)) incompleteFiled++;
      if (doc !== undefined && t.missing.every((m) => doc.completeness.missing.includes(m))) missingNamed++;
    }
  }
  const rate = ([a, b]) => (b === 0 ? null : a / b);
  return {
    documents: count,
    readDocuments: results.reduce((s, r) => s + r.documents.length, 0),
    filed,
    filedRight,
    precision: filed === 0 ? 0 : filedRight / filed,
    coverage: filed / count,
    incomplete,
    incompleteFiled,
    incompleteMissingNamed: missingNamed,
    splitRight,
    abstained,
    typedPrecision: typed === 0 ? 0 : typedRight / typed,
    fields: Object.fromEntries(Object.entries(fieldHits).map(([k, v]) => [k, rate(v)])),
    errors,
  };
}

const passes = [];
for (let p = 0; p < Number(values.passes); p++) {
  const { results, seconds } = await readAll();
  const digest = createHash('sha256')
    .update(JSON.stringify(results.map((r) => ({ ...r, pages: r.pages.map(({ image: _image, ...page }) => page) }))))
    .digest('hex');
  passes.push({ score: score(results), seconds, digest, modelVersion: results[0]?.modelVersion });
  console.log(
    `pass ${p + 1}: read ${pages} pages in ${seconds.toFixed(1)} s (${(pages / seconds).toFixed(2)} pages/s), results ${digest.slice(0, 16)}`,
  );
}
const s = passes[0].score;
const pct = (x) => `${(x * 100).toFixed(1)} %`;
const deterministic = passes.every((p) => p.digest === passes[0].digest);
const checks = [
  [
    `precision on documents filed without a person ≥ 99 %`,
    s.precision >= 0.99,
    `${pct(s.precision)} (${s.filedRight}/${s.filed})`,
  ],
  [`coverage (filed without a person) ≥ 70 %`, s.coverage >= 0.7, `${pct(s.coverage)} (${s.filed}/${s.documents})`],
  [
    `every incomplete document flagged, none filed`,
    s.incompleteFiled === 0,
    `${s.incomplete - s.incompleteFiled}/${s.incomplete} flagged`,
  ],
  [
    `the same result on a rerun`,
    deterministic,
    deterministic ? `${passes.length} readings, one digest` : 'digests differ',
  ],
];
console.log(
  `model ${passes[0].modelVersion}; documents found ${s.readDocuments} (truth ${s.documents}), split exactly ${s.splitRight}; abstained ${s.abstained}; precision of types given ${pct(s.typedPrecision)}`,
);
console.log(
  `incomplete documents whose missing item was named: ${s.incompleteMissingNamed}/${s.incomplete}; fields read right: ${Object.entries(
    s.fields,
  )
    .map(([k, v]) => `${k} ${v === null ? '-' : pct(v)}`)
    .join(', ')}`,
);
for (const [what, ok, figure] of checks) console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}: ${figure}`);
for (const e of s.errors) console.log(`  filed wrongly: ${JSON.stringify(e)}`);
writeFileSync(
  join(values.out, 'result.json'),
  JSON.stringify({ seed, documents: count, pages, passes }, null, 2) + '\n',
);
process.exit(checks.every(([, ok]) => ok) ? 0 : 1);

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
//     [--stop-after-minutes M]   take no new file after M minutes (a loaded machine); the report says PARTIAL
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  degradeToFax,
  faxSkew,
  generateFiles,
  LocalDocumentReader,
  renderPdf,
  Tools,
} from '../packages/intake/dist/testing/index.js';

const root = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({
  options: {
    documents: { type: 'string', default: '300' },
    seed: { type: 'string', default: '3003' },
    out: { type: 'string', default: join(root, '.steward/intake-proof') },
    'stop-after-minutes': { type: 'string' },
    from: { type: 'string' },
    'rerun-every': { type: 'string', default: '1' },
  },
});
const seed = Number(values.seed);
const rerunEvery = Number(values['rerun-every']);
const count = Number(values.documents);
mkdirSync(values.out, { recursive: true });
const tools = new Tools(2);
const reader = new LocalDocumentReader({ tools, concurrency: 2 });

// Each file: rendered (skewed), degraded to a fax, then read twice — the rerun — two files in flight.
const t0 = performance.now();
const stopAt =
  values['stop-after-minutes'] === undefined ? Infinity : t0 + Number(values['stop-after-minutes']) * 60_000;
const all = [...generateFiles({ seed, documents: count })];
const faxes = [];
const readings = [[], []];
let readSeconds = 0;
let next = 0;
let done = 0;
await Promise.all(
  [0, 1].map(async () => {
    while (next < all.length && performance.now() < stopAt) {
      const i = next++;
      const s = seed * 100_003 + i;
      // --from: the same set made earlier by scripts/intake-generate.mjs (same seed, same formula).
      const made = values.from === undefined ? undefined : join(values.from, `${all[i].truth.name}.tif`);
      faxes[i] =
        made !== undefined && existsSync(made)
          ? new Uint8Array(readFileSync(made))
          : await degradeToFax(tools, await renderPdf(all[i].pages, { skew: faxSkew(s) }), { seed: s });
      const start = performance.now();
      readings[0][i] = await reader.read({ bytes: faxes[i], mediaType: 'image/tiff' });
      readSeconds += (performance.now() - start) / 1000;
      // The rerun: every file read again (or every k-th with --rerun-every k, on a loaded machine).
      readings[1][i] =
        i % rerunEvery === 0 ? await reader.read({ bytes: faxes[i], mediaType: 'image/tiff' }) : undefined;
      done += 1;
      if (done % 20 === 0)
        console.error(`${done}/${all.length} files read (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
  }),
);
const kept = all.map((_, i) => i).filter((i) => readings[0][i] !== undefined);
const reread = kept.filter((i) => readings[1][i] !== undefined);
const files = kept.map((i) => all[i]);
const setDigest = createHash('sha256');
for (const i of kept) setDigest.update(faxes[i]);
const pages = files.reduce((n, f) => n + f.truth.pageCount, 0);
const documents = files.reduce((n, f) => n + f.truth.documents.length, 0);
console.log(
  `${files.length}/${all.length} files, ${documents}/${count} documents, ${pages} pages: generated, degraded and read in ${((performance.now() - t0) / 1000).toFixed(0)} s (fax set ${setDigest.digest('hex').slice(0, 16)}); ${(pages / readSeconds).toFixed(2)} pages/s per file in flight`,
);

const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
function score(files, results) {
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
  // Every complete document not filed without a person, and why (coverage lost), tallied by reason.
  const unfiled = [];
  const reasons = {};
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
        // Names are labelled for reading on every type but `other` (a memo's "Attn:", a bill's "Bill to:").
        if (t.type !== 'other') {
          fieldHits.name[1]++;
          if (df.patientFamily === tf.patientFamily && df.patientGiven === tf.patientGiven) fieldHits.name[0]++;
        }
        for (const k of ['birthDate', 'documentDate', 'memberId']) {
          if (tf[k] === undefined) continue;
          fieldHits[k][1]++;
          if (df[k] === tf[k]) fieldHits[k][0]++;
        }
      }
      if (t.complete) {
        if (doc === undefined || doc.type === null || !doc.completeness.complete) {
          const why =
            doc === undefined
              ? ['split differs']
              : [
                  ...(doc.type === null ? [`abstained (best ${doc.bestType} ${doc.confidence.toFixed(2)})`] : []),
                  ...doc.completeness.missing,
                ];
          unfiled.push({ file: f.truth.name, pages: t.pages, type: t.type, read: doc?.type ?? null, why });
          // One tally per reason kind: "page 2 of 3" and "page 1 of 2" are both a page named missing.
          for (const kind of new Set(
            why.map((w) =>
              w.replace(/^page \d+ of \d+$/, 'page k of N named missing').replace(/^abstained .*/, 'abstained'),
            ),
          ))
            reasons[kind] = (reasons[kind] ?? 0) + 1;
        }
        continue;
      }
      incomplete++;
      const overlapping = read.documents.filter((d) => d.pages.some((p) => t.pages.includes(p)));
      if (overlapping.some((d) => d.type !== null && d.completeness.complete)) incompleteFiled++;
      if (doc !== undefined && t.missing.every((m) => doc.completeness.missing.includes(m))) missingNamed++;
    }
  }
  const rate = ([a, b]) => (b === 0 ? null : a / b);
  return {
    documents: files.reduce((n, f) => n + f.truth.documents.length, 0),
    readDocuments: results.reduce((s, r) => s + r.documents.length, 0),
    filed,
    filedRight,
    precision: filed === 0 ? 0 : filedRight / filed,
    coverage: filed / files.reduce((n, f) => n + f.truth.documents.length, 0),
    incomplete,
    incompleteFiled,
    incompleteMissingNamed: missingNamed,
    splitRight,
    abstained,
    typedPrecision: typed === 0 ? 0 : typedRight / typed,
    fields: Object.fromEntries(Object.entries(fieldHits).map(([k, v]) => [k, rate(v)])),
    unfiledComplete: unfiled.length,
    reasons: Object.fromEntries(Object.entries(reasons).sort((a, b) => b[1] - a[1])),
    errors,
    unfiled,
  };
}

const digestOf = (results) =>
  createHash('sha256')
    .update(JSON.stringify(results.map((r) => ({ ...r, pages: r.pages.map(({ image: _image, ...page }) => page) }))))
    .digest('hex');
const s = {
  ...score(
    files,
    kept.map((i) => readings[0][i]),
  ),
  modelVersion: readings[0][kept[0]]?.modelVersion,
};
const passes = [0, 1].map((p) => ({ files: reread.length, digest: digestOf(reread.map((i) => readings[p][i])) }));
const pct = (x) => `${(x * 100).toFixed(1)} %`;
const deterministic = reread.length > 0 && passes[0].digest === passes[1].digest;
const checks = [
  [
    'precision on documents filed without a person ≥ 99 %',
    s.precision >= 0.99,
    `${pct(s.precision)} (${s.filedRight}/${s.filed})`,
  ],
  ['coverage (filed without a person) ≥ 70 %', s.coverage >= 0.7, `${pct(s.coverage)} (${s.filed}/${s.documents})`],
  [
    'every incomplete document flagged, none filed',
    s.incompleteFiled === 0,
    `${s.incomplete - s.incompleteFiled}/${s.incomplete} flagged`,
  ],
  [
    'the same result on a rerun',
    deterministic,
    deterministic ? `${reread.length} files read twice, one digest ${passes[0].digest.slice(0, 16)}` : 'digests differ',
  ],
];
console.log(
  `model ${s.modelVersion}; documents found ${s.readDocuments} (truth ${s.documents}), split exactly ${s.splitRight}; abstained ${s.abstained}; precision of types given ${pct(s.typedPrecision)}`,
);
console.log(
  `incomplete documents whose missing item was named: ${s.incompleteMissingNamed}/${s.incomplete}; fields read right: ${Object.entries(
    s.fields,
  )
    .map(([k, v]) => `${k} ${v === null ? '-' : pct(v)}`)
    .join(', ')}`,
);
console.log(
  `complete documents not filed: ${s.unfiledComplete}; by reason (a document may have several): ${Object.entries(
    s.reasons,
  )
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}`,
);
for (const [what, ok, figure] of checks) console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}: ${figure}`);
for (const e of s.errors) console.log(`  filed wrongly: ${JSON.stringify(e)}`);
writeFileSync(
  join(values.out, 'result.json'),
  JSON.stringify({ seed, documents, of: count, pages, result: s, rerun: passes }, null, 2) + '\n',
);
if (documents < count) console.log(`PARTIAL: ${documents} of ${count} documents were read before --stop-after-minutes`);
process.exit(checks.every(([, ok]) => ok) && documents === count ? 0 : 1);

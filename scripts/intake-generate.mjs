#!/usr/bin/env node
// Generates a set of synthetic clinic documents (issue 19) into a directory: per file its PDF, its
// fax-quality G4 TIFF (unless --pdf-only) and its ground truth (<name>.json). Deterministic by seed.
//   node scripts/intake-generate.mjs <dir> [--seed N] [--documents N] [--pdf-only]
// Needs a build (`npx tsc -b`) and poppler-utils + imagemagick.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { degradeToFax, faxSkew, generateFiles, renderPdf, Tools } from '../packages/intake/dist/testing/index.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seed: { type: 'string', default: '1' },
    documents: { type: 'string', default: '30' },
    'pdf-only': { type: 'boolean' },
  },
});
const dir = positionals[0];
if (dir === undefined) {
  console.error('usage: node scripts/intake-generate.mjs <dir> [--seed N] [--documents N] [--pdf-only]');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
const tools = new Tools(2);
const seed = Number(values.seed);
let files = 0;
for (const file of generateFiles({ seed, documents: Number(values.documents) })) {
  const pdf = await renderPdf(file.pages);
  writeFileSync(join(dir, `${file.truth.name}.pdf`), pdf);
  if (!values['pdf-only'])
    writeFileSync(
      join(dir, `${file.truth.name}.tif`),
      await degradeToFax(tools, pdf, { seed: seed * 100_003 + files }),
    );
  writeFileSync(join(dir, `${file.truth.name}.json`), JSON.stringify(file.truth, null, 2) + '\n');
  files += 1;
}
console.log(`${files} files written to ${dir}`);

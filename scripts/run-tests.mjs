#!/usr/bin/env node
// Runs every compiled test file (*.test.js and *.int.test.js under dist/) with Node's test runner,
// then says plainly what was skipped and how to run it. Node 20 has no glob for --test, hence this.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const roots = ['packages', 'apps', 'tests'].map((d) => join(root, d));
// The repository's own scripts are plain ESM, tested where they are (scripts/*.test.mjs).
const scriptTests = readdirSync(join(root, 'scripts'))
  .filter((n) => n.endsWith('.test.mjs'))
  .map((n) => join(root, 'scripts', n));
const filter = process.argv.slice(2);

function* walk(dir) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (name === 'node_modules') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (name.endsWith('.test.js') && p.includes('/dist/')) yield p;
  }
}

const files = [...roots.flatMap((r) => [...walk(r)]), ...scriptTests]
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files found: run `npm run build` first');
  process.exit(1);
}

// Which Node runs the tests (every test file runs in a child of this same binary).
console.error(`tests on Node ${process.version} (${process.execPath})`);
const result = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${join(root, 'scripts/skip-summary-reporter.mjs')}`,
    '--test-reporter-destination=stderr',
    ...files.map((f) => relative(root, f)),
  ],
  { cwd: root, stdio: 'inherit', env: process.env },
);
process.exit(result.status ?? 1);

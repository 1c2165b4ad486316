#!/usr/bin/env node
// Runs the compiled test files under dist/ with Node's test runner, then says plainly what was
// skipped and how to run it, and which files were slowest. Node 20 has no glob for --test, hence this.
//   node scripts/run-tests.mjs [--unit | --int] [substring…]
// The tier is in the file's name: `x.int.test.ts` opens a store, a socket or a browser; every other
// `x.test.ts` is a unit test, and `--unit` runs those with a guard that fails any that opens one
// (scripts/unit-tier-guard.mjs, and the store harness refuses too). No flag runs both tiers.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { chunksOf } from './test-chunks.mjs';

const root = new URL('..', import.meta.url).pathname;
const roots = ['packages', 'apps', 'tests', 'examples'].map((d) => join(root, d));
// The repository's own scripts are plain ESM, tested where they are (scripts/*.test.mjs).
const scriptTests = readdirSync(join(root, 'scripts'))
  .filter((n) => n.endsWith('.test.mjs'))
  .map((n) => join(root, 'scripts', n));
const args = process.argv.slice(2);
const tier = args.includes('--unit') ? 'unit' : args.includes('--int') ? 'int' : 'all';
const filter = args.filter((a) => a !== '--unit' && a !== '--int');
const isIntegration = (f) => /\.int\.test\.m?js$/.test(f);

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

// A compiled test whose source was renamed or deleted stays in dist/ (tsc does not remove it):
// it is not run, or a renamed test would run twice, once under its old tier.
function hasSource(file) {
  const i = file.lastIndexOf('/dist/');
  if (i < 0) return true;
  const pkg = file.slice(0, i);
  const rel = file.slice(i + '/dist/'.length).replace(/\.js$/, '');
  // Sources sit in <pkg>/src, in <pkg> itself, or (a project whose rootDir is its parent, like the
  // console's unit tests in apps/console/test) in <pkg>/..
  return ['src/', '', '../'].some((d) => ['.ts', '.tsx'].some((ext) => existsSync(join(pkg, d + rel + ext))));
}

const compiled = roots.flatMap((r) => [...walk(r)]);
const stale = compiled.filter((f) => !hasSource(f));
const files = [...compiled.filter(hasSource), ...scriptTests]
  .filter((f) => tier === 'all' || (tier === 'int') === isIntegration(f))
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort();
// The longest files start first, so the run does not end waiting on one long file started last:
// each file's time from earlier runs on this machine (kept in node_modules/.cache, merged after every
// run), a file never timed before among the first (it may be long), and with no times at all (a
// fresh clone) the integration files before the unit files. A fresh clone (CI) starts from the times
// in scripts/test-times.json (every file's time, from a whole run here): without them the console's
// browser file, the longest by far, sorted last by path and the run ended waiting on it alone.
const timesCache = join(root, 'node_modules/.cache/steward/test-times.json');
const known = { ...readTimes(join(root, 'scripts/test-times.json')), ...readTimes(timesCache) };
const estimate = (f) => known[relative(root, f)] ?? (isIntegration(f) ? Infinity : -1);
files.sort((a, b) => estimate(b) - estimate(a) || (isIntegration(b) ? 1 : 0) - (isIntegration(a) ? 1 : 0));
// Files run at once: one more than the cores (Node's default is one fewer), because the longest
// files (the browser, the sandbox EHR, MLLP) wait on timers and sockets much of their time: on two
// cores, three at a time ran the suite in 292 s against 306-346 s for two (and 309 s for four, where
// contention costs more CPU than the overlap saves). STEWARD_TEST_CONCURRENCY overrides.
const concurrency = Number(process.env.STEWARD_TEST_CONCURRENCY) || availableParallelism() + 1;
if (stale.length > 0) {
  console.error(`not run: ${stale.length} compiled test file(s) whose source is gone (stale dist/):`);
  for (const f of stale) console.error(`  - ${relative(root, f)}`);
}
if (files.length === 0) {
  console.error('no test files found: run `npm run build` first');
  process.exit(1);
}

// One migrated template store per run, shared by every test process (packages/store/src/testing.ts).
const templateDir = mkdtempSync(join(tmpdir(), 'steward-test-templates-'));
// Each file's time, kept where STEWARD_TEST_TIMINGS says or for this run only.
const timings = process.env.STEWARD_TEST_TIMINGS || join(templateDir, 'timings.json');
const env = {
  ...process.env,
  STEWARD_TEST_TEMPLATE_DIR: templateDir,
  STEWARD_TEST_TIMINGS: timings,
  STEWARD_TEST_CONCURRENCY: String(concurrency),
};
// Every test process (and the children it spawns) loads much the same modules: Node keeps their
// compiled code on disk and checks each entry against its source, so a changed file is compiled again.
env.NODE_COMPILE_CACHE ||= join(root, 'node_modules/.cache/steward/compile-cache');
if (tier === 'unit') {
  env.STEWARD_TEST_TIER = 'unit';
  const guard = pathToFileURL(join(root, 'scripts/unit-tier-guard.mjs')).href;
  env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import=${guard}`.trim();
}

// Which Node runs the tests (every test file runs in a child of this same binary).
console.error(`tests on Node ${process.version} (${process.execPath})`);
// Test processes run PGlite's WebAssembly on its baseline compiler only: a test file's store work is
// short, and optimizing the hot functions cost more than it saved (20-40% of a store test file's
// CPU, and half its page faults).
const nodeFlags = ['--liftoff-only'];
// Files share a process (STEWARD_TEST_ISOLATION=process: a process per file, as before). Starting
// Node, loading Steward's modules and compiling PGlite's WebAssembly cost every file about a
// CPU-second of its own; on two cores the suite was CPU-bound (827 CPU-s busy of 845 in 423 s), and
// one process for many files saved a third of the CPU in a governance+clinic trial (48 against 70
// CPU-s, the same 293 tests passing). The files go in chunks to a pool of processes, the longest
// first, the chunks shrinking so that the processes end together (scripts/test-chunks.mjs).
const isolation = process.env.STEWARD_TEST_ISOLATION === 'process' ? 'process' : 'none';
const started = Date.now();
let status = 0;
try {
  if (isolation === 'process') {
    const result = spawnSync(
      process.execPath,
      [...nodeFlags, join(root, 'scripts/test-files.mjs'), '--', ...files.map((f) => relative(root, f))],
      { cwd: root, stdio: 'inherit', env },
    );
    status = result.status ?? 1;
  } else {
    status = await runChunks(chunksOf(files, costOf, concurrency), concurrency);
  }
  printSlowest();
  rememberTimes();
} finally {
  rmSync(templateDir, { recursive: true, force: true });
}

/** A file's expected time: its known time, or 5 s for an integration file never timed (0.3 s for a unit file). */
function costOf(f) {
  const t = known[relative(root, f)];
  return t !== undefined ? t : isIntegration(f) ? 5000 : 300;
}

/**
 * Runs the chunks in a pool of `slots` processes: a process that ends makes room for the next chunk.
 * A chunk's output is held and printed whole when it ends, so the spec lines of several processes
 * never interleave; the file times are merged into one.
 */
async function runChunks(chunks, slots) {
  const outcomes = [];
  let next = 0;
  const runOne = (chunk, i) =>
    new Promise((resolve) => {
      const chunkTimings = join(templateDir, `timings-${i}.json`);
      const out = [];
      const child = spawn(
        process.execPath,
        [
          ...nodeFlags,
          join(root, 'scripts/test-files.mjs'),
          '--isolation',
          'none',
          '--',
          ...chunk.map((f) => relative(root, f)),
        ],
        { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, STEWARD_TEST_TIMINGS: chunkTimings } },
      );
      child.stdout.on('data', (c) => out.push(['stdout', c]));
      child.stderr.on('data', (c) => out.push(['stderr', c]));
      child.on('close', (code, signal) => {
        const took = ((Date.now() - started) / 1000).toFixed(1);
        console.log(`\n=== Test chunk ${i + 1} of ${chunks.length}: ${chunk.length} files, ended at ${took} s ===`);
        for (const [to, c] of out) process[to].write(c);
        if (code !== 0) {
          console.error(
            `test chunk ${i + 1} ${signal ? `was killed by ${signal}` : `failed (exit ${code})`}: its files are listed above`,
          );
        }
        resolve({ code: code ?? 1, timings: chunkTimings });
      });
    });
  const slot = async () => {
    while (next < chunks.length) {
      const i = next++;
      outcomes.push(await runOne(chunks[i], i));
    }
  };
  await Promise.all(Array.from({ length: Math.min(slots, chunks.length) }, slot));
  const merged = { wallMs: Date.now() - started, files: {} };
  for (const { timings: t } of outcomes) {
    if (!existsSync(t)) continue;
    Object.assign(merged.files, JSON.parse(readFileSync(t, 'utf8')).files);
  }
  merged.files = Object.fromEntries(Object.entries(merged.files).sort((a, b) => b[1].ms - a[1].ms));
  writeFileSync(timings, JSON.stringify(merged, null, 2) + '\n');
  return outcomes.some((o) => o.code !== 0) ? 1 : 0;
}

/** `{ file: ms }` from an earlier run's cache, or nothing when there is none (or it is unreadable). */
function readTimes(path) {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    return {};
  }
}

/** Merges this run's file times into the cache, so a run of a few files keeps the others' times. */
function rememberTimes() {
  if (!existsSync(timings)) return;
  const { files: times } = JSON.parse(readFileSync(timings, 'utf8'));
  const merged = { ...readTimes(timesCache) };
  for (const [f, { ms }] of Object.entries(times)) merged[f] = ms;
  mkdirSync(dirname(timesCache), { recursive: true });
  writeFileSync(timesCache, JSON.stringify(merged, null, 2) + '\n');
}

/** STEWARD_TEST_SLOWEST=n lists the n slowest files (default 15, 0 for none). */
function printSlowest() {
  const n = Number(process.env.STEWARD_TEST_SLOWEST ?? 15);
  if (!(n > 0) || !existsSync(timings)) return;
  const { wallMs, files: times } = JSON.parse(readFileSync(timings, 'utf8'));
  const sorted = Object.entries(times);
  const sum = sorted.reduce((s, [, f]) => s + f.ms, 0);
  console.error(
    `\n=== Slowest test files (${sorted.length} files, ${(sum / 1000).toFixed(1)} s summed, ${(wallMs / 1000).toFixed(1)} s wall) ===`,
  );
  for (const [f, { ms, passed }] of sorted.slice(0, n)) {
    console.error(`${(ms / 1000).toFixed(1).padStart(7)} s  ${f}${passed ? '' : '  (failed)'}`);
  }
}
console.error(
  `${tier === 'all' ? 'all tests' : `${tier} tier`}: ${files.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
process.exit(status);

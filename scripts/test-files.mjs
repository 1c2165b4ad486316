#!/usr/bin/env node
// Runs the test files given after `--`, each in its own process, at most STEWARD_TEST_CONCURRENCY
// at once, IN THE ORDER GIVEN. `node --test <files>` sorts its files by path, so the longest files
// (the browser suites under tests/ and packages/automation/) started last and ran alone at the end
// with a core idle; Node's `run()` keeps the caller's order (checked on Node 22 and 24). The
// reporters are the CLI's: spec to stdout, the skip summary and the file times to stderr.
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import skipSummary from './skip-summary-reporter.mjs';
import durations from './duration-reporter.mjs';

const files = process.argv.slice(process.argv.indexOf('--') + 1);
const concurrency = Number(process.env.STEWARD_TEST_CONCURRENCY) || 2;

const stream = run({ files, concurrency });
let failed = false;
stream.on('test:fail', (data) => {
  if (data.todo === undefined || data.todo === false) failed = true;
});
const into = (reporter, destination) => {
  const copy = new PassThrough({ objectMode: true });
  stream.pipe(copy);
  return pipeline(copy, reporter, destination, { end: false });
};
await Promise.all([
  into(new spec(), process.stdout),
  into(skipSummary, process.stderr),
  into(durations, process.stderr),
]);
process.exitCode = failed ? 1 : 0;

#!/usr/bin/env node
// Runs the test files given after `--` with Node's test runner, IN THE ORDER GIVEN (`node --test
// <files>` sorts them by path; Node's `run()` keeps the caller's order, checked on Node 22 and 24).
//   --isolation none     every file in this one process, one after another (scripts/run-tests.mjs
//                        gives each of its groups to one such process)
//   --isolation process  each file in its own process, at most STEWARD_TEST_CONCURRENCY at once
// The reporters are the CLI's: spec to stdout, the skip summary and the file times to stderr.
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import skipSummary from './skip-summary-reporter.mjs';
import durations from './duration-reporter.mjs';

const args = process.argv.slice(2);
const files = args.slice(args.indexOf('--') + 1);
const isolationAt = args.indexOf('--isolation');
const isolation = isolationAt >= 0 && isolationAt < args.indexOf('--') ? args[isolationAt + 1] : 'process';
if (isolation !== 'none' && isolation !== 'process') {
  console.error(`--isolation is none or process, not ${isolation}`);
  process.exit(2);
}
const concurrency = Number(process.env.STEWARD_TEST_CONCURRENCY) || 2;

const stream = isolation === 'none' ? run({ files, isolation }) : run({ files, concurrency });
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
// Exit, not exitCode: with every file in this process, a handle a test left open (a timer, a
// socket) would otherwise keep the group from ending; each file's own `after` has already run.
process.exit(failed ? 1 : 0);

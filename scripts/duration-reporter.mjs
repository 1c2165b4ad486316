// A test reporter that times each test file (Node's `test:complete` event for the file itself,
// which carries the file's wall time from start to exit) and writes every file's time as JSON to
// STEWARD_TEST_TIMINGS, slowest first, so two runs can be compared.
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';

export default async function* durations(source) {
  const root = process.cwd();
  const files = new Map();
  const started = Date.now();
  for await (const event of source) {
    if (event.type !== 'test:complete') continue;
    const { file, name, details } = event.data;
    if (file === undefined || name !== file) continue;
    files.set(relative(root, file), {
      ms: Math.round(details.duration_ms),
      passed: details.passed,
    });
  }
  const wallMs = Date.now() - started;
  const sorted = [...files].sort((a, b) => b[1].ms - a[1].ms);
  const path = process.env['STEWARD_TEST_TIMINGS'];
  if (path !== undefined && path !== '') {
    writeFileSync(path, JSON.stringify({ wallMs, files: Object.fromEntries(sorted) }, null, 2) + '\n');
  }
  // scripts/run-tests.mjs prints the slowest from this file once the run is over, so the list is
  // not interleaved with the other reporters' summaries.
}

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
    const { file, name, nesting, details } = event.data;
    if (file === undefined) continue;
    const key = relative(root, file);
    const ms = Math.round(details.duration_ms);
    if (name === file || name === key) {
      // Node reports the file itself as a test (Node 20 by its absolute path, 22 and 24 by the path
      // the runner was given): its wall time from start to exit. Its tests are inside that time.
      files.set(key, { ms, passed: details.passed, whole: true });
    } else if (nesting === 0) {
      // Until the file's own event arrives, the sum of its top-level tests and suites.
      const seen = files.get(key);
      if (seen?.whole) continue;
      files.set(key, { ms: (seen?.ms ?? 0) + ms, passed: (seen?.passed ?? true) && details.passed });
    }
  }
  const wallMs = Date.now() - started;
  const sorted = [...files].sort((a, b) => b[1].ms - a[1].ms);
  const path = process.env['STEWARD_TEST_TIMINGS'];
  if (path !== undefined && path !== '') {
    writeFileSync(
      path,
      JSON.stringify(
        { wallMs, files: Object.fromEntries(sorted.map(([f, { ms, passed }]) => [f, { ms, passed }])) },
        null,
        2,
      ) + '\n',
    );
  }
  // scripts/run-tests.mjs prints the slowest from this file once the run is over, so the list is
  // not interleaved with the other reporters' summaries.
}

// A test reporter that times each test file (Node's `test:complete` event for the file itself,
// which carries the file's wall time from start to exit) and, after the run, lists the slowest.
// STEWARD_TEST_SLOWEST=n lists n files (default 15, 0 for none); STEWARD_TEST_TIMINGS=path also
// writes every file's time as JSON, so two runs can be compared.
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
  const n = Number(process.env['STEWARD_TEST_SLOWEST'] ?? 15);
  if (!(n > 0) || sorted.length === 0) return;
  const sum = sorted.reduce((s, [, f]) => s + f.ms, 0);
  yield `\n=== Slowest test files (${sorted.length} files, ${(sum / 1000).toFixed(1)} s summed, ${(wallMs / 1000).toFixed(1)} s wall) ===\n`;
  for (const [f, { ms, passed }] of sorted.slice(0, n)) {
    yield `${(ms / 1000).toFixed(1).padStart(7)} s  ${f}${passed ? '' : '  (failed)'}\n`;
  }
  yield '\n';
}

// The bundle budget against planted builds: a small build passes, and an entry chunk or a lazy chunk
// over its budget fails naming the file, its size and the budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { measure, overBudget } from './check-bundle.mjs';

const script = fileURLToPath(new URL('./check-bundle.mjs', import.meta.url));

/** A build whose files hold random (incompressible) bytes of the given sizes. */
function plant(sizes) {
  const dist = mkdtempSync(join(tmpdir(), 'bundle-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(
    join(dist, 'index.html'),
    '<script type="module" crossorigin src="/console/assets/index-abc.js"></script>',
  );
  for (const [file, size] of Object.entries(sizes)) writeFileSync(join(dist, 'assets', file), randomBytes(size));
  return dist;
}

test('a build within budget passes, each file measured raw and gzipped with its kind', () => {
  const dist = plant({ 'index-abc.js': 1000, 'charts-x.js': 2000, 'index-abc.css': 100 });
  try {
    const files = measure(dist);
    assert.deepEqual(
      files.map((f) => [f.file, f.kind, f.raw]),
      [
        ['charts-x.js', 'lazy', 2000],
        ['index-abc.css', 'css', 100],
        ['index-abc.js', 'entry', 1000],
      ],
    );
    assert.ok(files.every((f) => f.gzip > 0));
    assert.deepEqual(overBudget(files), []);
    const run = spawnSync(process.execPath, [script, '--dir', dist], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /within budget/);
  } finally {
    rmSync(dist, { recursive: true, force: true });
  }
});

test('an entry chunk over its budget fails, naming the chunk, its size and the budget', () => {
  const dist = plant({ 'index-abc.js': 400_000, 'charts-x.js': 2000 });
  try {
    const run = spawnSync(process.execPath, [script, '--dir', dist], { encoding: 'utf8' });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /entry chunk index-abc\.js is 400\.0 kB raw, over its budget of 360\.0 kB/);
    assert.match(run.stderr, /lazyScreen/);
    assert.doesNotMatch(run.stderr, /charts-x/);
  } finally {
    rmSync(dist, { recursive: true, force: true });
  }
});

test('a lazy chunk and the total are judged by their own budgets', () => {
  const budget = {
    entry: { raw: 10, gzip: 10 },
    lazy: { raw: 100, gzip: 100 },
    css: { raw: 10, gzip: 10 },
    totalScript: { raw: 150, gzip: 1000 },
  };
  const problems = overBudget(
    [
      { file: 'a.js', kind: 'entry', raw: 10, gzip: 5 },
      { file: 'b.js', kind: 'lazy', raw: 101, gzip: 50 },
      { file: 'c.js', kind: 'lazy', raw: 90, gzip: 50 },
    ],
    budget,
  );
  assert.deepEqual(problems, [
    'lazy chunk b.js is 0.1 kB raw, over its budget of 0.1 kB',
    'all scripts together are 0.2 kB raw, over the budget of 0.1 kB',
  ]);
});

test('no build is an error that says to build first', () => {
  const run = spawnSync(process.execPath, [script, '--dir', join(tmpdir(), 'no-such-build')], { encoding: 'utf8' });
  assert.equal(run.status, 2);
  assert.match(run.stderr, /npm run build/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunksOf } from './test-chunks.mjs';

// 60 files: one of 100 s, nine of 20 s, fifty of 1 s (a suite's shape: a few long files, many short).
const times = new Map([['long', 100_000]]);
for (let i = 0; i < 9; i++) times.set(`mid-${i}`, 20_000);
for (let i = 0; i < 50; i++) times.set(`short-${String(i).padStart(2, '0')}`, 1_000);
const cost = (f) => times.get(f);
const files = [...times.keys()].reverse();
const work = (chunk) => chunk.reduce((sum, f) => sum + cost(f), 0);

test('every file is in exactly one chunk', () => {
  const chunks = chunksOf(files, cost, 3);
  assert.deepEqual(chunks.flat().sort(), [...files].sort());
});

test('the longest file starts in the first round, and no chunk but a lone file is larger than the first round', () => {
  const chunks = chunksOf(files, cost, 3);
  assert.ok(chunks.slice(0, 3).some((c) => c.includes('long')));
  const first = Math.max(...chunks.slice(0, 3).map(work));
  for (const c of chunks.slice(3)) assert.ok(work(c) <= first || c.length === 1, `${c} is larger than the first round`);
});

test('the chunks shrink toward the end, down to the smallest size, so the processes end together', () => {
  const chunks = chunksOf(files, cost, 3, { share: 0.75, smallestMs: 5_000 });
  const last = chunks.at(-1);
  assert.ok(work(last) <= 5_000, `the last chunk holds ${work(last)} ms`);
  assert.ok(chunks.length > 3 && chunks.length < files.length, `${chunks.length} chunks for ${files.length} files`);
});

test('the same input gives the same chunks (a run is reproducible), whatever order the files came in', () => {
  assert.deepEqual(chunksOf(files, cost, 3), chunksOf([...files].sort(), cost, 3));
});

test('fewer files than slots: a chunk each', () => {
  assert.deepEqual(
    chunksOf(['a', 'b'], () => 1_000, 3),
    [['a'], ['b']],
  );
});

#!/usr/bin/env node
// Runs every compiled benchmark (bench/dist/*.bench.js), or those whose name contains an argument.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const dir = new URL('../bench/dist/', import.meta.url).pathname;
const filter = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)));
let failed = 0;
for (const f of files) {
  console.log(`\n## ${f.replace('.bench.js', '')}\n`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(dir, f)], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);

/**
 * @module Where the sandbox's Synthea seed comes from: `STEWARD_SANDBOX_SEED_DIR` if set; else the
 * workspace's shared fixtures (`shared/fixtures/third-party/synthea-r4`, 38 patients) found beside
 * the checkout or one of its parents, or from `STEWARD_FIXTURES`; else the small seed the package
 * carries (`seed-data/synthea-r4`, 13 patients, see its PROVENANCE.md), so a bare clone still
 * starts a living clinic.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SeedSource {
  readonly dir: string;
  readonly kind: 'configured' | 'shared-fixtures' | 'built-in';
}

export function syntheaSeedSource(env: NodeJS.ProcessEnv = process.env): SeedSource {
  const configured = env['STEWARD_SANDBOX_SEED_DIR'];
  if (configured !== undefined && configured !== '') return { dir: resolve(configured), kind: 'configured' };
  const fixtures = env['STEWARD_FIXTURES'];
  const candidates: string[] = [];
  if (fixtures !== undefined && fixtures !== '') candidates.push(join(fixtures, 'third-party', 'synthea-r4'));
  const here = dirname(fileURLToPath(import.meta.url));
  for (const start of [process.cwd(), here]) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      candidates.push(join(dir, 'shared', 'fixtures', 'third-party', 'synthea-r4'));
      if (dirname(dir) === dir) break;
    }
  }
  const found = candidates.find((c) => existsSync(c));
  if (found !== undefined) return { dir: found, kind: 'shared-fixtures' };
  // dist/seed → the package root → seed-data
  return { dir: resolve(here, '..', '..', 'seed-data', 'synthea-r4'), kind: 'built-in' };
}

/**
 * @module Where the shared synthetic and third-party fixtures are: `STEWARD_FIXTURES` if set, else
 * the first `shared/fixtures` found beside the checkout or one of its parents (the workspace keeps
 * the repository and `shared/` side by side), else the workspace's own `/work/shared/fixtures`
 * (so a clone made elsewhere on the same machine still finds them). Test-only; the fixtures are
 * read, never edited.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const workspaceFixtures = '/work/shared/fixtures';

export function fixturesDir(): string {
  const fromEnv = process.env['STEWARD_FIXTURES'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  for (const start of [process.cwd(), dirname(fileURLToPath(import.meta.url))]) {
    for (let dir = resolve(start); ; dir = dirname(dir)) {
      const candidate = join(dir, 'shared', 'fixtures');
      if (existsSync(join(candidate, 'third-party'))) return candidate;
      if (dirname(dir) === dir) break;
    }
  }
  if (existsSync(join(workspaceFixtures, 'third-party'))) return workspaceFixtures;
  throw new Error('the shared fixtures were not found: set STEWARD_FIXTURES to the shared/fixtures folder');
}

export function thirdPartyFixture(...parts: string[]): string {
  return join(fixturesDir(), 'third-party', ...parts);
}

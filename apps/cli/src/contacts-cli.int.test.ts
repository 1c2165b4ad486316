/**
 * `steward contacts` on the embedded store: the import (a bulk migration of a practice's files)
 * opens the store itself, so it runs with the server stopped and says so while the server runs;
 * `show` and `export` ask the running server, which refuses a coordinator of another site.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@steward/governance';
import { generateContactExport } from '@steward/relationships';
import { loadConfig, openKernel, type RunningServer } from '@steward/server';
import { principalWith } from '@steward/server/testing';
import { runSteward, startCliTestServer } from './testing.js';

const bin = new URL('../bin/steward.js', import.meta.url).pathname;

describe('steward contacts on the embedded store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-contacts-cli-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: dir,
    STEWARD_DATA_DIR: join(dir, 'data'),
    STEWARD_ADMIN_PASSWORD: 'an administrator password',
    STEWARD_LOG_LEVEL: 'error',
  };
  const generated = generateContactExport(dir, { contacts: 12, notes: 20, seed: 3 });
  let north: string;
  let south: string;
  let server: RunningServer | undefined;
  const offline = (token: string, ...args: string[]) => {
    const r = spawnSync(process.execPath, [bin, ...args], { env: { ...env, STEWARD_TOKEN: token }, encoding: 'utf8' });
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  const steward = (token: string, ...args: string[]) => runSteward({ ...env, STEWARD_TOKEN: token }, args);
  const importArgs = [
    'contacts',
    'import',
    generated.contactsFile,
    '--mapping',
    generated.mappingFile,
    '--site',
    'north',
  ];

  before(async () => {
    assert.equal(offline('', 'init', '--admin-user', 'alice').status, 0);
    const kernel = await openKernel(loadConfig(env), createLogger({ level: 'error' }));
    try {
      north = (await principalWith(kernel, 'bob', { role: 'coordinator', site: 'north' })).token;
      south = (await principalWith(kernel, 'sue', { role: 'coordinator', site: 'south' })).token;
    } finally {
      await kernel.close();
    }
    const imported = offline(north, ...importArgs, '--json');
    assert.equal(imported.status, 0, imported.stderr);
    assert.equal((JSON.parse(imported.stdout) as { reconciled: boolean }).reconciled, true);
    server = await startCliTestServer(env);
    env['STEWARD_SERVER_URL'] = server.url;
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports and shows through the server; another site is refused there', async () => {
    const out = join(dir, 'graph.json');
    const exported = await steward(north, 'contacts', 'export', '--format', 'json', '--out', out, '--site', 'north');
    assert.equal(exported.status, 0, exported.stderr);
    assert.match(exported.stdout, /^Exported 12 contacts, \d+ relationships and 20 notes \(json\)/);
    assert.equal(statSync(out).mode & 0o777, 0o600);
    const graph = JSON.parse(readFileSync(out, 'utf8')) as { parties: { id: string }[] };
    const id = graph.parties[0]?.id ?? '';
    const shown = await steward(north, 'contacts', 'show', id, '--json');
    assert.equal(shown.status, 0, shown.stderr);
    assert.equal((JSON.parse(shown.stdout) as { party: { id: string } }).party.id, id);
    const hidden = await steward(south, 'contacts', 'show', id);
    assert.equal(hidden.status, 5, 'NOT_FOUND: another site looks like no record');
    assert.match(hidden.stderr, /^error \[NOT_FOUND\]/);
    const refused = await steward(south, 'contacts', 'export', '--format', 'json', '--out', out, '--site', 'north');
    assert.equal(refused.status, 4);
    assert.match(refused.stderr, /^error \[FORBIDDEN\]/);
  });

  it('an import while the server holds the embedded store says to stop it first', async () => {
    const r = await steward(north, ...importArgs);
    assert.equal(r.status, 8);
    assert.match(r.stderr, /^error \[STORE_UNAVAILABLE\]: .*in use by process .*stop the server first/);
  });
});

/**
 * `steward contacts` against a server on the embedded store: the import (a bulk migration of a
 * practice's files) reads the files and sends their rows to the server, which imports them while
 * it holds the store, and files nothing twice when they come again; `import`, `show` and `export`
 * are refused by the server for a coordinator of another site.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@steward/governance';
import { generateContactExport } from '@steward/relationships';
import { loadConfig, openKernel, type RunningServer } from '@steward/server';
import { principalWith } from '@steward/server/testing';
import { migratedDataDir, runCli, startCliTestServer } from './testing.js';

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
  const steward = (token: string, ...args: string[]) => runCli({ ...env, STEWARD_TOKEN: token }, args);
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
    await migratedDataDir(env);
    assert.equal((await steward('', 'init', '--admin-user', 'alice')).status, 0);
    const kernel = await openKernel(loadConfig(env), createLogger({ level: 'error' }));
    try {
      north = (await principalWith(kernel, 'bob', { role: 'coordinator', site: 'north' })).token;
      south = (await principalWith(kernel, 'sue', { role: 'coordinator', site: 'south' })).token;
    } finally {
      await kernel.close();
    }
    server = await startCliTestServer(env);
    env['STEWARD_SERVER_URL'] = server.url;
    const imported = await steward(north, ...importArgs, '--json');
    assert.equal(imported.status, 0, imported.stderr);
    const report = JSON.parse(imported.stdout) as { reconciled: boolean; contacts: { created: number } };
    assert.equal(report.reconciled, true);
    assert.equal(report.contacts.created, 12);
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

  it('imports through the running server: the same files again file nothing twice; another site is refused', async () => {
    const again = await steward(north, ...importArgs);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /^Import run \S+ \(site north, source /);
    assert.match(again.stdout, /contacts\s+12\s+0\s+0\s+12\s+0/, 'in 12, created 0, merged 0, unchanged 12');
    assert.match(again.stdout, /Reconciled: every source row is accounted for\./);
    const refused = await steward(south, ...importArgs);
    assert.equal(refused.status, 4, 'FORBIDDEN exits 4');
    assert.match(refused.stderr, /^error \[FORBIDDEN\]/);
  });
});

/**
 * `steward contacts` against a server on the embedded store: the import (a bulk migration of a
 * practice's files) reads the files and sends their rows to the server, which imports them while
 * it holds the store, and files nothing twice when they come again; `import`, `show` and `export`
 * are refused by the server for a coordinator of another site; fixing a notes file and importing again
 * converges (the fixed note joins its contact, nothing else is refused), and US note dates are read as such.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@steward/governance';
import { generateContactExport, type ReconciliationReport } from '@steward/relationships';
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
    assert.match(
      again.stdout,
      /contacts\s+12\s+0\s+0\s+0\s+12\s+0/,
      'in 12, created 0, merged 0, updated 0, unchanged 12',
    );
    assert.match(again.stdout, /Reconciled: every source row is accounted for\./);
    const refused = await steward(south, ...importArgs);
    assert.equal(refused.status, 4, 'FORBIDDEN exits 4');
    assert.match(refused.stderr, /^error \[FORBIDDEN\]/);
  });

  it('fix and re-run converges: the fixed note joins its unchanged contact, and a third run changes nothing', async () => {
    // The same practice's contacts under another source name (a second system), with three notes of its own.
    const fix = generateContactExport(join(dir, 'fix'), { contacts: 4, notes: 0, seed: 5 });
    const mapping = JSON.parse(readFileSync(fix.mappingFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(fix.mappingFile, JSON.stringify({ ...mapping, source: 'fix-and-rerun', dateOrder: 'us' }));
    const notesFile = join(fix.dir, 'notes.csv');
    const notes = (second: string) =>
      writeFileSync(
        notesFile,
        [
          'note_id,contact_id,rel_id,author,written_at,body',
          'F1,O00000,,Staff A,03/14/2024 2:05 PM,Called back',
          `F2,O00001,,Staff B,2024-03-15T09:00:00Z,${second}`,
          'F3,O00001,,Staff C,3/16/2024,Left voicemail',
          '',
        ].join('\n'),
      );
    const run = async () => {
      const r = await steward(
        north,
        'contacts',
        'import',
        fix.contactsFile,
        '--mapping',
        fix.mappingFile,
        '--site',
        'north',
        '--json',
      );
      return { status: r.status, report: JSON.parse(r.stdout) as ReconciliationReport };
    };
    notes('');
    const first = await run();
    assert.equal(first.status, 1, 'a note was not imported');
    assert.deepEqual(
      first.report.notImported.map((l) => [l.kind, l.row, l.field, l.reason]),
      [['note', 3, 'body', 'missing note text']],
      'the US-ordered dates of F1 and F3 are read, not refused',
    );
    assert.equal(first.report.notes.created, 2);

    notes('Fixed note');
    const second = await run();
    assert.equal(second.status, 0, JSON.stringify(second.report.notImported));
    assert.equal(second.report.reconciled, true);
    assert.deepEqual(second.report.notImported, []);
    assert.equal(second.report.contacts.updated, 1, 'the contact of the fixed note');
    assert.equal(second.report.contacts.unchanged, fix.expected.contactRows - 1);
    assert.deepEqual([second.report.notes.created, second.report.notes.unchanged], [1, 2]);
    assert.equal(second.report.hashCheck.mismatched.length, 0);

    const third = await run();
    assert.equal(third.status, 0);
    assert.equal(third.report.contacts.unchanged, fix.expected.contactRows);
    assert.deepEqual(
      [third.report.contacts.updated, third.report.notes.created, third.report.notes.unchanged],
      [0, 0, 3],
    );

    const preview = await steward(
      north,
      'contacts',
      'import',
      fix.contactsFile,
      '--mapping',
      fix.mappingFile,
      '--site',
      'north',
      '--dry-run',
    );
    assert.equal(preview.status, 0, preview.stderr);
    assert.match(preview.stdout, /^Dry run \(site north, source fix-and-rerun\): .*nothing was written/);
  });
});

/**
 * `steward sites` against a server on the embedded store, as an administrator runs it: a site a
 * grant names without a record shows as not configured, two sites are added in their own zones and
 * one is changed with a version check, an invalid zone is refused with the reason, a grant on an
 * unknown site is refused once sites exist, and a coordinator is refused by the server.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@steward/governance';
import { loadConfig, openKernel, type RunningServer } from '@steward/server';
import { principalWith } from '@steward/server/testing';
import { migratedDataDir, runCli, startCliTestServer } from './testing.js';

describe('steward sites on the embedded store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-sites-cli-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    STEWARD_DATA_DIR: join(dir, 'data'),
    STEWARD_ADMIN_PASSWORD: 'an administrator password',
    STEWARD_LOG_LEVEL: 'error',
  };
  let admin: string;
  let coordinator: string;
  let server: RunningServer | undefined;
  const steward = (token: string, ...args: string[]) => runCli({ ...env, STEWARD_TOKEN: token }, args);

  before(async () => {
    await migratedDataDir(env);
    const r = await runCli(env, ['init', '--admin-user', 'alice', '--token-out', join(dir, 'admin.token')]);
    assert.equal(r.status, 0, r.stderr);
    admin = readFileSync(join(dir, 'admin.token'), 'utf8').trim();
    const kernel = await openKernel(loadConfig(env), createLogger({ level: 'error' }));
    try {
      coordinator = (await principalWith(kernel, 'bob', { role: 'coordinator', site: 'north' })).token;
    } finally {
      await kernel.close();
    }
    server = await startCliTestServer(env);
    env['STEWARD_SERVER_URL'] = server.url;
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists, adds, shows and updates sites; refuses bad input, unknown sites in grants and non-admins', async () => {
    const before = await steward(admin, 'sites', 'list');
    assert.equal(before.status, 0, before.stderr);
    assert.match(before.stdout, /north\s+NOT CONFIGURED\s+grants/);

    const bad = await steward(
      admin,
      'sites',
      'add',
      'mars',
      '--name',
      'Mars',
      '--zone',
      'Mars/Base',
      '--hours',
      'mon-fri 9-5',
    );
    assert.equal(bad.status, 2, 'VALIDATION_FAILED exits 2');
    assert.match(bad.stderr, /--hours/);

    const west = await steward(
      admin,
      'sites',
      'add',
      'west',
      '--name',
      'West Clinic',
      '--zone',
      'America/Los_Angeles',
      '--hours',
      'sat 09:00-12:00',
      '--holidays',
      '2026-11-26,2026-12-25',
      '--ehr-ref',
      'Organization/west-1',
    );
    assert.equal(west.status, 0, west.stderr);
    assert.match(west.stdout, /site west added \(America\/Los_Angeles, version 1\)/);
    const badZone = await steward(admin, 'sites', 'add', 'mars', '--name', 'Mars', '--zone', 'Mars/Base');
    assert.equal(badZone.status, 2);
    assert.match(badZone.stderr, /VALIDATION_FAILED/);
    assert.match(badZone.stderr, /zone/);
    const berlin = await steward(admin, 'sites', 'add', 'berlin', '--name', 'Praxis Berlin', '--zone', 'Europe/Berlin');
    assert.equal(berlin.status, 0, berlin.stderr);

    const shown = await steward(admin, 'sites', 'show', 'west');
    assert.equal(shown.status, 0, shown.stderr);
    assert.match(shown.stdout, /zone\s+America\/Los_Angeles/);
    assert.match(shown.stdout, /business hours\s+mon 08:00-17:00, .*fri 08:00-17:00, sat 09:00-12:00/);
    assert.match(shown.stdout, /holidays\s+2026-11-26, 2026-12-25/);
    assert.match(shown.stdout, /quiet hours\s+20:00-08:00/);

    const updated = await steward(admin, 'sites', 'update', 'west', '--quiet', 'none', '--expected-version', '1');
    assert.equal(updated.status, 0, updated.stderr);
    assert.match(updated.stdout, /version 2/);
    const stale = await steward(admin, 'sites', 'update', 'west', '--name', 'W', '--expected-version', '1');
    assert.equal(stale.status, 6, 'VERSION_CONFLICT exits 6');
    const json = await steward(admin, 'sites', 'show', 'west', '--json');
    assert.equal((JSON.parse(json.stdout) as { site: { quietHours: unknown } }).site.quietHours, null);

    const listed = await steward(admin, 'sites', 'list');
    assert.match(listed.stdout, /berlin\s+yes\s+Praxis Berlin\s+Europe\/Berlin/);
    assert.match(listed.stdout, /north\s+NOT CONFIGURED/);

    const grant = await steward(
      admin,
      'grants',
      'add',
      '--user',
      'alice',
      '--role',
      'coordinator',
      '--site',
      'east',
      '--purpose',
      'HOPERAT',
    );
    assert.equal(grant.status, 2, grant.stderr);
    assert.match(grant.stderr, /SITE_UNKNOWN/);
    assert.match(grant.stderr, /site east is not configured/);

    const refused = await steward(coordinator, 'sites', 'list');
    assert.equal(refused.status, 4, 'FORBIDDEN exits 4');
  });
});

/**
 * `steward staff` and `steward pools` against a server on the embedded store (and its HTTP API
 * directly): an administrator gives two users staff records in a pool with a lead, a lead cycle is
 * refused, a coordinator lists and shows names but may not change them, and a site's owner pool
 * must name a pool that exists once staff do.
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

describe('steward staff and pools on the embedded store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-staff-cli-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    STEWARD_DATA_DIR: join(dir, 'data'),
    STEWARD_ADMIN_PASSWORD: 'an administrator password',
    STEWARD_LOG_LEVEL: 'error',
  };
  let admin: string;
  let bob: string;
  let server: RunningServer | undefined;
  const steward = (token: string, ...args: string[]) => runCli({ ...env, STEWARD_TOKEN: token }, args);

  before(async () => {
    await migratedDataDir(env);
    const r = await runCli(env, ['init', '--admin-user', 'alice', '--token-out', join(dir, 'admin.token')]);
    assert.equal(r.status, 0, r.stderr);
    admin = readFileSync(join(dir, 'admin.token'), 'utf8').trim();
    const kernel = await openKernel(loadConfig(env), createLogger({ level: 'error' }));
    try {
      bob = (await principalWith(kernel, 'bob', { role: 'coordinator', site: 'north' })).token;
      await principalWith(kernel, 'carol', { role: 'coordinator', site: 'north' });
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

  it('sets staff with a pool and a lead, refuses a cycle and a coordinator, and checks a site owner pool', async () => {
    const carol = await steward(
      admin,
      ...['staff', 'set', 'carol', '--name', 'Carol Diaz', '--title', 'Lead coordinator'],
      ...['--site', 'north', '--pool', 'north-coordinators', '--practitioner', '1234567893'],
    );
    assert.equal(carol.status, 0, carol.stderr);
    assert.match(carol.stdout, /staff carol set: Carol Diaz \(version 1\)/);
    const bobSet = await steward(
      admin,
      ...['staff', 'set', 'bob', '--name', 'Bob Lee', '--site', 'north', '--pool', 'north-coordinators@north'],
      ...['--lead', 'carol'],
    );
    assert.equal(bobSet.status, 0, bobSet.stderr);

    const cycle = await steward(admin, 'staff', 'set', 'carol', '--lead', 'bob');
    assert.equal(cycle.status, 2, 'VALIDATION_FAILED exits 2');
    assert.match(cycle.stderr, /lead cycle/);
    const twoSites = await steward(admin, 'staff', 'set', 'bob', '--site', 'north', '--site', 'west', '--pool', 'x');
    assert.equal(twoSites.status, 2);
    assert.match(twoSites.stderr, /pool@site/);

    const listed = await steward(bob, 'staff', 'list');
    assert.equal(listed.status, 0, listed.stderr);
    assert.match(listed.stdout, /bob\s+Bob Lee\s+north\s+north-coordinators\s+Carol Diaz/);
    assert.match(listed.stdout, /carol\s+Carol Diaz\s+Lead coordinator\s+north/);
    const shown = await steward(bob, 'staff', 'show', 'bob');
    assert.match(shown.stdout, /lead\s+Carol Diaz \(carol\)/);
    const pool = await steward(bob, 'pools', 'show', 'north-coordinators');
    assert.equal(pool.status, 0, pool.stderr);
    assert.match(pool.stdout, /pool north-coordinators at north, 2 member\(s\)/);
    assert.match(pool.stdout, /Carol Diaz \(carol\), Lead coordinator/);

    const refused = await steward(bob, 'staff', 'set', 'bob', '--title', 'Boss');
    assert.equal(refused.status, 4, 'FORBIDDEN exits 4');

    // The API itself: the pool list as JSON, and an unknown pool in a site's record refused with the reason.
    const res = await fetch(`${server?.url ?? ''}/pools?site=north`, { headers: { authorization: `Bearer ${bob}` } });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { items: { pool: string; members: { displayName: string }[] }[] };
    assert.deepEqual(
      body.items.map((p) => [p.pool, p.members.map((m) => m.displayName)]),
      [['north-coordinators', ['Bob Lee', 'Carol Diaz']]],
    );
    const put = await fetch(`${server?.url ?? ''}/staff/bob`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ lead: 'nobody-here' }),
    });
    assert.equal(put.status, 422);
    assert.equal(((await put.json()) as { code: string }).code, 'STAFF_UNKNOWN');

    const unknown = await steward(
      admin,
      ...['sites', 'add', 'north', '--name', 'North', '--zone', 'America/New_York', '--owner-pool', 'north-nurses'],
    );
    assert.equal(unknown.status, 2, unknown.stderr);
    assert.match(unknown.stderr, /POOL_UNKNOWN/);
    assert.match(unknown.stderr, /pool north-nurses has no members/);
    const north = await steward(
      admin,
      ...['sites', 'add', 'north', '--name', 'North', '--zone', 'America/New_York'],
      ...['--owner-pool', 'north-coordinators', '--escalation', 'carol'],
    );
    assert.equal(north.status, 0, north.stderr);
  });
});

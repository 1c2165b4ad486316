/**
 * `steward retention` and `steward incidents` against a server on the embedded store, as a
 * compliance officer runs them: a policy set and versioned, a case hold suspending the purge, an
 * incident opened over a time range, its Markdown report, and a coordinator refused by the server.
 * Accounts are made in-process before the server starts.
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

describe('steward retention and incidents on the embedded store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-incidents-cli-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    STEWARD_DATA_DIR: join(dir, 'data'),
    STEWARD_ADMIN_PASSWORD: 'an administrator password',
    STEWARD_LOG_LEVEL: 'error',
  };
  let officer: string;
  let coordinator: string;
  let server: RunningServer | undefined;
  const steward = (token: string, ...args: string[]) => runCli({ ...env, STEWARD_TOKEN: token }, args);

  before(async () => {
    await migratedDataDir(env);
    const r = await runCli(env, ['init', '--admin-user', 'alice', '--token-out', join(dir, 'admin.token')]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(readFileSync(join(dir, 'admin.token'), 'utf8').trim().length > 0);
    const kernel = await openKernel(loadConfig(env), createLogger({ level: 'error' }));
    try {
      officer = (await principalWith(kernel, 'carol', { role: 'compliance_officer' })).token;
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

  it('sets a policy, suspends the purge under a case hold, opens and reports an incident', async () => {
    const set = await steward(officer, 'retention', 'set', 'ehr-messages', '--days', '365');
    assert.equal(set.status, 0, set.stderr);
    assert.match(set.stdout, /ehr-messages: kept 365 days \(version 1\)/);
    const hold = await steward(officer, 'retention', 'hold', '--case', 'CASE-9', '--reason', 'subpoena');
    assert.equal(hold.status, 0, hold.stderr);
    const purge = await steward(officer, 'retention', 'purge');
    assert.equal(purge.status, 0, purge.stderr);
    assert.match(purge.stdout, /ehr-messages\s+suspended/);
    assert.match(purge.stdout, /purge suspended: 1 case hold/);

    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const refused = await steward(coordinator, 'incidents', 'open', '--from', from, '--to', to, '--summary', 'x');
    assert.equal(refused.status, 4, 'FORBIDDEN exits 4');
    assert.match(refused.stderr, /^error \[FORBIDDEN\]/);
    const opened = await steward(
      officer,
      'incidents',
      'open',
      '--from',
      from,
      '--to',
      to,
      '--summary',
      'Misfiled fax',
      '--json',
    );
    assert.equal(opened.status, 0, opened.stderr);
    const incident = JSON.parse(opened.stdout) as { id: string; status: string };
    assert.equal(incident.status, 'open');
    const report = await steward(officer, 'incidents', 'report', incident.id);
    assert.equal(report.status, 0, report.stderr);
    assert.match(report.stdout, new RegExp(`^# Incident ${incident.id}`));
    assert.match(report.stdout, /Notify individuals by: /);
    assert.match(report.stdout, /Misfiled fax/);
  });
});

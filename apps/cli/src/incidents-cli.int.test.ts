/**
 * `steward retention`, `steward incidents` and `steward automation` against a server on the embedded
 * store, as a compliance officer runs them: a policy set and versioned, a case hold suspending the
 * purge, an incident opened over a time range, its Markdown report, a coordinator refused by the
 * server; automation runs listed, shown and replayed to PNG files.
 * Accounts are made in-process before the server starts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@steward/governance';
import { loadConfig, openKernel, type RunningServer } from '@steward/server';
import { principalWith } from '@steward/server/testing';
import { migratedDataDir, runCli, startCliTestServer } from './testing.js';

/** A coordinator's grant at north beside a compliance officer's: what replaying a run there needs. */
async function principalGrant(kernel: Awaited<ReturnType<typeof openKernel>>, userId: string): Promise<void> {
  const by = {
    kind: 'service',
    id: '00000000-0000-4000-8000-000000000000',
    name: 'test',
    authMethod: 'local-operator',
  } as const;
  await kernel.grants.add(by, {
    principalKind: 'user',
    principalId: userId,
    role: 'coordinator',
    site: 'north',
    workflow: '*',
    purposeOfUse: 'TREAT',
  });
}

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
  let priya: string;
  let runId = '';
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAFklEQVR4nGM4IScHRwzmDx/CEQOyDAA7LBAFRMp1PAAAAABJRU5ErkJggg==',
    'base64',
  );
  /** A JPEG's first and last bytes: what the executor records now. */
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0xff, 0xd9]);
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
      // Replaying a run shows PHI: Priya audits and also reads charts at north.
      const p = await principalWith(kernel, 'priya', { role: 'compliance_officer' });
      await principalGrant(kernel, p.id);
      priya = p.token;
      const screens = await principalWith(kernel, 'screens-north', { role: 'integration', site: 'north' });
      const ctx = { actor: { kind: 'user', id: screens.id, name: 'screens-north', authMethod: 'api-token' } } as const;
      const run = await kernel.automationRuns.start(ctx, {
        connectionId: 'north-screens',
        site: 'north',
        purpose: 'TREAT',
        kind: 'read',
        identity: { accountId: screens.id },
        patients: [],
        mapVersion: 1,
      });
      runId = run.id;
      const rec = kernel.automationRuns.recorder(run.id);
      const at = new Date().toISOString();
      await rec.step({
        index: 0,
        action: 'navigate',
        screen: 'schedule',
        target: 'Schedule',
        inputEvents: 1,
        startedAt: at,
        durationMs: 55,
        outcome: 'ok',
        screenshot: png,
      });
      await rec.step({
        index: 1,
        action: 'read',
        screen: 'schedule',
        target: 'day',
        inputEvents: 0,
        startedAt: at,
        durationMs: 20,
        outcome: 'ok',
        value: '3 appointments',
        screenshot: jpeg,
        screenshotType: 'image/jpeg',
      });
      await kernel.automationRuns.finish(run.id, {
        status: 'halted',
        reason: 'unexpected-screen',
        detail: 'screen: login',
        steps: 2,
        submitted: false,
      });
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

  it('lists, shows and replays automation runs, writing each screenshot as a JPEG or PNG (as recorded) readable by its owner only', async () => {
    const list = await steward(priya, 'automation', 'list', '--outcome', 'halted');
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`${runId}.*screens-north.*halted: unexpected-screen \\(screen: login\\)`));
    const none = await steward(priya, 'automation', 'list', '--outcome', 'done', '--json');
    assert.deepEqual((JSON.parse(none.stdout) as { items: unknown[] }).items, []);
    const refused = await steward(coordinator, 'automation', 'list');
    assert.equal(refused.status, 4, refused.stderr);
    const out = join(dir, 'replay');
    const replay = await steward(priya, 'automation', 'replay', runId, '--out', out);
    assert.equal(replay.status, 0, replay.stderr);
    assert.match(replay.stdout, /0\s+navigate\s+schedule\s+Schedule[\s\S]*1\s+read\s+schedule\s+day/);
    assert.match(replay.stdout, /2 screenshots written to /);
    assert.deepEqual(readdirSync(out), ['step-000-navigate.png', 'step-001-read.jpg']);
    assert.deepEqual(readFileSync(join(out, 'step-000-navigate.png')), png);
    assert.deepEqual(readFileSync(join(out, 'step-001-read.jpg')), jpeg);
    assert.equal(statSync(join(out, 'step-000-navigate.png')).mode & 0o777, 0o600);
    const denied = await steward(officer, 'automation', 'replay', runId, '--out', join(dir, 'denied'));
    assert.equal(denied.status, 4, 'a compliance officer without PHI read at the site is refused the screenshots');
  });
});

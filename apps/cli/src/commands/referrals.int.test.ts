/**
 * `steward referrals list` and `steward report referrals` against a server on the embedded store:
 * referral workflows are seeded in-process through the engine before the server starts, then read
 * by a coordinator of one site; a site the grant does not cover is refused by the server.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@steward/governance';
import { loadConfig, openKernel, type RunningServer } from '@steward/server';
import { principalWith } from '@steward/server/testing';
import {
  referralWorkflow,
  WorkflowWorker,
  type ReferralFigures,
  type ReferralListItem,
  type ReferralStartPayload,
} from '@steward/workflows';
import { migratedDataDir, runCli, startCliTestServer, type Run } from '../testing.js';

const CONN = '66666666-6666-4666-8666-666666666666';

describe('steward referrals on the embedded store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-referrals-cli-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    STEWARD_DATA_DIR: join(dir, 'data'),
    STEWARD_ADMIN_PASSWORD: 'an administrator password',
    STEWARD_LOG_LEVEL: 'error',
  };
  let token: string;
  let server: RunningServer | undefined;

  const steward = (tok: string, ...args: string[]): Promise<Run> => runCli({ ...env, STEWARD_TOKEN: tok }, args);

  before(async () => {
    await migratedDataDir(env);
    const init = await steward('', 'init', '--admin-user', 'alice', '--token-out', join(dir, 'admin.token'));
    assert.equal(init.status, 0, init.stderr);
    const kernel = await openKernel(loadConfig(env), createLogger({ level: 'error' }));
    try {
      token = (await principalWith(kernel, 'bob', { role: 'coordinator', site: 'north' })).token;
      const engine = kernel.workflowStore.engine({ definitions: [referralWorkflow] });
      const now = new Date().toISOString();
      for (const [i, site] of ['north', 'north', 'south'].entries()) {
        const payload: ReferralStartPayload = {
          eventId: `77777777-7777-4777-8777-00000000000${i}`,
          occurredAt: now,
          connectionId: CONN,
          site,
          serviceRequest: `ServiceRequest/r${i}`,
          status: i === 1 ? 'revoked' : 'active',
          priority: 'routine',
          requester: 'Practitioner/pcp',
          performers: [],
        };
        await engine.start('referral', `referral:${CONN}:r${i}`, payload);
      }
      await new WorkflowWorker(engine, { id: 'seed' }).drain();
      // The directory names the requester; a practice is there to be marked in network.
      const learner = await principalWith(kernel, 'learner', { role: 'automation' });
      await kernel.directory.learn(
        { actor: { kind: 'service', id: learner.id, name: 'learner', authMethod: 'api-token' } },
        CONN,
        [
          { kind: 'Practitioner', ehrId: 'pcp', identifiers: [], name: 'Dr Paula Primary', source: 'fhir' },
          { kind: 'Organization', ehrId: 'lake', identifiers: [], name: 'Lakeside Cardiology Group', source: 'fhir' },
        ],
      );
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

  it('lists a site’s referrals and reports its figures; another site is refused', async () => {
    const list = await steward(token, 'referrals', 'list', '--site', 'north', '--json');
    assert.equal(list.status, 0, list.stderr);
    const items = (JSON.parse(list.stdout) as { items: ReferralListItem[] }).items;
    assert.deepEqual(items.map((r) => [r.serviceRequest, r.stage, r.leaked]).sort(), [
      ['ServiceRequest/r0', 'sent', null],
      ['ServiceRequest/r1', 'sent', 'cancelled'],
    ]);
    const report = await steward(token, 'report', 'referrals', '--site', 'north', '--json');
    assert.equal(report.status, 0, report.stderr);
    const f = JSON.parse(report.stdout) as ReferralFigures;
    assert.equal(f.total, 2);
    assert.deepEqual(f.leakage.byReason.cancelled, { count: 1, rate: 0.5 });
    const table = await steward(token, 'report', 'referrals', '--site', 'north');
    assert.match(table.stdout, /referrals: 2 started at north/);
    const south = await steward(token, 'referrals', 'list', '--site', 'south');
    assert.equal(south.status, 4, south.stderr);
    assert.match(south.stderr, /^error \[FORBIDDEN\]/);
    assert.equal(south.stdout.includes('ServiceRequest/r2'), false);
  });

  it('names who asked in the list, searches and shows the directory; only an admin marks the network', async () => {
    const table = await steward(token, 'referrals', 'list', '--site', 'north');
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /Dr Paula Primary/);
    // The entries belong to a connection at no site the coordinator's north grant covers.
    const outside = await steward(token, 'directory', 'search', 'lakeside');
    assert.equal(outside.status, 4, outside.stderr);
    const admin = readFileSync(join(dir, 'admin.token'), 'utf8').trim();
    const found = await steward(admin, 'directory', 'search', 'lakeside', '--json');
    assert.equal(found.status, 0, found.stderr);
    const [lake] = (JSON.parse(found.stdout) as { items: { id: string; name: string }[] }).items;
    assert.equal(lake?.name, 'Lakeside Cardiology Group');
    const shown = await steward(admin, 'directory', 'show', lake.id);
    assert.match(shown.stdout, /reference +Organization\/lake/);
    assert.match(shown.stdout, /network +unknown/);
    const refused = await steward(token, 'directory', 'network', lake.id, 'in');
    assert.equal(refused.status, 4, refused.stderr);
    const marked = await steward(admin, 'directory', 'network', lake.id, 'in');
    assert.equal(marked.status, 0, marked.stderr);
    assert.match(marked.stdout, /Lakeside Cardiology Group: in/);
    const bad = await steward(admin, 'directory', 'network', lake.id, 'maybe');
    assert.equal(bad.status, 2, bad.stderr);
  });
});

/**
 * `steward ehr referral-rules` against a server on the embedded store: an administrator sees a
 * connection's rules (vendor defaults), sets a site rule from a file, asks which rule decides a
 * ServiceRequest, and resets; a bad rules file is refused naming the problem.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningServer } from '@steward/server';
import { migratedDataDir, runCli, startCliTestServer, type Run } from '../testing.js';

describe('steward ehr referral-rules on the embedded store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-referral-rules-cli-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    STEWARD_DATA_DIR: join(dir, 'data'),
    STEWARD_ADMIN_PASSWORD: 'an administrator password',
    STEWARD_LOG_LEVEL: 'error',
  };
  const file = (name: string, value: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };
  let token: string;
  let server: RunningServer | undefined;
  const steward = (...args: string[]): Promise<Run> => runCli({ ...env, STEWARD_TOKEN: token }, args);

  before(async () => {
    token = '';
    await migratedDataDir(env);
    const init = await steward('init', '--admin-user', 'alice', '--token-out', join(dir, 'admin.token'));
    assert.equal(init.status, 0, init.stderr);
    token = readFileSync(join(dir, 'admin.token'), 'utf8').trim();
    server = await startCliTestServer(env);
    env['STEWARD_SERVER_URL'] = server.url;
    const add = await steward(
      'ehr',
      'add',
      'north-feed',
      '--site',
      'north',
      '--vendor',
      'epic',
      '--time-zone',
      'America/New_York',
      '--mllp-port',
      '2599',
    );
    assert.equal(add.status, 0, add.stderr);
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the defaults, sets a site rule, explains a request by it, and resets', async () => {
    const shown = await steward('ehr', 'referral-rules', 'north-feed');
    assert.equal(shown.status, 0, shown.stderr);
    assert.match(shown.stdout, /north-feed \(epic\), site override version 0 \(defaults only\)/);
    assert.match(shown.stdout, /referral-category\s+vendor\s+referral/);
    assert.match(shown.stdout, /else\s+otherwise\s+vendor\s+not-referral/);

    const sr = file('sr.json', {
      resourceType: 'ServiceRequest',
      status: 'active',
      intent: 'order',
      category: [{ coding: [{ system: 'urn:oid:1.2.840.114350.1.13.0.1.7.10.798268.30', code: '8' }] }],
      subject: { reference: 'Patient/p1' },
    });

    const rules = file('rules.json', {
      rules: [
        {
          id: 'order-type-8',
          decision: 'referral',
          description: 'order type 8 is an outpatient referral here',
          when: { category: [{ system: 'urn:oid:1.2.840.114350.1.13.0.1.7.10.798268.30', code: '8' }] },
        },
      ],
      disabled: ['performer-type'],
    });
    const set = await steward('ehr', 'referral-rules', 'north-feed', '--set', rules, '--json');
    assert.equal(set.status, 0, set.stderr);
    const view = JSON.parse(set.stdout) as { version: number; effective: { rules: { id: string }[] } };
    assert.equal(view.version, 1);
    assert.equal(view.effective.rules[0]!.id, 'order-type-8');
    assert.ok(!view.effective.rules.some((r) => r.id === 'performer-type'));

    const after = await steward('ehr', 'referral-rules', 'north-feed', '--explain', sr);
    assert.equal(
      after.stdout.trim(),
      'referral: rule order-type-8 (site) — order type 8 is an outpatient referral here',
    );

    const bad = await steward('ehr', 'referral-rules', 'north-feed', '--set', file('bad.json', { disabled: ['nope'] }));
    assert.equal(bad.status, 2, 'VALIDATION_FAILED exits 2');
    assert.match(bad.stderr, /disabled\[0\]/);

    const reset = await steward('ehr', 'referral-rules', 'north-feed', '--reset', '--json');
    assert.equal(reset.status, 0, reset.stderr);
    assert.deepEqual((JSON.parse(reset.stdout) as { override: unknown }).override, { rules: [], disabled: [] });
  });
});

/**
 * `steward recover admin` on the embedded store, the way back when every administrator is locked
 * out: refused while another process holds the store, for an unknown user (naming the
 * administrators), a non-administrator, a disabled one, and without a reason; an administrator
 * gets a new password and TOTP secret that log in while the old ones no longer do; with no
 * enabled administrator left, a new username becomes one. Every outcome is in the audit trail,
 * as the local operator.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@steward/governance';
import { loadConfig, openKernel, type Kernel } from '@steward/server';
import { principalWith } from '@steward/server/testing';
import { migratedDataDir, nextCode, runCli, startCliTestServer, totpSecretIn, type Run } from './testing.js';

const operator = '00000000-0000-4000-8000-000000000000';

describe('steward recover admin on the embedded store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-recover-cli-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: dir,
    STEWARD_DATA_DIR: join(dir, 'data'),
    STEWARD_ADMIN_PASSWORD: 'the first administrator password',
    STEWARD_LOG_LEVEL: 'error',
  };
  const steward = (...args: string[]): Promise<Run> => runCli(env, args);
  const withKernel = async <T>(fn: (k: Kernel) => Promise<T>): Promise<T> => {
    const kernel = await openKernel(loadConfig(env), createLogger({ level: 'error' }));
    try {
      return await fn(kernel);
    } finally {
      await kernel.close();
    }
  };
  const passwordIn = (out: string): string => /password:\s+(\S+)/.exec(out)?.[1] ?? '';
  /** Runs `fn` against a server on the store, stopped again after: recovery needs it stopped. */
  const online = async <T>(fn: (url: string) => Promise<T>): Promise<T> => {
    const server = await startCliTestServer(env);
    try {
      return await fn(server.url);
    } finally {
      await server.stop();
    }
  };
  /** Logs in with `password` and a code from `secret`; answers how it went. */
  const login = (url: string, user: string, password: string, secret: string): Promise<Run> =>
    runCli({ ...env, STEWARD_SERVER_URL: url, STEWARD_LOGIN_PASSWORD: password }, [
      'login',
      '--user',
      user,
      '--code',
      nextCode(secret),
    ]);
  let aliceSecret = '';
  let aliceToken = '';

  before(async () => {
    await migratedDataDir(env);
    const init = await steward('init', '--admin-user', 'alice', '--token-out', join(dir, 'alice.token'));
    assert.equal(init.status, 0, init.stderr);
    aliceSecret = totpSecretIn(init.stdout);
    aliceToken = readFileSync(join(dir, 'alice.token'), 'utf8').trim();
    await withKernel(async (k) => {
      await principalWith(k, 'bob', { role: 'coordinator', site: 'north' });
      // Alice reads the audit trail below (audit.read is the compliance officer's).
      const alice = (await k.bootstrap.users.list()).find((u) => u.username === 'alice');
      assert.ok(alice !== undefined);
      await k.grants.add(
        { kind: 'service', id: operator, name: 'test', authMethod: 'local-operator' },
        {
          principalKind: 'user',
          principalId: alice.id,
          role: 'compliance_officer',
          site: '*',
          workflow: '*',
          purposeOfUse: 'HCOMPL',
        },
      );
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is refused while another process holds the embedded store (a running server)', async () => {
    const lock = join(dir, 'data', 'pgdata.lock');
    // The test runner's own process: alive, and not this one.
    writeFileSync(lock, String(process.ppid));
    try {
      const r = await steward('recover', 'admin', 'alice', '--reason', 'lost phone');
      assert.equal(r.status, 8, r.stderr);
      assert.match(r.stderr, /^error \[STORE_UNAVAILABLE\]: .*in use by process .*stop the server first/);
    } finally {
      rmSync(lock, { force: true });
    }
  });

  it('is refused without a reason, for an unknown user, and for a non-administrator', async () => {
    const noReason = await steward('recover', 'admin', 'alice');
    assert.equal(noReason.status, 2);
    assert.match(noReason.stderr, /--reason/);
    const blank = await steward('recover', 'admin', 'alice', '--reason', ' ');
    assert.equal(blank.status, 2);
    assert.match(blank.stderr, /VALIDATION_FAILED[\s\S]*--reason/);
    const unknown = await steward('recover', 'admin', 'mallory', '--reason', 'lost phone');
    assert.equal(unknown.status, 5, unknown.stderr);
    assert.match(
      unknown.stderr,
      /^error \[NOT_FOUND\]: no user mallory; recover one of the administrators instead: alice/,
    );
    const coordinator = await steward('recover', 'admin', 'bob', '--reason', 'lost phone');
    assert.equal(coordinator.status, 2, coordinator.stderr);
    assert.match(coordinator.stderr, /bob is not an administrator/);
  });

  it('gives an administrator a new password and TOTP secret, shown once; the old ones stop working', async () => {
    const r = await steward('recover', 'admin', 'alice', '--reason', 'lost phone and password');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Administrator alice recovered: 0 sign-in lock\(s\) lifted/);
    const password = passwordIn(r.stdout);
    const secret = totpSecretIn(r.stdout);
    assert.ok(password.length >= 20);
    assert.notEqual(secret, aliceSecret);
    const entries = await online(async (url) => {
      const oldOnes = await login(url, 'alice', 'the first administrator password', aliceSecret);
      assert.equal(oldOnes.status, 3, 'the old password and authenticator no longer log in');
      const ok = await login(url, 'alice', password, secret);
      assert.equal(ok.status, 0, ok.stderr);
      const q = await runCli({ ...env, STEWARD_SERVER_URL: url, STEWARD_TOKEN: aliceToken }, [
        ...['audit', 'query', '--actor', operator, '--json'],
      ]);
      assert.equal(q.status, 0, q.stderr);
      // A patient term that names nobody says so, not "(none)" as if nobody had accessed them.
      const nobody = await runCli({ ...env, STEWARD_SERVER_URL: url, STEWARD_TOKEN: aliceToken }, [
        ...['audit', 'query', '--patient', 'MRN-0000-nobody'],
      ]);
      assert.equal(nobody.status, 0, nobody.stderr);
      assert.match(nobody.stdout, /^no patient matches that term: give an MRN/);
      return (JSON.parse(q.stdout) as { items: { event: string; outcome: string; actor: { name: string } }[] }).items;
    });
    const outcomes = entries
      .filter((e) => e.event === 'admin.user_changed' && e.actor.name.startsWith('steward-recover:'))
      .map((e) => e.outcome);
    assert.ok(outcomes.includes('success'), 'the recovery is on record');
    assert.equal(outcomes.filter((o) => o === 'failure').length, 2, 'so are the refusals that reached the store');
  });

  it('makes a fresh administrator when no enabled administrator is left, and refuses a disabled one', async () => {
    await withKernel(async (k) => {
      const alice = (await k.bootstrap.users.list()).find((u) => u.username === 'alice');
      assert.ok(alice !== undefined);
      await k.bootstrap.users.disable(alice.id, {
        kind: 'service',
        id: operator,
        name: 'test',
        authMethod: 'local-operator',
      });
    });
    const disabled = await steward('recover', 'admin', 'alice', '--reason', 'lost phone');
    assert.equal(disabled.status, 2);
    assert.match(disabled.stderr, /alice is disabled/);
    const fresh = await steward('recover', 'admin', 'carol', '--reason', 'the only administrator left the practice');
    assert.equal(fresh.status, 0, fresh.stderr);
    assert.match(fresh.stdout, /^No enabled administrator was left: carol is a new one/);
    const ok = await online((url) => login(url, 'carol', passwordIn(fresh.stdout), totpSecretIn(fresh.stdout)));
    assert.equal(ok.status, 0, ok.stderr);
    const again = await steward('recover', 'admin', 'dave', '--reason', 'x');
    assert.equal(again.status, 5, 'carol is an administrator now: no second fresh one');
  });
});

/**
 * The operator's path to a working EHR connection, with the real commands (run in this process):
 * `steward sandbox` runs the sandbox EHR with a SMART client registered from a public key file;
 * against a running Steward server, `steward egress add`, `steward ehr add` with the private key,
 * then `steward ehr check` proves discovery, a token and a read — and names the failing step when
 * the key is not the one the EHR knows. Embedded store only: the path is the same on PostgreSQL.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeKey } from '@steward/sandbox-ehr/testing';
import type { RunningServer } from '@steward/server';
import { migratedDataDir, runCli, startCli, startCliTestServer, type Run, type RunningCommand } from './testing.js';

describe('steward sandbox, ehr add and ehr check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-ehr-cli-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    STEWARD_DATA_DIR: join(dir, 'data'),
    STEWARD_ADMIN_PASSWORD: 'an administrator password',
    STEWARD_LOG_LEVEL: 'error',
  };
  const steward = (...args: string[]): Promise<Run> => runCli(env, args);
  let sandbox: RunningCommand | undefined;
  let server: RunningServer | undefined;
  let fhirBase: string;

  before(async () => {
    const key = await makeKey('ES384', 'cli-key-1');
    writeFileSync(join(dir, 'client.jwks.json'), JSON.stringify({ keys: [key.publicJwk] }));
    const { exportJWK } = await import('jose');
    writeFileSync(
      join(dir, 'client.private.jwk.json'),
      JSON.stringify({ ...(await exportJWK(key.privateKey)), kid: 'cli-key-1', alg: 'ES384' }),
    );
    const other = await makeKey('ES384', 'cli-key-1');
    writeFileSync(
      join(dir, 'wrong.private.jwk.json'),
      JSON.stringify({ ...(await exportJWK(other.privateKey)), kid: 'cli-key-1', alg: 'ES384' }),
    );
    // An empty seed: discovery, a token and a read need no patients, and seeding is most of the cost.
    mkdirSync(join(dir, 'no-seed'));
    const running = startCli(env, [
      ...['sandbox', '--port', '0', '--seed-dir', join(dir, 'no-seed')],
      ...['--client', `cli-client=${join(dir, 'client.jwks.json')}`],
    ]);
    sandbox = running;
    // The command prints where it answers once it listens, then runs until stopped.
    fhirBase = (await running.printed(/FHIR R4 base:\s+(\S+)/))[1] ?? '';
    const tokenFile = join(dir, 'admin.token');
    await migratedDataDir(env);
    assert.equal((await steward('init', '--admin-user', 'alice', '--token-out', tokenFile)).status, 0);
    env['STEWARD_TOKEN'] = readFileSync(tokenFile, 'utf8').trim();
    server = await startCliTestServer(env);
    env['STEWARD_SERVER_URL'] = server.url;
  });
  after(async () => {
    await server?.stop();
    const stopped = await sandbox?.stop();
    assert.equal(stopped?.status, 0, 'the sandbox stops cleanly when asked');
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints where the sandbox answers, with the registered client', () => {
    assert.match(fhirBase, /^http:\/\/127\.0\.0\.1:\d+\/fhir\/R4$/);
  });

  it('registers the EHR and proves it works: discovery, token, read', async () => {
    const origin = new URL(fhirBase).origin;
    const egress = await steward(
      'egress',
      'add',
      'sandbox-ehr',
      '--url',
      origin,
      '--kind',
      'ehr',
      '--baa',
      'synthetic data only',
      '--allow-private',
    );
    assert.equal(egress.status, 0, egress.stderr);
    const add = async (name: string, keyFile: string): Promise<void> => {
      const r = await steward(
        'ehr',
        'add',
        name,
        '--site',
        'north',
        '--vendor',
        'generic-r4',
        '--time-zone',
        'America/New_York',
        '--fhir-base-url',
        fhirBase,
        '--client-id',
        'cli-client',
        '--private-key',
        keyFile,
        '--scopes',
        'system/*.rs',
      );
      assert.equal(r.status, 0, r.stderr);
    };
    await add('north-ehr', join(dir, 'client.private.jwk.json'));
    const listed = await steward('ehr', 'list');
    assert.match(listed.stdout, /north-ehr\s+north\s+generic-r4\s+http\S+\s+America\/New_York\s+10\/s/);
    const check = await steward('ehr', 'check', 'north-ehr');
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /discovery\s+ok/);
    assert.match(check.stdout, /token\s+ok\s+\d+\s+granted system\/\*\.rs \(ES384\)/);
    assert.match(check.stdout, /read\s+ok/);
    assert.match(check.stdout, /north-ehr works/);

    await add('impostor', join(dir, 'wrong.private.jwk.json'));
    const bad = await steward('ehr', 'check', 'impostor');
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /discovery\s+ok/);
    assert.match(bad.stdout, /token\s+FAILED\s+\d+\s+EHR_AUTH_FAILED/);
    assert.match(bad.stdout, /1 later step not tried/);
  });

  it('refuses a private key given as a client key set, naming the flag', async () => {
    const r = await steward('sandbox', '--port', '0', '--client', `x=${join(dir, 'client.private.jwk.json')}`);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--client.*public JWK/);
  });
});

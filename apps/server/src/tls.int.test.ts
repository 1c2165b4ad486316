/** With a certificate, Steward speaks HTTPS only, TLS 1.2 or newer. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeTargets } from '@steward/store/testing';
import { createLogger, InMemoryMasterKeyProvider } from '@steward/governance';
import { loadConfig } from './config/index.js';
import { startServer, type RunningServer } from './server.js';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

function get(
  url: string,
  ca: Buffer,
  tls: { maxVersion?: 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3' } = {},
): Promise<{ status: number; protocol: string; hsts: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, ...tls }, (res) => {
      res.resume();
      resolve({
        status: res.statusCode ?? 0,
        protocol: (res.socket as TLSSocket).getProtocol() ?? '',
        hsts: res.headers['strict-transport-security'],
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('TLS', { skip: hasOpenssl ? undefined : 'openssl is not installed' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-tls-'));
  let server: RunningServer;
  let ca: Buffer;

  before(async () => {
    const r = spawnSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ]);
    assert.equal(r.status, 0, r.stderr.toString());
    ca = readFileSync(join(dir, 'cert.pem'));
    const config = loadConfig({
      STEWARD_DATA_DIR: dir,
      STEWARD_PORT: '0',
      STEWARD_SANDBOX: 'off', // TLS is the server's concern: no sandbox EHR on fixed ports beside it
      STEWARD_TLS_CERT: join(dir, 'cert.pem'),
      STEWARD_TLS_KEY: join(dir, 'key.pem'),
    });
    const target = storeTargets()[0];
    if (target === undefined) throw new Error('no store');
    server = await startServer(config, createLogger({ level: 'silent' }), {
      database: await target.open(),
      masterKeys: InMemoryMasterKeyProvider.random(),
    });
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves HTTPS with TLS 1.2+ and HSTS, and refuses older protocols', async () => {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const ok = await get(`${server.url}/healthz`, ca);
    assert.equal(ok.status, 200);
    assert.match(ok.protocol, /^TLSv1\.[23]$/);
    assert.match(ok.hsts ?? '', /max-age=31536000/);
    await assert.rejects(get(`${server.url}/healthz`, ca, { maxVersion: 'TLSv1.1' }));
  });

  it('refuses a half-configured certificate, naming both settings', () => {
    assert.throws(() => loadConfig({ STEWARD_TLS_CERT: 'x.pem' }), /STEWARD_TLS_CERT and STEWARD_TLS_KEY/);
  });
});

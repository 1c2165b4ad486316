/**
 * A failed `steward init` leaves nothing behind — no master key file beside no store, no store
 * sealed under a deleted key — so the next `init` starts clean; and its error is printed once.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './testing.js';

describe('steward init that fails', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-init-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const init = (dataDir: string, password: string) =>
    runCli(
      {
        PATH: process.env['PATH'],
        HOME: process.env['HOME'],
        STEWARD_DATA_DIR: dataDir,
        STEWARD_ADMIN_PASSWORD: password,
        STEWARD_LOG_LEVEL: 'error',
      },
      ['init', '--admin-user', 'alice'],
    );

  it('leaves no key file when the store is in use, and says so once', async () => {
    const dataDir = join(dir, 'busy');
    mkdirSync(dataDir);
    // Another live process holds the embedded store's lock.
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dataDir, 'pgdata.lock'), String(holder.pid));
      const r = await init(dataDir, 'a long administrator passphrase');
      assert.equal(r.status, 8, r.stderr);
      assert.equal(r.stderr.match(/is in use by process/g)?.length, 1, r.stderr);
      assert.equal(existsSync(join(dataDir, 'master-keys.json')), false, 'the key file was removed');
      assert.deepEqual(readdirSync(dataDir), ['pgdata.lock'], 'only what was there before');
    } finally {
      holder.kill();
    }
  });

  it('removes the data directory it created when init fails later, and the next init succeeds', async () => {
    const dataDir = join(dir, 'fresh');
    const weak = await init(dataDir, 'short');
    assert.equal(weak.status, 2, weak.stderr);
    assert.match(weak.stderr, /min_length/);
    assert.equal(existsSync(dataDir), false, 'nothing left behind');
    const ok = await init(dataDir, 'a long administrator passphrase');
    assert.equal(ok.status, 0, ok.stderr);
    assert.ok(existsSync(join(dataDir, 'master-keys.json')));
  });
});

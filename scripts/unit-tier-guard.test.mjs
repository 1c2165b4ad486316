// The unit tier's guard fails a process that opens a socket or an embedded store, even when the
// code under test catches the refusal, and lets a process that opens neither pass.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const guard = new URL('./unit-tier-guard.mjs', import.meta.url).href;
const root = fileURLToPath(new URL('..', import.meta.url));

function run(code) {
  const r = spawnSync(process.execPath, ['--import', guard, '--input-type=module', '-e', code], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return { status: r.status, stderr: r.stderr };
}

describe('unit tier guard', () => {
  it('fails a process that listens, even if it catches the refusal', () => {
    const r = run(`import net from 'node:net'; try { net.createServer().listen(0); } catch {}`);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /opened a listening socket; rename it \*\.int\.test\.ts/);
  });

  it('refuses an outgoing connection and a UDP socket', () => {
    const tcp = run(`import net from 'node:net'; net.connect(5432, '127.0.0.1');`);
    assert.notEqual(tcp.status, 0);
    assert.match(tcp.stderr, /opened a network connection/);
    const udp = run(`import dgram from 'node:dgram'; dgram.createSocket('udp4').bind(0);`);
    assert.notEqual(udp.status, 0);
    assert.match(udp.stderr, /bound a UDP socket/);
  });

  it('refuses an embedded PGlite store', () => {
    const r = run(`import { PGlite } from '@electric-sql/pglite'; await PGlite.create('memory://').catch(() => {});`);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /opened an embedded PGlite store/);
  });

  it('lets a process that opens neither pass', () => {
    const r = run(`import { createHash } from 'node:crypto'; createHash('sha256').update('x').digest();`);
    assert.equal(r.status, 0, r.stderr);
  });
});

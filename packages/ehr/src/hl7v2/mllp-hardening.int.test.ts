import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { MemoryInboundJournal } from '../inbound/index.js';
import { MllpListener, type MllpListenerConfig } from './mllp-listener.js';
import { frameMllp, MllpDecoder } from './mllp.js';
import { hl7Fixture, segmentsOf, withField } from './test-fixtures.js';

/** Test-only self-signed P-256 certificate for 127.0.0.1/localhost (guards nothing; never used outside tests). */
const testKey = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgcFu2Z/37TRd3DdL7
pa5sLa0/qXk/xPzCmZR8OsmwzSqhRANCAATonoZ/VBFMmaCfywQtoZcWFbp1wwQe
Nz2IJRrcFkR2C3CndgR4zYGTOYT5ZSPg5IKpHDWlkJD7FuA8fLa5NLqs
-----END PRIVATE KEY-----
`;
const testCert = `-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIUX4HRWJosGulSEZrXfHOqob6gHfgwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTIwNjEwMjIzNVoYDzIxMjYxMTEy
MTAyMjM1WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAATonoZ/VBFMmaCfywQtoZcWFbp1wwQeNz2IJRrcFkR2C3CndgR4zYGT
OYT5ZSPg5IKpHDWlkJD7FuA8fLa5NLqso28wbTAdBgNVHQ4EFgQUdSZaU++hKCua
NNYrxsMpo0YYfGswHwYDVR0jBBgwFoAUdSZaU++hKCuaNNYrxsMpo0YYfGswDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCgYIKoZI
zj0EAwIDSAAwRQIgaqM1mAGhD1DeCVKpUSQ/AAZJ/NWinzUcdXDNs+YSbgMCIQC1
UqiNt83wZ8YEHCTF13XAr9NEPF4gDVR2rcr8Ke96KA==
-----END CERTIFICATE-----
`;

const siu = segmentsOf(hl7Fixture('fhir-converter/SIU-S12-01.hl7')).join('\r');

function config(overrides: Partial<MllpListenerConfig> = {}): MllpListenerConfig {
  return {
    connectionId: 'feed-h',
    facilityTimeZone: 'America/New_York',
    journal: new MemoryInboundJournal(),
    host: '127.0.0.1',
    port: 0,
    maxMessageBytes: 4096,
    ...overrides,
  };
}

async function open(overrides: Partial<MllpListenerConfig> = {}) {
  const listener = new MllpListener(config(overrides));
  const { port } = await listener.start();
  return { listener, port };
}

function plain(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.on('error', reject);
  });
}

/** Resolves when the peer closes the socket (or after `ms`, with false). */
function closedWithin(socket: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve(true);
    const t = setTimeout(() => resolve(false), ms);
    socket.once('close', () => {
      clearTimeout(t);
      resolve(true);
    });
    socket.on('error', () => undefined);
    socket.resume();
  });
}

const until = async (check: () => boolean, ms = 2000): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('MLLP listener hardening', () => {
  it('closes connections from a source address not on the allow-list, before reading a byte', async () => {
    const { listener, port } = await open({ allowedSources: ['10.20.0.0/16', '::1'] });
    after(() => listener.close());
    const s = await plain(port);
    s.write(frameMllp(withField(siu, 'MSH', 10, 'NOPE-1')));
    assert.equal(await closedWithin(s, 2000), true);
    assert.equal(listener.stats().refusedConnections, 1);
    const ok = await open({ allowedSources: ['127.0.0.0/8'] });
    after(() => ok.listener.close());
    const s2 = await plain(ok.port);
    assert.equal(await closedWithin(s2, 150), false, 'an allowed source stays connected');
    s2.destroy();
  });

  it('refuses a binding on every interface without an allow-list, and a bad address in it', () => {
    assert.throws(() => new MllpListener(config({ host: '0.0.0.0' })), /allow-list/);
    assert.throws(() => new MllpListener(config({ host: '::' })), { code: 'CONFIG_INVALID' });
    assert.throws(() => new MllpListener(config({ allowedSources: ['10.0.0.0/40'] })), { code: 'CONFIG_INVALID' });
    assert.ok(new MllpListener(config({ host: '0.0.0.0', allowedSources: ['10.0.0.5'] })));
  });

  it('caps concurrent connections', async () => {
    const { listener, port } = await open({ maxConnections: 2 });
    after(() => listener.close());
    const a = await plain(port);
    const b = await plain(port);
    await until(() => listener.stats().connections === 2);
    const c = await plain(port);
    assert.equal(await closedWithin(c, 2000), true);
    assert.equal(listener.stats().connections, 2);
    assert.equal(listener.stats().refusedConnections, 1);
    a.destroy();
    b.destroy();
  });

  it('drops an abandoned partial frame after a short timeout, closes, and releases its buffer', async () => {
    const { listener, port } = await open({ partialFrameTimeoutMs: 100 });
    after(() => listener.close());
    const s = await plain(port);
    s.write(frameMllp(withField(siu, 'MSH', 10, 'HALF-1')).subarray(0, 500));
    await until(() => listener.stats().bufferedBytes > 0);
    assert.equal(await closedWithin(s, 2000), true);
    await until(() => listener.stats().connections === 0);
    assert.equal(listener.stats().bufferedBytes, 0);
  });

  it('releases a partial frame when the sender closes the connection', async () => {
    const { listener, port } = await open();
    after(() => listener.close());
    const s = await plain(port);
    s.write(frameMllp(withField(siu, 'MSH', 10, 'HALF-2')).subarray(0, 700));
    await until(() => listener.stats().bufferedBytes === 699);
    s.destroy();
    await until(() => listener.stats().connections === 0);
    assert.equal(listener.stats().bufferedBytes, 0);
  });

  it('holds at most maxBufferedBytes per connection: a slow store pauses the sender', async () => {
    let open_ = (): void => undefined;
    const gate = new Promise<void>((r) => (open_ = r));
    const journal = new MemoryInboundJournal();
    const slow = Object.assign(Object.create(journal) as MemoryInboundJournal, {
      receive: async (...args: Parameters<MemoryInboundJournal['receive']>) => {
        await gate;
        return journal.receive(...args);
      },
    });
    const { listener, port } = await open({ journal: slow, maxMessageBytes: 4096, maxBufferedBytes: 16_384 });
    after(() => listener.close());
    const s = await plain(port);
    const frames = Array.from({ length: 200 }, (_, i) => frameMllp(withField(siu, 'MSH', 10, `BP-${i}`)));
    s.write(Buffer.concat(frames));
    let peak = 0;
    const end = Date.now() + 400;
    while (Date.now() < end) {
      peak = Math.max(peak, listener.stats().bufferedBytes);
      await new Promise((r) => setTimeout(r, 5));
    }
    // One socket read (up to 64 KiB) may land before the pause; never the 200 frames (~300 KB).
    assert.ok(peak > 0 && peak <= 16_384 + 65_536, `peak ${peak}`);
    open_();
    const acks = new MllpDecoder(1 << 20);
    let n = 0;
    s.on('data', (c: Buffer) => (n += acks.push(c).length));
    await until(() => n === 200, 10_000);
    s.destroy();
  });

  it('speaks MLLP over TLS, and only over TLS when configured', async () => {
    const { listener, port } = await open({ tls: { key: testKey, cert: testCert } });
    after(() => listener.close());
    const ack = await new Promise<string>((resolve, reject) => {
      const s = tlsConnect({ host: '127.0.0.1', port, ca: testCert, servername: 'localhost' }, () =>
        s.write(frameMllp(withField(siu, 'MSH', 10, 'TLS-1'))),
      );
      const d = new MllpDecoder(1 << 16);
      s.on('data', (c: Buffer) => {
        const r = d.push(c)[0];
        if (r?.kind === 'frame') {
          resolve(r.payload.toString('utf8'));
          s.destroy();
        }
      });
      s.on('error', reject);
    });
    assert.match(ack, /\rMSA\|AA\|TLS-1/);
    // A plain-text sender gets no ACK: the bytes are not a TLS handshake.
    const s = await plain(port);
    let got = 0;
    s.on('data', () => got++);
    s.write(frameMllp(withField(siu, 'MSH', 10, 'PLAIN-1')));
    assert.equal(await closedWithin(s, 2000), true);
    assert.equal(got, 0);
  });
});

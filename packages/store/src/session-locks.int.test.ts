/**
 * Ownership locks on PostgreSQL (session-locks.ts): one holder at a time, a standby takes over as
 * soon as the holder's session dies, and a holder whose session is lost is told at once.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { lockKey, PgSessionLocks, type SessionLocks } from './session-locks.js';
import { storeTargets, type TestDatabase } from './testing.js';

const postgres = storeTargets().find((t) => t.name === 'postgres');

describe('session locks on PostgreSQL', { skip: postgres?.skip }, () => {
  let db: TestDatabase;
  const opened: SessionLocks[] = [];
  const locks = (heartbeatMs = 100): SessionLocks => {
    const l = db.sessionLocks?.({ heartbeatMs });
    if (l === undefined) throw new Error('PostgreSQL has session locks');
    opened.push(l);
    return l;
  };
  before(async () => {
    db = await (postgres as NonNullable<typeof postgres>).open();
  });
  after(async () => {
    for (const l of opened) await l.close();
    await db?.close();
  });

  it('lock names map to distinct 64-bit keys', () => {
    assert.notEqual(lockKey('ehr-connection:a'), lockKey('ehr-connection:b'));
    assert.match(lockKey('x'), /^-?\d+$/);
  });

  it('two sessions never hold one name; the other takes it once it is given back', async () => {
    const a = locks();
    const b = locks();
    const tries = await Promise.all([a.tryAcquire('one'), b.tryAcquire('one'), a.tryAcquire('one')]);
    assert.equal(tries.filter((x) => x).length >= 1, true);
    assert.equal([a.held().has('one'), b.held().has('one')].filter((x) => x).length, 1, 'exactly one holder');
    const [holder, other] = a.held().has('one') ? [a, b] : [b, a];
    assert.equal(await other.tryAcquire('one'), false);
    assert.equal(await other.tryAcquire('two'), true, 'another name is free');
    await holder.release('one');
    assert.equal(await other.tryAcquire('one'), true);
    assert.equal(await holder.tryAcquire('one'), false);
  });

  it("a standby takes over the moment the holder's session ends, and the holder is told it lost", async () => {
    const holder = locks();
    const standby = locks();
    assert.equal(await holder.tryAcquire('feed'), true);
    const lost = new Promise<{ names: readonly string[]; code: string }>((resolve) => holder.onLost(resolve));
    assert.equal(await standby.tryAcquire('feed'), false);
    // The holder's process dies, as far as the server knows: its backend is terminated.
    await db.query('select pg_terminate_backend($1)', [holder.pid]);
    const started = Date.now();
    while (!(await standby.tryAcquire('feed'))) {
      assert.ok(Date.now() - started < 5_000, 'taken over within 5 s');
      await sleep(20);
    }
    const told = await lost;
    assert.deepEqual(told.names, ['feed']);
    assert.equal(holder.held().size, 0, 'the holder holds nothing after the loss');
    // Competing again opens a new session, which finds the lock taken.
    assert.equal(await holder.tryAcquire('feed'), false);
  });

  it('a holder whose session stops answering (a network cut) gives everything up within its heartbeat', async () => {
    // The holder reaches PostgreSQL through a proxy the test can cut silently (no FIN, no RST).
    const server = new URL(db.url ?? '');
    let cut = false;
    const sockets = new Set<Socket>();
    const proxy = createServer((inbound) => {
      const outbound = connect(Number(server.port || 5432), server.hostname);
      for (const s of [inbound, outbound]) {
        sockets.add(s);
        s.on('error', () => undefined);
      }
      inbound.on('data', (d) => (cut ? undefined : outbound.write(d)));
      outbound.on('data', (d) => (cut ? undefined : inbound.write(d)));
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const url = new URL(db.url ?? '');
    url.hostname = '127.0.0.1';
    url.port = String((proxy.address() as AddressInfo).port);
    const holder = new PgSessionLocks({ connectionString: url.toString() }, { heartbeatMs: 150 });
    opened.push(holder);
    try {
      assert.equal(await holder.tryAcquire('cut'), true);
      const lost = new Promise<{ names: readonly string[]; code: string }>((resolve) => holder.onLost(resolve));
      cut = true;
      const since = Date.now();
      const told = await lost;
      assert.deepEqual(told.names, ['cut']);
      assert.equal(told.code, 'TIMEOUT');
      assert.ok(Date.now() - since < 1_000, `told in ${Date.now() - since} ms`);
      assert.equal(holder.held().size, 0);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});

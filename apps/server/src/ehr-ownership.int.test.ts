/**
 * EHR connection ownership across processes (issue 20), two EHR runtimes on one PostgreSQL as two
 * nodes would run them: one owns the HL7 connection and binds its MLLP port, the other stands by
 * (and still accepts the connection's notifications); when the owner's lock session is lost the
 * owner closes its listener at once and the standby binds the same port; never both.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EhrConnection, EhrRuntime } from '@steward/ehr';
import { storeTargets } from '@steward/store/testing';
import { openTestApp, principalWith, type TestApp } from './testing.js';

const postgres = storeTargets().find((t) => t.name === 'postgres');
const PORT = Number(process.env['STEWARD_TEST_OWNERSHIP_MLLP_PORT'] ?? 55605);

/** Whether something accepts TCP connections on the port now. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

describe('EHR connection ownership on PostgreSQL', { skip: postgres?.skip }, () => {
  let t: TestApp;
  let connection: EhrConnection;
  let a: EhrRuntime;
  let b: EhrRuntime;

  before(async () => {
    t = await openTestApp(await (postgres as NonNullable<typeof postgres>).open(), { intakeReading: false });
    const admin = await principalWith(t.kernel, 'owner-admin', { role: 'admin' });
    connection = await t.kernel.connections.add(
      { actor: { kind: 'user', id: admin.id, name: 'owner-admin', authMethod: 'api-token' } },
      { name: 'north-feed', site: 'north', vendor: 'generic-r4', facilityTimeZone: 'America/New_York', mllpPort: PORT },
    );
    a = t.kernel.ehrRuntime(t.logger, { standbyMs: 100, node: 'node-a:1' });
    b = t.kernel.ehrRuntime(t.logger, { standbyMs: 100, node: 'node-b:2' });
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await t?.close();
  });

  it('one owner binds the port; the other stands by and still takes notifications', async () => {
    await a.start({ publicUrl: 'http://127.0.0.1:1' });
    await b.start({ publicUrl: 'http://127.0.0.1:1' });
    assert.deepEqual(
      a.status().map((s) => [s.name, s.mllp?.port, s.owner?.node]),
      [['north-feed', PORT, 'node-a:1']],
    );
    assert.deepEqual(b.status(), [], 'the standby runs nothing');
    assert.deepEqual(
      b.ownership().map((o) => [o.name, o.ownership.role]),
      [['north-feed', 'standby']],
    );
    assert.throws(() => b.get('north-feed'), { code: 'NOT_FOUND' });
    // The notification route files on any EHR node: the standby checks the connection's secret too.
    const secret = `Bearer ${t.cipher.blindIndex('ehr.notification-secret', connection.id).toString('base64url')}`;
    assert.equal(b.authenticates(connection.id, secret), true);
    assert.equal(b.authenticates(connection.id, 'Bearer wrong'), false);
    assert.equal(await listening(PORT), true);
    // Several rounds of the standby's retries later, still one owner.
    await sleep(350);
    assert.equal(b.status().length, 0);
    const owners = await t.kernel.connections.owners();
    assert.deepEqual([owners.get(connection.id)?.node, owners.get(connection.id)?.live], ['node-a:1', true]);
  });

  it("the owner's lost lock session stops its listener at once; the standby takes the port over", async () => {
    const pid = await t.db.query<{ pid: number }>(
      'select session_pid as pid from ehr_connection_owners where connection_id = $1',
      [connection.id],
    );
    assert.ok(pid.rows[0] !== undefined);
    const cut = Date.now();
    // The server ends A's lock session, as when A's link to PostgreSQL fails.
    await t.db.query('select pg_terminate_backend($1)', [pid.rows[0]?.pid]);
    while (a.status().length > 0) {
      assert.ok(Date.now() - cut < 3_000, 'A stopped within 3 s');
      await sleep(10);
    }
    while (b.status().length === 0) {
      assert.ok(Date.now() - cut < 5_000, 'B took over within 5 s');
      await sleep(10);
    }
    assert.deepEqual(
      b.status().map((s) => [s.mllp?.port, s.owner?.node]),
      [[PORT, 'node-b:2']],
    );
    assert.equal(await listening(PORT), true);
    // A competes again (after 5 standby intervals) and finds it owned: it stays standby.
    await sleep(700);
    assert.deepEqual(a.status(), []);
    assert.deepEqual(
      a.ownership().map((o) => o.ownership.role),
      ['standby'],
    );
    const owners = await t.kernel.connections.owners();
    assert.deepEqual([owners.get(connection.id)?.node, owners.get(connection.id)?.live], ['node-b:2', true]);
  });

  it('the owner stopping gives the connection back: the standby owns it next', async () => {
    await b.stop();
    const since = Date.now();
    while (a.status().length === 0) {
      assert.ok(Date.now() - since < 3_000, 'A took over within 3 s');
      await sleep(10);
    }
    assert.equal(a.status()[0]?.mllp?.port, PORT);
  });
});

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { storeTargets, withStore, tamper, type TestDatabase } from './testing.js';
import { PostgresDatabase } from './postgres-database.js';
import { migrate } from './migrate.js';
import { migrations } from './migrations/index.js';

for (const target of storeTargets()) {
  describe(`store on ${target.name}`, { skip: target.skip }, () => {
    // One store for these tests (each opening of the embedded store costs a second or more of
    // CPU); each test puts back what it changed, so they stay independent of their order.
    let db: TestDatabase;
    before(async () => {
      db = await target.open();
    });
    after(async () => {
      await db?.close();
    });

    it('applies every migration once and is idempotent', async () => {
      const again = await migrate(db);
      assert.deepEqual(again.applied, []);
      const { rows } = await db.query<{ version: number }>('select version from schema_migrations order by version');
      assert.deepEqual(
        rows.map((r) => r.version),
        migrations.map((m) => m.version),
      );
    });

    it('refuses to run against a schema written by a newer version', async () => {
      await db.query(`insert into schema_migrations (version, name) values (9999, 'future')`);
      try {
        await assert.rejects(migrate(db), /newer version/);
      } finally {
        await db.query('delete from schema_migrations where version = 9999');
      }
    });

    it('rolls a failed transaction back completely', async () => {
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query(`insert into settings (key, value, updated_by) values ('a', '1', 'test')`);
          throw new Error('boom');
        }),
      );
      const { rows } = await db.query('select * from settings');
      assert.equal(rows.length, 0);
    });

    it('returns int8 as numbers and bytea as bytes on both stores', async () => {
      const { rows } = await db.query<{ n: number; b: Uint8Array }>(
        `select 9007199254740991::int8 as n, '\\x00ff'::bytea as b`,
      );
      assert.equal(rows[0]?.n, 9007199254740991);
      assert.deepEqual([...(rows[0]?.b ?? [])], [0, 255]);
    });

    it('counts rows the same way on both stores', async () => {
      await db.query(`insert into settings (key, value, updated_by) values ('a', '1', 't'), ('b', '2', 't')`);
      try {
        assert.equal((await db.query('select * from settings')).rowCount, 2);
        assert.equal((await db.query(`select 1 from settings where key = 'x'`)).rowCount, 0);
        assert.equal((await db.query(`update settings set value = '3'`)).rowCount, 2);
        assert.equal((await db.query(`delete from settings where key = 'a'`)).rowCount, 1);
      } finally {
        await db.query(`delete from settings where key in ('a', 'b')`);
      }
    });

    it('refuses to update, delete or truncate audit rows, for every role', async () => {
      await db.query(`insert into audit_log (seq, at, actor_id, action, event, outcome, entry, prev_hash, hash)
        values (1, now(), 'a', 'R', 'test', 'success', '{}', '\\x00', '\\x01')`);
      await assert.rejects(db.query(`update audit_log set actor_id = 'b'`), /append-only/);
      await assert.rejects(db.query(`delete from audit_log`), /append-only/);
      await assert.rejects(db.query(`truncate audit_log`), /append-only/);
      // Only a superuser switching triggers off gets past it, and the hash chain catches that.
      await tamper(db, `update audit_log set actor_id = 'b'`);
      const { rows } = await db.query<{ actor_id: string }>('select actor_id from audit_log');
      assert.equal(rows[0]?.actor_id, 'b');
      await tamper(db, 'delete from audit_log where seq = 1');
    });
  });
}

const pgTarget = storeTargets().find((t) => t.name === 'postgres');
describe('the application role on PostgreSQL', { skip: pgTarget?.skip }, () => {
  it('may read and append audit rows, never change or delete them', async () => {
    if (pgTarget === undefined) return;
    await withStore(pgTarget, async (db) => {
      const login = `steward_app_t_${randomBytes(4).toString('hex')}`;
      await db.exec(`create role ${login} login password 'app-test' in role steward_app`);
      const url = new URL(db.url ?? '');
      url.username = login;
      url.password = 'app-test';
      const app = await PostgresDatabase.open({ url: url.toString() });
      try {
        await app.query(`insert into audit_log (seq, at, actor_id, action, event, outcome, entry, prev_hash, hash)
          values (1, now(), 'a', 'R', 'test', 'success', '{}', '\\x00', '\\x01')`);
        assert.equal((await app.query('select * from audit_log')).rowCount, 1);
        // Refused by privilege (not only by the trigger): the role lacks UPDATE, DELETE, TRUNCATE.
        await assert.rejects(app.query(`update audit_log set actor_id = 'b'`), /permission denied/);
        await assert.rejects(app.query('delete from audit_log'), /permission denied/);
        await assert.rejects(app.query('truncate audit_log'), /permission denied/);
        await assert.rejects(app.query('alter table audit_log disable trigger all'), /must be owner/);
        await assert.rejects(app.query('delete from audit_checkpoints'), /permission denied/);
        // It can work with everything else.
        await app.query(`insert into settings (key, value, updated_by) values ('k', '1', 'app')`);
        await app.query(`update settings set value = '2' where key = 'k'`);
      } finally {
        await app.close();
        await db.exec(`drop owned by ${login}; drop role ${login}`);
      }
    });
  });
});

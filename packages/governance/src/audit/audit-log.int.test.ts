import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { OperationalError } from '@steward/core';
import type { Database, Sql } from '@steward/store';
import { storeTargets, tamper, type TestDatabase } from '@steward/store/testing';
import { AuditLog, type UnitBatch } from './audit-log.js';
import { verifyAuditLog } from './verify.js';
import { queryAudit } from './query.js';
import { KeyRing } from '../crypto/key-ring.js';
import { sampleEntry, PATIENTS } from './test-fixtures.js';

const cipher = KeyRing.inMemory();

async function wipe(db: Database): Promise<void> {
  await tamper(db, 'delete from audit_checkpoints');
  await tamper(db, 'delete from audit_log');
  await tamper(db, 'delete from records');
}

async function insertRecord(tx: Sql, id: string): Promise<{ id: string }> {
  await tx.query(
    `insert into records (id, kind, site, patient_id, version, data_enc, created_at, updated_at)
     values ($1, 'note', 'main', $2, 1, $3, now(), now())`,
    [id, PATIENTS[0], Buffer.from('sealed')],
  );
  return { id };
}

const created = (r: { id: string }) => [
  sampleEntry(0, { event: 'phi.create', action: 'C', entity: { kind: 'note', id: r.id, version: 1 } }),
];

/** A unit batch that inserts all its records with one statement, and logs each call's item count. */
function recordBatch(calls: number[]): UnitBatch<string, { id: string }> {
  return {
    async writeAll(tx, ids) {
      calls.push(ids.length);
      await tx.query(
        `insert into records (id, kind, site, patient_id, version, data_enc, created_at, updated_at)
         select id::uuid, 'note', 'main', $2, 1, $3, now(), now() from unnest($1::text[]) as t(id)`,
        [ids, PATIENTS[0], Buffer.from('sealed')],
      );
      return ids.map((id) => ({ id }));
    },
  };
}

function isAuditUnavailable(e: unknown): boolean {
  return e instanceof OperationalError && e.code === 'AUDIT_UNAVAILABLE';
}

for (const target of storeTargets()) {
  describe(`AuditLog on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    before(async () => {
      db = await target.open();
    });
    after(async () => {
      await db?.close();
    });

    it('appends concurrent entries with contiguous seqs, commits them, and the chain verifies', async () => {
      await wipe(db);
      const log = await AuditLog.open(db, cipher);
      const results = await Promise.all(Array.from({ length: 250 }, (_, i) => log.append(sampleEntry(i))));
      assert.deepEqual(
        results.map((r) => r.seq).sort((a, b) => a - b),
        Array.from({ length: 250 }, (_, i) => i + 1),
      );
      await log.close();
      const v = await verifyAuditLog(db);
      assert.equal(v.ok, true, JSON.stringify(v));
      assert.equal(v.ok && v.headSeq, 250);
      assert.equal(v.ok && v.unsealedEntries, 0);
      await assert.rejects(log.append(sampleEntry(1)), isAuditUnavailable);
    });

    it('stores query parameters sealed, and reads them back', async () => {
      await wipe(db);
      const log = await AuditLog.open(db, cipher);
      const { seq } = await log.append(
        sampleEntry(1, { event: 'phi.search', query: { name: 'Doe^Jane', birthdate: '1970-01-01' } }),
      );
      await log.close();
      const { rows } = await db.query<{ entry: string }>('select entry from audit_log where seq = $1', [seq]);
      assert.ok(!rows[0]?.entry.includes('Doe^Jane'));
      const page = await queryAudit(db, cipher, { after: seq - 1, limit: 1 });
      assert.deepEqual(page.entries[0]?.query, { name: 'Doe^Jane', birthdate: '1970-01-01' });
    });

    it('commits each transact unit with its entries, and rolls back only the unit that fails', async () => {
      await wipe(db);
      const log = await AuditLog.open(db, cipher);
      const ids = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
      const outcomes = await Promise.allSettled([
        log.transact((tx) => insertRecord(tx, ids[0] as string), created),
        log.transact(async (tx) => {
          await insertRecord(tx, ids[1] as string);
          throw new Error('write failed after its insert');
        }, created),
        log.transact(
          (tx) => insertRecord(tx, ids[2] as string),
          () => {
            throw new Error('entries failed');
          },
        ),
        log.transact(async (tx) => {
          // A statement error leaves the transaction aborted: the savepoint must recover it.
          await tx.query('select 1/0');
          return { id: 'never' };
        }, created),
        log.transact((tx) => insertRecord(tx, ids[3] as string), created),
        log.transact(
          (tx) => insertRecord(tx, randomUUID()),
          () => [],
        ),
      ]);
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['fulfilled', 'rejected', 'rejected', 'rejected', 'fulfilled', 'rejected'],
      );
      await log.close();
      const rows = (await db.query<{ id: string }>('select id from records order by id')).rows.map((r) => r.id);
      assert.deepEqual(rows, [ids[0], ids[3]].sort());
      const audited = (await queryAudit(db, cipher, { events: ['phi.create'] })).entries.map((e) => e.entity?.id);
      assert.deepEqual(audited.sort(), [ids[0], ids[3]].sort());
      const v = await verifyAuditLog(db);
      assert.equal(v.ok, true, JSON.stringify(v));
      assert.equal(v.ok && v.headSeq, 2);
    });

    it('writes concurrent batched units with one writeAll call, each with its entries, and the chain verifies', async () => {
      await wipe(db);
      const log = await AuditLog.open(db, cipher);
      const calls: number[] = [];
      const batch = recordBatch(calls);
      const ids = Array.from({ length: 20 }, () => randomUUID());
      const results = await Promise.all([
        ...ids.map((id) => log.transactBatch(batch, id, created)),
        log.append(sampleEntry(1)),
        log.transact((tx) => insertRecord(tx, randomUUID()), created),
      ]);
      assert.deepEqual(
        results.slice(0, ids.length).map((r) => (r as { id: string }).id),
        ids,
      );
      assert.deepEqual(calls, [ids.length], 'one writeAll for the whole batch');
      await log.close();
      const audited = (await queryAudit(db, cipher, { events: ['phi.create'] })).entries.map((e) => e.entity?.id);
      for (const id of ids) assert.ok(audited.includes(id), 'every unit has its entry');
      assert.equal((await db.query('select id from records')).rows.length, ids.length + 1);
      const v = await verifyAuditLog(db);
      assert.equal(v.ok, true, JSON.stringify(v));
      assert.equal(v.ok && v.headSeq, ids.length + 2);
    });

    it('retries a failing batch unit by unit: only the failing units are rejected, the others commit', async () => {
      await wipe(db);
      const log = await AuditLog.open(db, cipher);
      const calls: number[] = [];
      const batch = recordBatch(calls);
      const good = [randomUUID(), randomUUID(), randomUUID()];
      const outcomes = await Promise.allSettled([
        log.transactBatch(batch, good[0] as string, created),
        // Not a uuid: the cast fails in the database and aborts the batch's statement.
        log.transactBatch(batch, 'not-a-uuid', created),
        log.transactBatch(batch, good[1] as string, created),
        log.transactBatch(batch, randomUUID(), () => {
          throw new Error('entries failed');
        }),
        log.transactBatch(batch, good[2] as string, created),
        log.append(sampleEntry(1)),
      ]);
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
      );
      const failed = outcomes[3];
      assert.ok(failed?.status === 'rejected' && /entries failed/.test(String(failed.reason)));
      // One try for all five units, then each alone.
      assert.deepEqual(calls, [5, 1, 1, 1, 1, 1]);
      await log.close();
      const rows = (await db.query<{ id: string }>('select id from records order by id')).rows.map((r) => r.id);
      assert.deepEqual(rows, [...good].sort());
      const audited = (await queryAudit(db, cipher, { events: ['phi.create'] })).entries.map((e) => e.entity?.id);
      assert.deepEqual(audited.sort(), [...good].sort());
      const v = await verifyAuditLog(db);
      assert.equal(v.ok, true, JSON.stringify(v));
      assert.equal(v.ok && v.headSeq, 4);
    });

    it('fails closed: when the audit insert is refused, the PHI write is rolled back and callers get AUDIT_UNAVAILABLE', async () => {
      await wipe(db);
      let refuse = false;
      const refusing: Database = {
        kind: db.kind,
        query: (t, p) => db.query(t, p),
        exec: (t) => db.exec(t),
        close: () => Promise.resolve(),
        transaction: (fn) =>
          db.transaction((tx) =>
            fn({
              query: (t, p) =>
                refuse && t.includes('insert into audit_log') ? Promise.reject(new Error('disk full')) : tx.query(t, p),
              exec: (t) => tx.exec(t),
            }),
          ),
      };
      const log = await AuditLog.open(refusing, cipher);
      await log.append(sampleEntry(0));
      refuse = true;
      const id = randomUUID();
      const results = await Promise.allSettled([
        log.transact((tx) => insertRecord(tx, id), created),
        log.append(sampleEntry(1)),
      ]);
      for (const r of results) assert.ok(r.status === 'rejected' && isAuditUnavailable(r.reason));
      assert.equal((await db.query('select id from records where id = $1', [id])).rows.length, 0);
      refuse = false;
      await log.append(sampleEntry(2));
      await log.close();
      const v = await verifyAuditLog(db);
      assert.equal(v.ok && v.headSeq, 2);
    });

    it('writes a checkpoint at least every `checkpointEvery` entries', async () => {
      await wipe(db);
      const log = await AuditLog.open(db, cipher, { checkpointEvery: 10, maxBatch: 1_000 });
      await Promise.all(Array.from({ length: 35 }, (_, i) => log.append(sampleEntry(i))));
      const seqs = (await db.query<{ seq: number }>('select seq from audit_checkpoints order by seq')).rows.map(
        (r) => r.seq,
      );
      for (const s of [10, 20, 30]) assert.ok(seqs.includes(s), `checkpoint at ${s} in ${seqs.join(',')}`);
      await log.close();
      const v = await verifyAuditLog(db, { maxCheckpointGap: 10 });
      assert.equal(v.ok, true, JSON.stringify(v));
    });

    it('writes a checkpoint within the interval when entries stop arriving', async () => {
      await wipe(db);
      const log = await AuditLog.open(db, cipher, { checkpointIntervalMs: 100 });
      await log.append(sampleEntry(0)); // the first batch checkpoints at once (no checkpoint yet)
      await Promise.all([log.append(sampleEntry(1)), log.append(sampleEntry(2))]);
      // Waits for the checkpoint itself (no more entries, no close), not for a guess at how late a
      // timer fires on a loaded machine.
      const deadline = Date.now() + 10_000;
      let head: number | undefined;
      do {
        await new Promise((r) => setTimeout(r, 20));
        head = (await db.query<{ seq: number }>('select max(seq) as seq from audit_checkpoints')).rows[0]?.seq;
      } while (head !== 3 && Date.now() < deadline);
      assert.equal(head, 3);
      await log.close();
    });

    it('keeps one chain when two writers (two processes) share the database', async () => {
      await wipe(db);
      const a = await AuditLog.open(db, cipher);
      const b = await AuditLog.open(db, cipher);
      assert.equal(a.signingKey.id, b.signingKey.id);
      await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? a : b).append(sampleEntry(i))));
      await Promise.all([a.close(), b.close()]);
      const v = await verifyAuditLog(db);
      assert.equal(v.ok && v.headSeq, 100, JSON.stringify(v));
    });

    it('pipelines one-trip batches: callers hear in chain order, after their batch committed, and the chain verifies', async () => {
      await wipe(db);
      // The store with a count of the one-trip statements in flight at once.
      let inFlight = 0;
      let mostInFlight = 0;
      const counted = async <T>(run: () => Promise<T>): Promise<T> => {
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        try {
          return await run();
        } finally {
          inFlight--;
        }
      };
      const store: Database = {
        kind: db.kind,
        query: (text, params) =>
          /audit_append_checked/.test(text) ? counted(() => db.query(text, params)) : db.query(text, params),
        exec: (text) => db.exec(text),
        transaction: (fn) => db.transaction(fn),
        close: () => Promise.resolve(),
      };
      const log = await AuditLog.open(store, cipher, { oneTrip: true, pipeline: true });
      await log.append(sampleEntry(0)); // the first batch reads the head the general way
      const heard: number[] = [];
      const committedWhenHeard: boolean[] = [];
      const pending: Promise<unknown>[] = [];
      // Waves of appends a macrotask apart: each wave is its own batch, sent while the one before commits.
      for (let wave = 0; wave < 30; wave++) {
        for (let i = 0; i < 5; i++)
          pending.push(
            log.append(sampleEntry(i)).then(async ({ seq }) => {
              heard.push(seq);
              const { rows } = await db.query<{ n: number }>(
                'select count(*)::int as n from audit_log where seq = $1',
                [seq],
              );
              committedWhenHeard.push(rows[0]?.n === 1);
            }),
          );
        await new Promise((r) => setImmediate(r));
      }
      await Promise.all(pending);
      assert.deepEqual(
        heard,
        [...heard].sort((a, b) => a - b),
        'callers hear in seq order',
      );
      assert.deepEqual(
        heard,
        Array.from({ length: 150 }, (_, i) => i + 2),
      );
      assert.ok(committedWhenHeard.every(Boolean));
      assert.ok(log.stats.oneTrip >= 2, JSON.stringify(log.stats));
      // PGlite runs a statement faster than the next wave arrives (and has one connection anyway).
      if (db.kind === 'postgres')
        assert.equal(mostInFlight, 2, 'a batch was sent while the one before it was in flight');
      await log.close();
      const v = await verifyAuditLog(db);
      assert.equal(v.ok && v.headSeq, 151, JSON.stringify(v));
    });

    it('keeps one chain when two pipelining writers share the database (moved heads go the general way)', async () => {
      await wipe(db);
      const a = await AuditLog.open(db, cipher, { oneTrip: true, pipeline: true });
      const b = await AuditLog.open(db, cipher, { oneTrip: true, pipeline: true });
      const pending: Promise<unknown>[] = [];
      for (let wave = 0; wave < 20; wave++) {
        for (let i = 0; i < 6; i++) pending.push((i % 2 === 0 ? a : b).append(sampleEntry(i)));
        await new Promise((r) => setImmediate(r));
      }
      const seqs = (await Promise.all(pending)).map((r) => (r as { seq: number }).seq).sort((x, y) => x - y);
      assert.deepEqual(
        seqs,
        Array.from({ length: 120 }, (_, i) => i + 1),
      );
      await Promise.all([a.close(), b.close()]);
      const v = await verifyAuditLog(db);
      assert.equal(v.ok && v.headSeq, 120, JSON.stringify(v));
    });

    it('refuses malformed entries without writing them', async () => {
      await wipe(db);
      const log = await AuditLog.open(db, cipher);
      await assert.rejects(log.append({ ...sampleEntry(0), event: 'nope' as 'phi.read' }), /invalid audit entry/);
      await log.close();
      assert.equal((await db.query('select seq from audit_log')).rows.length, 0);
    });
  });

  describe(`AuditLog when the database is gone, on ${target.name}`, { skip: target.skip }, () => {
    it('rejects appends with AUDIT_UNAVAILABLE', async () => {
      // Not withStore: closing is the point here, and a store closes once.
      const db = await target.open();
      const log = await AuditLog.open(db, cipher);
      await log.append(sampleEntry(0));
      await db.close();
      await assert.rejects(log.append(sampleEntry(1)), isAuditUnavailable);
      await assert.rejects(
        log.transact((tx) => insertRecord(tx, randomUUID()), created),
        isAuditUnavailable,
      );
    });
  });
}

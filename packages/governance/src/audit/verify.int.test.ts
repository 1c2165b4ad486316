import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Database, Sql } from '@steward/store';
import { storeTargets, tamper, type TestDatabase } from '@steward/store/testing';
import { AuditLog } from './audit-log.js';
import { verifyAuditLog } from './verify.js';
import { chainHash, entryText } from './audit-chain.js';
import type { VerifyResult } from './chain-verifier.js';
import { KeyRing } from '../crypto/key-ring.js';
import { sampleEntry } from './test-fixtures.js';

const cipher = KeyRing.inMemory();

/** A fresh log of `n` entries, checkpointed every 5 (so at 5, 10, 15, ...). */
async function freshLog(db: Database, n = 25): Promise<void> {
  await tamper(db, 'delete from audit_checkpoints');
  await tamper(db, 'delete from audit_log');
  const log = await AuditLog.open(db, cipher, { checkpointEvery: 5, checkpointIntervalMs: 1_000 });
  for (let i = 0; i < n; i += 5) {
    await Promise.all(Array.from({ length: 5 }, (_, j) => log.append(sampleEntry(i + j))));
  }
  await log.close();
}

function expectFailure(r: VerifyResult, firstBadSeq: number, problem: string): void {
  assert.equal(r.ok, false, 'verify should fail');
  if (r.ok) return;
  assert.deepEqual({ firstBadSeq: r.firstBadSeq, problem: r.problem }, { firstBadSeq, problem }, r.message);
  assert.match(r.message, new RegExp(`\\b${firstBadSeq}\\b`));
}

for (const target of storeTargets()) {
  describe(`audit tamper detection on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    before(async () => {
      db = await target.open();
    });
    after(async () => {
      await db?.close();
    });

    it('verifies an intact log, reporting progress', async () => {
      await freshLog(db);
      const progress: number[] = [];
      const r = await verifyAuditLog(db, { batchSize: 7, onProgress: (p) => progress.push(p.entries) });
      assert.equal(r.ok, true, JSON.stringify(r));
      assert.deepEqual(progress, [7, 14, 21, 25]);
      assert.equal(r.ok && r.checkpoints >= 3, true);
      assert.equal(r.ok && r.keys.length, 1);
      const pinned = await verifyAuditLog(db, { trustedKeys: r.ok ? r.keys.map((k) => k.fingerprint) : [] });
      assert.equal(pinned.ok, true);
    });

    it('detects a field altered inside an entry', async () => {
      await freshLog(db);
      await tamper(
        db,
        `update audit_log set entry = replace(entry, '"outcome":"success"', '"outcome":"denied"') where seq = 5`,
      );
      expectFailure(await verifyAuditLog(db), 5, 'altered');
    });

    it('detects an altered query column', async () => {
      await freshLog(db);
      await tamper(db, `update audit_log set actor_id = 'someone-else' where seq = 7`);
      expectFailure(await verifyAuditLog(db), 7, 'altered');
      await freshLog(db);
      await tamper(db, `update audit_log set patient_ids = '{}' where seq = 8`);
      expectFailure(await verifyAuditLog(db), 8, 'altered');
    });

    it('reads the same through a port without array row mode', async () => {
      await freshLog(db);
      // Only `query` and `exec`: pages come back as objects, turned into array rows.
      const plain = (sql: Sql): Sql => ({ query: (t, p) => sql.query(t, p), exec: (t) => sql.exec(t) });
      const intact = await db.transaction((tx) => verifyAuditLog(plain(tx), { batchSize: 10 }));
      assert.equal(intact.ok && intact.headSeq, 25, JSON.stringify(intact));
      await tamper(db, `update audit_log set event = 'phi.delete' where seq = 12`);
      expectFailure(await db.transaction((tx) => verifyAuditLog(plain(tx))), 12, 'altered');
    });

    it('detects a deleted entry', async () => {
      await freshLog(db);
      await tamper(db, 'delete from audit_log where seq = 6');
      expectFailure(await verifyAuditLog(db), 6, 'deleted');
    });

    it('detects a forged entry inserted with the rest renumbered', async () => {
      await freshLog(db);
      const prev = (await db.query<{ hash: Uint8Array; at: string }>('select hash from audit_log where seq = 3'))
        .rows[0];
      await tamper(db, 'update audit_log set seq = -seq where seq >= 4');
      await tamper(db, 'update audit_log set seq = 1 - seq where seq < 0');
      // The attacker knows the algorithm: the forgery is well chained onto entry 3.
      const entry = entryText(4, new Date().toISOString(), sampleEntry(99, { reason: 'forged' }), undefined);
      const hash = chainHash(Buffer.from(prev?.hash ?? []), entry);
      await tamper(
        db,
        `insert into audit_log (seq, at, actor_id, action, event, outcome, patient_ids, entry, prev_hash, hash)
         values (4, $1, 'user-0', 'R', 'phi.read', 'success', $2, $3, $4, $5)`,
        [
          (JSON.parse(entry) as { at: string }).at,
          sampleEntry(99).patientIds,
          entry,
          Buffer.from(prev?.hash ?? []),
          hash,
        ],
      );
      expectFailure(await verifyAuditLog(db), 4, 'inserted');
    });

    it('detects two entries swapped', async () => {
      await freshLog(db);
      await tamper(db, 'update audit_log set seq = -1 where seq = 5');
      await tamper(db, 'update audit_log set seq = 5 where seq = 6');
      await tamper(db, 'update audit_log set seq = 6 where seq = -1');
      expectFailure(await verifyAuditLog(db), 5, 'reordered');
    });

    it('detects a truncated tail that a checkpoint covered', async () => {
      await freshLog(db);
      await tamper(db, 'delete from audit_log where seq > 20');
      expectFailure(await verifyAuditLog(db), 21, 'truncated');
    });

    it('detects a truncated tail whose checkpoints were removed too, given an anchor', async () => {
      await freshLog(db);
      const before = await verifyAuditLog(db);
      assert.ok(before.ok);
      await tamper(db, 'delete from audit_log where seq > 20');
      await tamper(db, 'delete from audit_checkpoints where seq > 20');
      assert.equal((await verifyAuditLog(db)).ok, true, 'without an anchor, a clean cut is invisible');
      expectFailure(
        await verifyAuditLog(db, { anchor: { seq: before.headSeq, hash: before.headHash } }),
        21,
        'truncated',
      );
    });

    it('detects a forged checkpoint signature', async () => {
      await freshLog(db);
      await tamper(db, 'update audit_checkpoints set signature = $1 where seq = 10', [Buffer.alloc(64, 7)]);
      expectFailure(await verifyAuditLog(db), 10, 'bad-signature');
    });

    it('detects a whole chain rewritten after a checkpoint, by the checkpoint', async () => {
      await freshLog(db);
      const { rows } = await db.query<{ seq: number; entry: string; prev_hash: Uint8Array }>(
        'select seq, entry, prev_hash from audit_log where seq >= 12 order by seq',
      );
      let prev: Buffer = Buffer.from(rows[0]?.prev_hash ?? []);
      for (const r of rows) {
        const entry = r.seq === 12 ? r.entry.replace('"outcome":"success"', '"outcome":"failure"') : r.entry;
        const hash = chainHash(prev, entry);
        await tamper(db, 'update audit_log set entry = $1, prev_hash = $2, hash = $3, outcome = $4 where seq = $5', [
          entry,
          prev,
          hash,
          r.seq === 12 ? 'failure' : 'success',
          r.seq,
        ]);
        prev = hash;
      }
      expectFailure(await verifyAuditLog(db), 11, 'altered');
    });
  });
}

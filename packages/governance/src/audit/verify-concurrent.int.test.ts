import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storeTargets, withStore } from '@steward/store/testing';
import { AuditLog } from './audit-log.js';
import { verifyAuditLog } from './verify.js';
import { KeyRing } from '../crypto/key-ring.js';
import { sampleEntry } from './test-fixtures.js';

const cipher = KeyRing.inMemory();

for (const target of storeTargets()) {
  describe(`audit verify while the log is written, on ${target.name}`, { skip: target.skip }, () => {
    it('100 verifications during a write burst raise no false alarm', async () => {
      await withStore(target, async (db) => {
        // A checkpoint with every batch (every entry, every millisecond): a batch that commits
        // between reading the entries and reading the checkpoints would point past the head read.
        const log = await AuditLog.open(db, cipher, { checkpointEvery: 1, checkpointIntervalMs: 1 });
        let written = 0;
        const alarms: string[] = [];
        let overlapped = 0;
        try {
          for (let i = 0; i < 100; i++) {
            // Writes in flight during each verification (the log stays small: 3 entries a run).
            let committedAt = Infinity;
            const writes = Promise.all([0, 1, 2].map((j) => log.append(sampleEntry(written + j)))).then(() => {
              committedAt = performance.now();
            });
            written += 3;
            // Start the verification at varying points of the writer's batch.
            await new Promise((resolve) => setTimeout(resolve, i % 4));
            const r = await verifyAuditLog(db);
            if (committedAt < performance.now()) overlapped++;
            await writes;
            if (!r.ok) alarms.push(`${r.problem} at ${r.firstBadSeq}: ${r.message}`);
          }
        } finally {
          await log.close();
        }
        assert.deepEqual(alarms, []);
        // The writes really ran alongside: entries and checkpoints committed during verifications
        // (on PostgreSQL; the embedded store runs one transaction at a time, so there they wait).
        if (db.kind === 'postgres') assert.ok(overlapped > 0, 'no write committed during a verification');
        const final = await verifyAuditLog(db);
        assert.equal(final.ok, true, JSON.stringify(final));
        assert.equal(final.ok && final.headSeq, written);
      });
    });
  });
}

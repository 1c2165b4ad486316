/**
 * @module Test-only child process for crash.int.test.ts: opens the store named by argv and runs
 * a burst of concurrent audited PHI writes (plus plain audited reads) until it is killed.
 * Prints `ready` once writes are committing, so the parent kills it mid-burst.
 */
import { randomUUID } from 'node:crypto';
import { PgliteDatabase, PostgresDatabase, type Database } from '@steward/store';
import { AuditLog } from './audit-log.js';
import { keyRingWithMasterKey } from '../crypto/testing.js';
import { sampleEntry, PATIENTS } from './test-fixtures.js';

const [kind, location, keyHex] = process.argv.slice(2);
if (kind === undefined || location === undefined || keyHex === undefined) {
  throw new Error('usage: crash-child <pglite|postgres> <dir|url> <cipher key hex>');
}
const db: Database =
  kind === 'pglite' ? await PgliteDatabase.open(location) : await PostgresDatabase.open({ url: location });
const log = await AuditLog.open(db, await keyRingWithMasterKey(db, Buffer.from(keyHex, 'hex')), {
  checkpointIntervalMs: 50,
});

let committed = 0;
async function worker(w: number): Promise<void> {
  for (let i = 0; ; i++) {
    const id = randomUUID();
    await log.transact(
      async (tx) => {
        await tx.query(
          `insert into records (id, kind, site, patient_id, version, data_enc, created_at, updated_at)
           values ($1, 'note', 'main', $2, 1, $3, now(), now())`,
          [id, PATIENTS[w % 2], Buffer.from(`sealed ${w}:${i}`)],
        );
        return id;
      },
      (rid) => [sampleEntry(w, { event: 'phi.create', action: 'C', entity: { kind: 'note', id: rid, version: 1 } })],
    );
    if (i % 3 === 0) await log.append(sampleEntry(w, { entity: { kind: 'note', id, version: 1 } }));
    committed++;
    if (committed === 50) process.stdout.write('ready\n');
  }
}

await Promise.all(Array.from({ length: 16 }, (_, w) => worker(w)));

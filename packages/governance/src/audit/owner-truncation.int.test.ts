import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWithRoles, POSTGRES_SKIP_REASON, type RoleDatabases } from '@steward/store/testing';
import { AuditLog } from './audit-log.js';
import { verifyAuditLog } from './verify.js';
import { FileAuditWitness } from './file-witness.js';
import { KeyRing } from '../crypto/key-ring.js';
import { sampleEntry } from './test-fixtures.js';

const skip = (process.env['STEWARD_TEST_DATABASE_URL'] ?? '') === '' ? POSTGRES_SKIP_REASON : undefined;
const cipher = KeyRing.inMemory();

describe('the audit tail deleted by the role that owns the tables (not a superuser)', { skip }, () => {
  let dbs: RoleDatabases;
  let dir: string;
  before(async () => {
    dbs = await openWithRoles();
    dir = await mkdtemp(join(tmpdir(), 'steward-owner-'));
  });
  after(async () => {
    await dbs?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('is reported as truncation naming the missing range', async () => {
    // The server writes as steward_app, with the default witness file.
    const witness = new FileAuditWitness(join(dir, 'audit-witness.log'));
    const log = await AuditLog.open(dbs.app, cipher, { checkpointEvery: 10, witnesses: [witness] });
    for (let i = 0; i < 60; i += 10) {
      await Promise.all(Array.from({ length: 10 }, (_, j) => log.append(sampleEntry(i + j))));
    }
    await log.close();
    assert.equal((await verifyAuditLog(dbs.app, { witnesses: [witness] })).ok, true);

    // The owner switches the append-only triggers off and removes the newest entries and checkpoints.
    await dbs.owner.transaction(async (tx) => {
      await tx.query('alter table audit_log disable trigger audit_log_append_only');
      await tx.query('alter table audit_checkpoints disable trigger audit_checkpoints_append_only');
      await tx.query('delete from audit_checkpoints where seq > 40');
      await tx.query('delete from audit_log where seq > 40');
      await tx.query('alter table audit_log enable trigger audit_log_append_only');
      await tx.query('alter table audit_checkpoints enable trigger audit_checkpoints_append_only');
    });

    // What the database alone says: intact (the finding of issue 13).
    const blind = await verifyAuditLog(dbs.app);
    assert.equal(blind.ok && blind.headSeq, 40);
    // What `steward audit verify` says, with the witness: truncated, entries 41 to 60.
    for (const db of [dbs.app, dbs.owner]) {
      const r = await verifyAuditLog(db, { witnesses: [witness] });
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.problem, 'truncated');
      assert.equal(r.firstBadSeq, 41);
      assert.match(r.message, /entries 41 to 60 \(at least\) were removed/);
    }
  });
});

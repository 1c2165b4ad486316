import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStewardError } from '@steward/core';
import { storeTargets } from '@steward/store/testing';
import type { TestDatabase } from '@steward/store/testing';
import { masterKeysInUse } from './data-keys.js';
import { FileMasterKeyProvider } from './file-master-key.js';
import { KeyRing } from './key-ring.js';
import { EnvMasterKeyProvider, InMemoryMasterKeyProvider } from './master-key.js';
import type { RotationProgress } from './rotate.js';
import { rotateKeys } from './rotate.js';

async function activeCounts(db: TestDatabase): Promise<Record<string, number>> {
  const { rows } = await db.query<{ purpose: string; n: number }>(
    `select purpose, count(*)::int8 as n from data_keys where status = 'active' group by purpose`,
  );
  return Object.fromEntries(rows.map((r) => [r.purpose, r.n]));
}

for (const target of storeTargets()) {
  describe(`rotateKeys on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let dir = '';
    before(async () => {
      db = await target.open();
      dir = await mkdtemp(join(tmpdir(), 'steward-rotate-'));
    });
    after(async () => {
      await db?.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('seals new values under a new field key; old values still open, on old and new rings', async () => {
      await db.query('delete from data_keys');
      const provider = InMemoryMasterKeyProvider.random();
      const running = await KeyRing.open(db, provider);
      const oldKey = running.activeFieldKeyId;
      const before = Array.from({ length: 20 }, (_, i) => running.encrypt(`value ${i}`, `records:${i}`));
      const digest = running.blindIndex('mrn', 'A-1');

      const steps: RotationProgress[] = [];
      const report = await rotateKeys(db, provider, { onProgress: (p) => steps.push(p) });
      assert.equal(report.retiredFieldKeyId, oldKey);
      assert.notEqual(report.fieldKeyId, oldKey);
      assert.equal(report.rewrapped, 0);
      assert.ok(steps.some((s) => s.step === 'field-key' && s.done === 1));
      assert.deepEqual(await activeCounts(db), { field: 1, index: 1 });
      const { rows } = await db.query<{ status: string }>('select status from data_keys where id = $1', [oldKey]);
      assert.equal(rows[0]?.status, 'retired', 'retired, never deleted');

      const fresh = await KeyRing.open(db, provider);
      assert.equal(fresh.activeFieldKeyId, report.fieldKeyId);
      const sealedAfter = fresh.encrypt('new value', 'records:new');
      assert.equal(fresh.keyIdOf(sealedAfter), report.fieldKeyId);
      before.forEach((s, i) => assert.equal(fresh.decrypt(s, `records:${i}`).toString(), `value ${i}`));
      assert.deepEqual(fresh.blindIndex('mrn', 'A-1'), digest, 'the index key is not rotated');

      // The running ring keeps working: its cached key still seals values everyone can open...
      assert.equal(fresh.decrypt(running.encrypt('late', 'records:late'), 'records:late').toString(), 'late');
      // ...and it meets the new key with a retryable error, then refreshes.
      assert.throws(
        () => running.decrypt(sealedAfter, 'records:new'),
        (e: unknown) => isStewardError(e) && e.code === 'KEY_UNAVAILABLE' && e.message.includes(report.fieldKeyId),
      );
      assert.equal((await running.decryptWithRefresh(sealedAfter, 'records:new')).toString(), 'new value');
      assert.equal(running.activeFieldKeyId, report.fieldKeyId);
    });

    it('rewraps every data key under a new master version; the old one is needed only until then', async () => {
      await db.query('delete from data_keys');
      const provider = InMemoryMasterKeyProvider.random();
      const oldMaster = provider.activeKeyId;
      const ring = await KeyRing.open(db, provider);
      const sealed = ring.encrypt('kept', 'users.totp:u1');
      const { rows: wrappedBefore } = await db.query<{ id: string; wrapped: Uint8Array }>(
        'select id, wrapped from data_keys',
      );

      const report = await rotateKeys(db, provider, { rotateMaster: true });
      assert.equal(report.newMasterKey, true);
      assert.notEqual(report.masterKeyId, oldMaster);
      assert.equal(report.rewrapped, 2);
      assert.deepEqual(await masterKeysInUse(db), [report.masterKeyId]);
      const { rows: wrappedAfter } = await db.query<{ id: string; wrapped: Uint8Array }>(
        'select id, wrapped from data_keys',
      );
      for (const b of wrappedBefore) {
        const a = wrappedAfter.find((r) => r.id === b.id);
        assert.notDeepEqual(Buffer.from(a?.wrapped ?? []), Buffer.from(b.wrapped));
      }

      // A keyring holding only the new version now suffices.
      const active = provider.versions().filter((v) => v.id === report.masterKeyId);
      const onlyNew = new InMemoryMasterKeyProvider(active);
      const reopened = await KeyRing.open(db, onlyNew);
      assert.equal(reopened.decrypt(sealed, 'users.totp:u1').toString(), 'kept');
      // Running again rewraps nothing: rotation is safe to repeat after a failure.
      assert.equal((await rotateKeys(db, onlyNew)).rewrapped, 0);
    });

    it('rewraps from STEWARD_MASTER_KEY_PREVIOUS to STEWARD_MASTER_KEY', async () => {
      await db.query('delete from data_keys');
      const oldKey = randomBytes(32).toString('base64');
      const newKey = randomBytes(32).toString('base64');
      const ring = await KeyRing.open(db, EnvMasterKeyProvider.fromEnv({ STEWARD_MASTER_KEY: oldKey }));
      const sealed = ring.encrypt('kept', 'break_glass.reason:b1');
      const newOnly = EnvMasterKeyProvider.fromEnv({ STEWARD_MASTER_KEY: newKey });
      await assert.rejects(KeyRing.open(db, newOnly), /STEWARD_MASTER_KEY_PREVIOUS/);

      const during = EnvMasterKeyProvider.fromEnv({ STEWARD_MASTER_KEY: newKey, STEWARD_MASTER_KEY_PREVIOUS: oldKey });
      await assert.rejects(rotateKeys(db, during, { rotateMaster: true }), /cannot create a new version/);
      const report = await rotateKeys(db, during);
      assert.equal(report.rewrapped, 2);
      const after = await KeyRing.open(db, newOnly);
      assert.equal(after.decrypt(sealed, 'break_glass.reason:b1').toString(), 'kept');
    });

    it('rotates the master key kept in a file', async () => {
      await db.query('delete from data_keys');
      const path = join(dir, 'master.key');
      const provider = await FileMasterKeyProvider.open(path, { create: true });
      const ring = await KeyRing.open(db, provider);
      const sealed = ring.encrypt('kept', 'audit_signing_keys:k1');
      const report = await rotateKeys(db, provider, { rotateMaster: true });
      const reopened = await FileMasterKeyProvider.open(path);
      assert.equal(reopened.activeKeyId, report.masterKeyId);
      const after = await KeyRing.open(db, reopened);
      assert.equal(after.decrypt(sealed, 'audit_signing_keys:k1').toString(), 'kept');
    });

    it('keeps one active key per purpose when rotations and first opens race', async () => {
      await db.query('delete from data_keys');
      const provider = InMemoryMasterKeyProvider.random();
      await KeyRing.open(db, provider);
      const results = await Promise.allSettled([
        rotateKeys(db, provider),
        KeyRing.open(db, provider),
        rotateKeys(db, provider),
        KeyRing.open(db, provider),
      ]);
      for (const r of results) assert.equal(r.status, 'fulfilled', r.status === 'rejected' ? String(r.reason) : '');
      assert.deepEqual(await activeCounts(db), { field: 1, index: 1 });
      const { rows } = await db.query<{ n: number }>(
        `select count(*)::int8 as n from data_keys where purpose = 'field'`,
      );
      assert.equal(rows[0]?.n, 3);
    });
  });
}

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isStewardError } from '@steward/core';
import { storeTargets } from '@steward/store/testing';
import type { TestDatabase } from '@steward/store/testing';
import { KeyRing } from './key-ring.js';
import { InMemoryMasterKeyProvider } from './master-key.js';

const contexts = fc.oneof(
  fc
    .constantFrom('records:', 'users.totp:', 'break_glass.reason:', 'audit.query:')
    .chain((p) => fc.string().map((s) => p + s)),
  fc.string({ unit: 'binary' }),
);
const plaintexts = fc.oneof(fc.uint8Array({ maxLength: 2048 }), fc.string({ unit: 'binary', maxLength: 512 }));

function bytesOf(p: Uint8Array | string): Buffer {
  return typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p);
}

describe('KeyRing sealing (in memory)', () => {
  const ring = KeyRing.inMemory();

  it('opens what it sealed, for any bytes, string and context', () => {
    fc.assert(
      fc.property(plaintexts, contexts, (p, ctx) => {
        const sealed = ring.encrypt(p, ctx);
        assert.deepEqual(ring.decrypt(sealed, ctx), bytesOf(p));
        assert.equal(ring.keyIdOf(sealed), ring.activeFieldKeyId);
        // 2-byte header + 16-character key id + IV + tag.
        assert.equal(sealed.length, bytesOf(p).length + 2 + 16 + 12 + 16);
      }),
    );
  });

  it('opens values passed as a plain Uint8Array view (as PGlite returns bytea)', () => {
    const sealed = ring.encrypt('hello', 'records:1');
    const copy = new Uint8Array(sealed.length + 8);
    copy.set(sealed, 4);
    assert.equal(ring.decrypt(copy.subarray(4, 4 + sealed.length), 'records:1').toString(), 'hello');
  });

  it('seals the same value differently each time', () => {
    assert.notDeepEqual(ring.encrypt('same', 'records:1'), ring.encrypt('same', 'records:1'));
  });

  it('refuses a value with any byte changed', () => {
    fc.assert(
      fc.property(plaintexts, contexts, fc.nat(), fc.integer({ min: 1, max: 255 }), (p, ctx, at, mask) => {
        const sealed = ring.encrypt(p, ctx);
        const i = at % sealed.length;
        sealed[i] = (sealed[i] ?? 0) ^ mask;
        assert.throws(() => ring.decrypt(sealed, ctx));
      }),
    );
  });

  it('refuses a value truncated or extended', () => {
    fc.assert(
      fc.property(plaintexts, contexts, fc.integer({ min: 1, max: 40 }), (p, ctx, n) => {
        const sealed = ring.encrypt(p, ctx);
        assert.throws(() => ring.decrypt(sealed.subarray(0, Math.max(0, sealed.length - n)), ctx));
        assert.throws(() => ring.decrypt(Buffer.concat([sealed, Buffer.alloc(n)]), ctx));
      }),
    );
  });

  it('refuses a value moved to another context, naming only the kind of context', () => {
    fc.assert(
      fc.property(plaintexts, contexts, contexts, (p, a, b) => {
        fc.pre(a !== b);
        assert.throws(() => ring.decrypt(ring.encrypt(p, a), b));
      }),
    );
    assert.throws(
      () => ring.decrypt(ring.encrypt('x', 'records:patient-42'), 'records:patient-43'),
      (e: unknown) => e instanceof Error && /records:…/.test(e.message) && !e.message.includes('patient-4'),
    );
  });

  it('says KEY_UNAVAILABLE, naming the key id, for a key it has not loaded', () => {
    const other = KeyRing.inMemory();
    const sealed = other.encrypt('x', 'records:1');
    assert.throws(
      () => ring.decrypt(sealed, 'records:1'),
      (e: unknown) =>
        isStewardError(e) && e.code === 'KEY_UNAVAILABLE' && e.retryable && e.message.includes(other.activeFieldKeyId),
    );
  });

  it('gives equal blind indexes for values equal after NFC and trim', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string({ unit: 'binary' }),
        fc.constantFrom('', ' ', '\t', '\n ', '\u00a0'),
        (field, v, pad) => {
          fc.pre(!field.includes('\0'));
          const digest = ring.blindIndex(field, v);
          assert.equal(digest.length, 32);
          assert.deepEqual(ring.blindIndex(field, pad + v.normalize('NFD') + pad), digest);
        },
      ),
    );
    assert.deepEqual(ring.blindIndex('email', 'Jos\u00e9'), ring.blindIndex('email', ' Jose\u0301 '));
    assert.notDeepEqual(ring.blindIndex('email', 'Ann'), ring.blindIndex('email', 'ann'), 'case is kept');
  });

  it('gives different blind indexes across fields and across values', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        fc.string(),
        fc.string(),
        (f1, f2, v1, v2) => {
          fc.pre(!f1.includes('\0') && !f2.includes('\0'));
          if (f1 !== f2) assert.notDeepEqual(ring.blindIndex(f1, v1), ring.blindIndex(f2, v1));
          if (v1.normalize('NFC').trim() !== v2.normalize('NFC').trim()) {
            assert.notDeepEqual(ring.blindIndex(f1, v1), ring.blindIndex(f1, v2));
          }
        },
      ),
    );
    assert.notDeepEqual(
      KeyRing.inMemory().blindIndex('mrn', '1'),
      ring.blindIndex('mrn', '1'),
      'keyed, not a bare hash',
    );
    assert.throws(() => ring.blindIndex('a\0b', 'c'), /NUL/);
  });
});

for (const target of storeTargets()) {
  describe(`KeyRing on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    before(async () => {
      db = await target.open();
    });
    after(async () => {
      await db?.close();
    });

    it('creates one active field key and one index key on first open, and reuses them', async () => {
      await db.query('delete from data_keys');
      const provider = InMemoryMasterKeyProvider.random();
      const ring = await KeyRing.open(db, provider);
      const { rows } = await db.query<{ purpose: string; status: string; master_key_id: string; wrapped: Uint8Array }>(
        'select purpose, status, master_key_id, wrapped from data_keys order by purpose',
      );
      assert.deepEqual(
        rows.map((r) => [r.purpose, r.status, r.master_key_id]),
        [
          ['field', 'active', provider.activeKeyId],
          ['index', 'active', provider.activeKeyId],
        ],
      );
      const reopened = await KeyRing.open(db, provider);
      assert.equal(reopened.activeFieldKeyId, ring.activeFieldKeyId);
      const sealed = ring.encrypt('Jane Doe', 'records:r1');
      assert.equal(reopened.decrypt(sealed, 'records:r1').toString(), 'Jane Doe');
      assert.deepEqual(reopened.blindIndex('mrn', 'A-1'), ring.blindIndex('mrn', 'A-1'));
    });

    it('ends with one active key per purpose when several rings open at once', async () => {
      await db.query('delete from data_keys');
      const provider = InMemoryMasterKeyProvider.random();
      const rings = await Promise.all(Array.from({ length: 4 }, () => KeyRing.open(db, provider)));
      const { rows } = await db.query<{ purpose: string; n: number }>(
        `select purpose, count(*)::int8 as n from data_keys where status = 'active' group by purpose order by purpose`,
      );
      assert.deepEqual(rows, [
        { purpose: 'field', n: 1 },
        { purpose: 'index', n: 1 },
      ]);
      assert.equal(new Set(rings.map((r) => r.activeFieldKeyId)).size, 1);
      const [a, b] = rings;
      assert.ok(a && b);
      assert.equal(b.decrypt(a.encrypt('x', 'records:1'), 'records:1').toString(), 'x');
      assert.deepEqual(a.blindIndex('f', 'v'), b.blindIndex('f', 'v'));
    });

    it('refuses to start when a data key is wrapped under a master key it lacks', async () => {
      await db.query('delete from data_keys');
      await KeyRing.open(db, InMemoryMasterKeyProvider.random());
      await assert.rejects(KeyRing.open(db, InMemoryMasterKeyProvider.random()), (e: unknown) => {
        assert.ok(isStewardError(e));
        assert.equal(e.code, 'KEY_UNAVAILABLE');
        return true;
      });
    });

    it('refuses a wrapped key moved to another row', async () => {
      await db.query('delete from data_keys');
      const provider = InMemoryMasterKeyProvider.random();
      await KeyRing.open(db, provider);
      await db.query(
        `update data_keys set wrapped = (select wrapped from data_keys where purpose = 'index') where purpose = 'field'`,
      );
      await assert.rejects(KeyRing.open(db, provider), /failed to unwrap/);
    });
  });
}

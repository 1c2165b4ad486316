import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { isStewardError } from '@steward/core';
import { EnvMasterKeyProvider, InMemoryMasterKeyProvider, masterKeyIdOf } from './master-key.js';

const b64 = (b: Buffer) => b.toString('base64');

describe('InMemoryMasterKeyProvider', () => {
  it('unwraps what it wrapped, only with the same binding', async () => {
    const p = InMemoryMasterKeyProvider.random();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.string(), fc.string(), async (dek, a, b) => {
        const { masterKeyId, wrapped } = await p.wrap(dek, a);
        assert.equal(masterKeyId, p.activeKeyId);
        assert.deepEqual(await p.unwrap(masterKeyId, wrapped, a), Buffer.from(dek));
        if (a !== b) await assert.rejects(p.unwrap(masterKeyId, wrapped, b), /failed to unwrap/);
      }),
      { numRuns: 50 },
    );
  });

  it('keeps old versions for unwrapping after rotate', async () => {
    const p = InMemoryMasterKeyProvider.random();
    const before = p.activeKeyId;
    const { wrapped } = await p.wrap(Buffer.alloc(32, 7), 'x');
    const after = await p.rotate();
    assert.notEqual(after, before);
    assert.equal(p.activeKeyId, after);
    assert.deepEqual(await p.unwrap(before, wrapped, 'x'), Buffer.alloc(32, 7));
  });

  it('says KEY_UNAVAILABLE for a version it does not hold', async () => {
    const p = InMemoryMasterKeyProvider.random();
    await assert.rejects(p.unwrap('mk_0000000000000000', Buffer.alloc(61), 'x'), (e: unknown) => {
      assert.ok(isStewardError(e));
      assert.equal(e.code, 'KEY_UNAVAILABLE');
      assert.match(e.message, /mk_0000000000000000/);
      return true;
    });
  });

  it('never shows key bytes when logged', () => {
    const key = randomBytes(32);
    const p = new InMemoryMasterKeyProvider([{ id: masterKeyIdOf(key), key, createdAt: new Date() }]);
    for (const shown of [inspect(p, { depth: 10 }), JSON.stringify(p)]) {
      assert.ok(!shown.includes(b64(key)) && !shown.includes(key.toString('hex')), shown);
    }
  });
});

describe('EnvMasterKeyProvider', () => {
  it('uses STEWARD_MASTER_KEY, with an id that is a fingerprint, not the key', async () => {
    const key = randomBytes(32);
    const p = EnvMasterKeyProvider.fromEnv({ STEWARD_MASTER_KEY: b64(key) });
    assert.equal(p.activeKeyId, masterKeyIdOf(key));
    assert.match(p.activeKeyId, /^mk_[0-9a-f]{16}$/);
    assert.ok(!b64(key).includes(p.activeKeyId.slice(3)));
    const { wrapped, masterKeyId } = await p.wrap(Buffer.alloc(32, 1), 'k');
    assert.deepEqual(await p.unwrap(masterKeyId, wrapped, 'k'), Buffer.alloc(32, 1));
    assert.equal('rotate' in p, false, 'Steward cannot rotate a key held in its environment');
  });

  it('unwraps with STEWARD_MASTER_KEY_PREVIOUS during a rotation, and wraps with the new key', async () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const before = EnvMasterKeyProvider.fromEnv({ STEWARD_MASTER_KEY: b64(oldKey) });
    const sealed = await before.wrap(Buffer.alloc(32, 2), 'k');
    const during = EnvMasterKeyProvider.fromEnv({
      STEWARD_MASTER_KEY: b64(newKey),
      STEWARD_MASTER_KEY_PREVIOUS: b64(oldKey),
    });
    assert.equal(during.activeKeyId, masterKeyIdOf(newKey));
    assert.deepEqual(await during.unwrap(sealed.masterKeyId, sealed.wrapped, 'k'), Buffer.alloc(32, 2));
    const after = EnvMasterKeyProvider.fromEnv({ STEWARD_MASTER_KEY: b64(newKey) });
    await assert.rejects(after.unwrap(sealed.masterKeyId, sealed.wrapped, 'k'), /STEWARD_MASTER_KEY_PREVIOUS/);
  });

  it('refuses a missing or malformed key without echoing it', () => {
    assert.equal(EnvMasterKeyProvider.isConfigured({}), false);
    assert.throws(() => EnvMasterKeyProvider.fromEnv({}), /STEWARD_MASTER_KEY.*not set/s);
    const short = b64(randomBytes(16));
    assert.throws(
      () => EnvMasterKeyProvider.fromEnv({ STEWARD_MASTER_KEY: short }),
      (e: unknown) => e instanceof Error && /32 random bytes/.test(e.message) && !e.message.includes(short),
    );
    assert.throws(() => EnvMasterKeyProvider.fromEnv({ STEWARD_MASTER_KEY: 'not base64 at all!' }), /base64/);
  });
});

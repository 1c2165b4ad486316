import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStewardError } from '@steward/core';
import { FileMasterKeyProvider } from './file-master-key.js';

const posix = process.platform !== 'win32';

describe('FileMasterKeyProvider', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'steward-keys-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the keyring with mode 0600 on first use, and reads the same key afterwards', async () => {
    const path = join(dir, 'new', 'master.key');
    const p = await FileMasterKeyProvider.open(path, { create: true });
    if (posix) assert.equal((await stat(path)).mode & 0o777, 0o600);
    const again = await FileMasterKeyProvider.open(path, { create: true });
    assert.equal(again.activeKeyId, p.activeKeyId);
    const { wrapped, masterKeyId } = await p.wrap(Buffer.alloc(32, 3), 'k');
    assert.deepEqual(await again.unwrap(masterKeyId, wrapped, 'k'), Buffer.alloc(32, 3));
  });

  it('ends with one key when several processes create it at once', async () => {
    const path = join(dir, 'race.key');
    const ps = await Promise.all(Array.from({ length: 8 }, () => FileMasterKeyProvider.open(path, { create: true })));
    assert.equal(new Set(ps.map((p) => p.activeKeyId)).size, 1);
  });

  it(
    'refuses a file readable by group or others, saying how to fix it',
    { skip: !posix && 'POSIX modes only' },
    async () => {
      const path = join(dir, 'open.key');
      await FileMasterKeyProvider.open(path, { create: true });
      await chmod(path, 0o644);
      await assert.rejects(FileMasterKeyProvider.open(path), (e: unknown) => {
        assert.ok(isStewardError(e));
        assert.equal(e.code, 'CONFIG_INVALID');
        assert.match(e.message, /mode 0644/);
        assert.match(e.message, /chmod 600/);
        return true;
      });
    },
  );

  it('does not create a missing file unless asked, and says to restore it', async () => {
    await assert.rejects(FileMasterKeyProvider.open(join(dir, 'absent.key')), /does not exist.*backup/s);
  });

  it('reports a damaged file without echoing its content', async () => {
    const path = join(dir, 'bad.key');
    await writeFile(path, '{"format":1,"active":"x","keys":[{"id":"x","key":"c2VjcmV0LXNlY3JldA=="}]}', {
      mode: 0o600,
    });
    await assert.rejects(FileMasterKeyProvider.open(path), (e: unknown) => {
      assert.ok(e instanceof Error);
      assert.ok(!e.message.includes('c2VjcmV0LXNlY3JldA'), e.message);
      return true;
    });
    await writeFile(path, '{"format":1,', { mode: 0o600 });
    await assert.rejects(FileMasterKeyProvider.open(path), /not valid JSON/);
  });

  it('rotates by adding a version atomically, keeping the old one for unwrapping', async () => {
    const path = join(dir, 'rotate.key');
    const p = await FileMasterKeyProvider.open(path, { create: true });
    const old = await p.wrap(Buffer.alloc(32, 4), 'k');
    const newId = await p.rotate();
    assert.equal(p.activeKeyId, newId);
    if (posix) assert.equal((await stat(path)).mode & 0o777, 0o600);
    const reopened = await FileMasterKeyProvider.open(path);
    assert.equal(reopened.activeKeyId, newId);
    assert.deepEqual(await reopened.unwrap(old.masterKeyId, old.wrapped, 'k'), Buffer.alloc(32, 4));
    const file = JSON.parse(await readFile(path, 'utf8')) as { keys: unknown[] };
    assert.equal(file.keys.length, 2);
  });
});

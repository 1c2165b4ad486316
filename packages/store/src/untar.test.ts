import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { untarInto } from './untar.js';

/** One ustar entry: a 512-byte header, then the body padded to whole blocks. */
function entry(name: string, type: string, body = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 'utf8');
  header.write('0000600\0', 100, 'ascii');
  header.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  header.write(type, 156, 'ascii');
  header.write('ustar\0' + '00', 257, 'ascii');
  return Buffer.concat([header, body, Buffer.alloc((512 - (body.length % 512)) % 512)]);
}

const end = Buffer.alloc(1024);

describe('untarInto', () => {
  it('writes directories and files (0600) with their bytes, and stops at the end blocks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-untar-'));
    try {
      const bytes = Buffer.from('x'.repeat(700));
      untarInto(
        Buffer.concat([entry('/base', '5'), entry('/base/1', '0', bytes), entry('/PG_VERSION', '0'), end]),
        dir,
      );
      assert.deepEqual(readFileSync(join(dir, 'base', '1')), bytes);
      assert.equal(readFileSync(join(dir, 'PG_VERSION')).length, 0);
      assert.equal(statSync(join(dir, 'base', '1')).mode & 0o777, 0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an entry outside the directory and a kind it does not write (a link)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-untar-'));
    try {
      assert.throws(() => untarInto(Buffer.concat([entry('../escaped', '0'), end]), join(dir, 'in')), /outside/);
      assert.equal(existsSync(join(dir, 'escaped')), false);
      assert.throws(() => untarInto(Buffer.concat([entry('/link', '2'), end]), dir), /unsupported tar entry type '2'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

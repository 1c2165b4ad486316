/**
 * @module The master keyring in a file, for embedded installs: JSON holding every master key
 * version and which one is active. The file is the one secret of an embedded install: back it up
 * apart from the database (a backup holding both protects nothing).
 *
 * Known limits: the permission check is POSIX-only (skipped on Windows, where ACLs decide), and
 * it does not check the file's owner.
 */
import { randomBytes } from 'node:crypto';
import { chmod, link, lstat, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Clock } from '@steward/core';
import { ConfigError, OperationalError, systemClock } from '@steward/core';
import type { MasterKeyProvider, MasterKeyVersion } from './master-key.js';
import { InMemoryMasterKeyProvider, decodeMasterKey, masterKeyIdOf, newMasterKeyVersion } from './master-key.js';

const FORMAT = 1;

interface KeyringFile {
  readonly format: number;
  readonly active: string;
  readonly keys: readonly { id: string; key: string; createdAt: string }[];
}

export interface FileMasterKeyOptions {
  /** Create the file (mode 0600) with a fresh key when it does not exist. Embedded mode only. */
  readonly create?: boolean;
  readonly clock?: Clock;
}

export class FileMasterKeyProvider implements MasterKeyProvider {
  readonly path: string;
  readonly #keys: InMemoryMasterKeyProvider;
  readonly #clock: Clock;

  private constructor(path: string, keys: InMemoryMasterKeyProvider, clock: Clock) {
    this.path = path;
    this.#keys = keys;
    this.#clock = clock;
  }

  static async open(path: string, options: FileMasterKeyOptions = {}): Promise<FileMasterKeyProvider> {
    const clock = options.clock ?? systemClock;
    if (options.create === true) await createIfMissing(path, clock);
    return new FileMasterKeyProvider(path, await load(path), clock);
  }

  get activeKeyId(): string {
    return this.#keys.activeKeyId;
  }

  wrap(dek: Uint8Array, aad: string): Promise<{ masterKeyId: string; wrapped: Buffer }> {
    return this.#keys.wrap(dek, aad);
  }

  unwrap(masterKeyId: string, wrapped: Uint8Array, aad: string): Promise<Buffer> {
    return this.#keys.unwrap(masterKeyId, wrapped, aad);
  }

  /**
   * Adds a new version and makes it active. The file is rewritten under a lock file, from what is
   * on disk now (not this object's copy), so a version another process added is never dropped.
   * Old versions are never removed here: data keys and backups may still be wrapped under them.
   */
  async rotate(): Promise<string> {
    const version = newMasterKeyVersion(this.#clock.now());
    await withLock(this.path, async () => {
      const onDisk = await load(this.path);
      onDisk.add(version, true);
      await writeAtomically(this.path, serialize(onDisk.versions(), version.id), 'replace');
      for (const v of onDisk.versions()) this.#keys.add(v, false);
      this.#keys.add(version, true);
    });
    return version.id;
  }

  toJSON(): unknown {
    return { source: 'file', path: this.path, ...this.#keys.toJSON() };
  }
}

async function createIfMissing(path: string, clock: Clock): Promise<void> {
  if (await exists(path)) return;
  const version = newMasterKeyVersion(clock.now());
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  // `link` refuses to replace: when two processes start at once, one file wins and both use it.
  await writeAtomically(path, serialize([version], version.id), 'create-only');
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

async function load(path: string): Promise<InMemoryMasterKeyProvider> {
  const where = `master key file ${path}`;
  let mode: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new ConfigError([{ path: where, message: 'is not a regular file' }]);
    mode = s.mode;
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ConfigError([
        {
          path: where,
          message:
            'does not exist. Restore it from your backup; without it, encrypted data cannot be read. (A new install creates it on first start in embedded mode.)',
        },
      ]);
    }
    throw new OperationalError('KEY_UNAVAILABLE', `cannot read ${where}`, [], { cause: e });
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    const octal = (mode & 0o777).toString(8).padStart(4, '0');
    throw new ConfigError([
      {
        path: where,
        message: `is readable by group or others (mode ${octal}); it holds the master key. Run: chmod 600 '${path}' (and check who may have copied it)`,
      },
    ]);
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new OperationalError('KEY_UNAVAILABLE', `cannot read ${where}`, [], { cause: e });
  }
  return parse(text, where);
}

/** Parses the keyring. Errors say what is wrong and where, never echo the content. */
function parse(text: string, where: string): InMemoryMasterKeyProvider {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ConfigError([{ path: where, message: 'is not valid JSON (was it truncated or edited by hand?)' }]);
  }
  const file = data as Partial<KeyringFile> | null;
  if (file === null || typeof file !== 'object' || file.format !== FORMAT || !Array.isArray(file.keys)) {
    throw new ConfigError([{ path: where, message: `is not a Steward master keyring (format ${FORMAT})` }]);
  }
  const versions: MasterKeyVersion[] = file.keys.map((k: unknown, i) => {
    const entry = k as Partial<KeyringFile['keys'][number]> | null;
    if (entry === null || typeof entry !== 'object' || typeof entry.key !== 'string' || typeof entry.id !== 'string') {
      throw new ConfigError([{ path: `${where} keys[${i}]`, message: 'needs a string id and key' }]);
    }
    const key = decodeMasterKey(entry.key, `${where} keys[${i}].key`);
    if (masterKeyIdOf(key) !== entry.id) {
      throw new ConfigError([{ path: `${where} keys[${i}]`, message: `id ${entry.id} does not match its key` }]);
    }
    const createdAt = new Date(entry.createdAt ?? 0);
    return { id: entry.id, key, createdAt: Number.isNaN(createdAt.getTime()) ? new Date(0) : createdAt };
  });
  if (typeof file.active !== 'string' || !versions.some((v) => v.id === file.active)) {
    throw new ConfigError([{ path: `${where} active`, message: 'must name one of the keys in the file' }]);
  }
  return new InMemoryMasterKeyProvider(versions, file.active);
}

function serialize(versions: readonly MasterKeyVersion[], active: string): string {
  const file: KeyringFile = {
    format: FORMAT,
    active,
    keys: versions.map((v) => ({ id: v.id, key: v.key.toString('base64'), createdAt: v.createdAt.toISOString() })),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * Writes a temporary file (0600, flushed to disk), then moves it into place: readers see the old
 * file or the new one, never half of one. 'create-only' links instead of renaming, which fails
 * when the file already exists; that is not an error (another process created it first).
 */
async function writeAtomically(path: string, content: string, how: 'create-only' | 'replace'): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await chmod(tmp, 0o600); // the umask may only have removed bits; make it exact anyway
    if (how === 'replace') {
      await rename(tmp, path);
    } else {
      try {
        await link(tmp, path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    await syncDirectory(dirname(path));
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

async function syncDirectory(dir: string): Promise<void> {
  // Makes the rename durable. Not every platform can open a directory; skip quietly there.
  try {
    const h = await open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  } catch {
    /* best effort */
  }
}

async function withLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${path}.lock`;
  try {
    await (await open(lock, 'wx', 0o600)).close();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    throw new OperationalError(
      'KEY_UNAVAILABLE',
      `another process is changing the master keyring (${lock} exists). Retry when it is done; if no rotation is running (a crash left it), delete that file.`,
    );
  }
  try {
    return await fn();
  } finally {
    await unlink(lock).catch(() => undefined);
  }
}

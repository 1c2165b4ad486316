/**
 * @module Master keys: the keys that wrap (encrypt) data keys. Steward never stores a data key in
 * the clear; it stores it wrapped by a master key kept outside the database (a file, an
 * environment variable, or a KMS behind `MasterKeyProvider`).
 *
 * Local master keys are identified by a fingerprint (a domain-separated SHA-256 of the key,
 * truncated), never by the key, so the same key yields the same id whether it is read from a file
 * or from STEWARD_MASTER_KEY: an installation can move between the two without rewrapping.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { ConfigError, OperationalError, UnexpectedError } from '@steward/core';

/** What a KMS plug-in implements. Every method may be remote, hence async. */
export interface MasterKeyProvider {
  /** The master key version new data keys are wrapped under. */
  readonly activeKeyId: string;
  /** Wraps a data key under the active master key, binding `aad`; says which version it used. */
  wrap(dek: Uint8Array, aad: string): Promise<{ masterKeyId: string; wrapped: Buffer }>;
  /** Unwraps a data key wrapped by `wrap` under `masterKeyId` with the same `aad`. */
  unwrap(masterKeyId: string, wrapped: Uint8Array, aad: string): Promise<Buffer>;
  /**
   * Creates a new master key version and makes it active; older versions stay available for
   * unwrapping until every data key has been rewrapped. Absent when the key is rotated elsewhere.
   */
  rotate?(): Promise<string>;
}

export const MASTER_KEY_BYTES = 32;
const WRAP_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The id of a local master key: `mk_` and 16 hex digits of a domain-separated SHA-256. */
export function masterKeyIdOf(key: Uint8Array): string {
  const digest = createHash('sha256').update('steward master key id\0').update(key).digest('hex');
  return `mk_${digest.slice(0, 16)}`;
}

/**
 * Decodes a base64 (or base64url) master key and checks it is exactly 32 bytes. `where` names the
 * source (a variable or a file) in the error; the value never appears in it.
 */
export function decodeMasterKey(encoded: string, where: string): Buffer {
  const trimmed = encoded.trim();
  const key = Buffer.from(trimmed, /[-_]/.test(trimmed) ? 'base64url' : 'base64');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) || key.length !== MASTER_KEY_BYTES) {
    key.fill(0);
    throw new ConfigError([
      {
        path: where,
        message: `must be the base64 encoding of ${MASTER_KEY_BYTES} random bytes (generate one with: openssl rand -base64 32)`,
      },
    ]);
  }
  return key;
}

/** AES-256-GCM wrap: version byte | 12-byte IV | wrapped key | 16-byte tag. */
export function wrapUnder(masterKey: Uint8Array, dek: Uint8Array, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', masterKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(dek), cipher.final()]);
  return Buffer.concat([Buffer.of(WRAP_VERSION), iv, body, cipher.getAuthTag()]);
}

export function unwrapUnder(masterKey: Uint8Array, masterKeyId: string, wrapped: Uint8Array, aad: string): Buffer {
  const w = Buffer.from(wrapped);
  if (w.length <= 1 + IV_BYTES + TAG_BYTES || w[0] !== WRAP_VERSION) {
    throw new UnexpectedError(`a data key wrapped under master key ${masterKeyId} is malformed (${aad})`);
  }
  const decipher = createDecipheriv('aes-256-gcm', masterKey, w.subarray(1, 1 + IV_BYTES), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(w.subarray(w.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(w.subarray(1 + IV_BYTES, w.length - TAG_BYTES)), decipher.final()]);
  } catch (e) {
    // No key material and no wrapped bytes in the message: only which key and which binding.
    throw new UnexpectedError(
      `a data key failed to unwrap under master key ${masterKeyId} (${aad}): the wrapped value was altered or belongs to another row`,
      { cause: e },
    );
  }
}

export function unknownMasterKey(masterKeyId: string, hint: string): OperationalError {
  return new OperationalError(
    'KEY_UNAVAILABLE',
    `master key ${masterKeyId} is not available: ${hint}. Data keys wrapped under it cannot be opened until it is restored.`,
  );
}

export interface MasterKeyVersion {
  readonly id: string;
  readonly key: Buffer;
  readonly createdAt: Date;
}

/**
 * Master key versions held in process memory. The real implementation behind the file and
 * environment providers, and the one tests use. `rotate` adds a random version that lives only
 * as long as this object: persist it (as the file provider does) or lose what it wraps.
 */
export class InMemoryMasterKeyProvider implements MasterKeyProvider {
  readonly #versions = new Map<string, MasterKeyVersion>();
  #active: string;
  readonly #missingHint: string;

  constructor(versions: readonly MasterKeyVersion[], activeKeyId?: string, missingHint = 'it is not in this keyring') {
    for (const v of versions) this.#versions.set(v.id, v);
    const active = activeKeyId ?? versions[versions.length - 1]?.id;
    if (active === undefined || !this.#versions.has(active)) {
      throw new UnexpectedError('a master keyring needs its active version among its versions');
    }
    this.#active = active;
    this.#missingHint = missingHint;
  }

  /** A provider holding one fresh random key. */
  static random(): InMemoryMasterKeyProvider {
    return new InMemoryMasterKeyProvider([newMasterKeyVersion(new Date())]);
  }

  get activeKeyId(): string {
    return this.#active;
  }

  /** Every version, oldest first (the file provider persists them). */
  versions(): readonly MasterKeyVersion[] {
    return [...this.#versions.values()];
  }

  wrap(dek: Uint8Array, aad: string): Promise<{ masterKeyId: string; wrapped: Buffer }> {
    return settle(() => {
      const active = this.#versions.get(this.#active);
      if (active === undefined) throw unknownMasterKey(this.#active, this.#missingHint);
      return { masterKeyId: active.id, wrapped: wrapUnder(active.key, dek, aad) };
    });
  }

  unwrap(masterKeyId: string, wrapped: Uint8Array, aad: string): Promise<Buffer> {
    return settle(() => {
      const version = this.#versions.get(masterKeyId);
      if (version === undefined) throw unknownMasterKey(masterKeyId, this.#missingHint);
      return unwrapUnder(version.key, masterKeyId, wrapped, aad);
    });
  }

  rotate(): Promise<string> {
    return settle(() => {
      const v = newMasterKeyVersion(new Date());
      this.add(v, true);
      return v.id;
    });
  }

  /** Adds a version (and makes it active when asked): used by providers that persist versions. */
  add(version: MasterKeyVersion, makeActive: boolean): void {
    this.#versions.set(version.id, version);
    if (makeActive) this.#active = version.id;
  }

  // Keep key bytes out of console.log and util.inspect.
  toJSON(): { activeKeyId: string; versions: string[] } {
    return { activeKeyId: this.#active, versions: [...this.#versions.keys()] };
  }
}

/** Runs `fn` now; what it returns or throws becomes the promise's value or rejection. */
function settle<T>(fn: () => T): Promise<T> {
  return new Promise((resolve) => resolve(fn()));
}

export function newMasterKeyVersion(createdAt: Date): MasterKeyVersion {
  const key = randomBytes(MASTER_KEY_BYTES);
  return { id: masterKeyIdOf(key), key, createdAt };
}

/**
 * The master key from the environment: STEWARD_MASTER_KEY (base64 of 32 bytes) is active;
 * STEWARD_MASTER_KEY_PREVIOUS (optional, comma-separated) only unwraps data keys not yet
 * rewrapped. To rotate: put the old key in _PREVIOUS, a new one in STEWARD_MASTER_KEY, restart,
 * run `steward keys rotate`, then drop _PREVIOUS (keep it with any backup taken before the rewrap).
 * It has no `rotate()`: Steward cannot change the environment it was started with.
 */
export class EnvMasterKeyProvider implements MasterKeyProvider {
  readonly #keys: InMemoryMasterKeyProvider;

  private constructor(keys: InMemoryMasterKeyProvider) {
    this.#keys = keys;
  }

  /** Whether `env` names a master key (so a composition root can choose this provider). */
  static isConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
    return (env['STEWARD_MASTER_KEY'] ?? '') !== '';
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): EnvMasterKeyProvider {
    const current = env['STEWARD_MASTER_KEY'] ?? '';
    if (current === '') {
      throw new ConfigError([
        { path: 'STEWARD_MASTER_KEY', message: 'is not set (generate one with: openssl rand -base64 32)' },
      ]);
    }
    const epoch = new Date(0);
    const previous = (env['STEWARD_MASTER_KEY_PREVIOUS'] ?? '')
      .split(',')
      .filter((s) => s.trim() !== '')
      .map((s) => decodeMasterKey(s, 'STEWARD_MASTER_KEY_PREVIOUS'));
    const active = decodeMasterKey(current, 'STEWARD_MASTER_KEY');
    const versions = [...previous, active].map((key) => ({ id: masterKeyIdOf(key), key, createdAt: epoch }));
    return new EnvMasterKeyProvider(
      new InMemoryMasterKeyProvider(
        versions,
        masterKeyIdOf(active),
        'it is neither STEWARD_MASTER_KEY nor in STEWARD_MASTER_KEY_PREVIOUS (put the previous key there until `steward keys rotate` has rewrapped every data key)',
      ),
    );
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

  toJSON(): unknown {
    return { source: 'env', ...this.#keys.toJSON() };
  }
}

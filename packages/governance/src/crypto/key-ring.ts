/**
 * @module The key ring: every data key, unwrapped into process memory once, so that sealing and
 * opening a field is synchronous and costs one AES-256-GCM operation.
 *
 * Sealed format (version 1), all in one buffer:
 *   0x01 | key id length (1 byte) | key id (ASCII) | 12-byte IV | ciphertext | 16-byte GCM tag
 * The AAD is the header (version, length, key id) followed by the UTF-8 context, so neither the
 * key id nor the row/column a value belongs to can be changed without the tag failing.
 *
 * IVs are random (96 bits). NIST SP 800-38D bounds random IVs to 2^32 messages per key: rotate the
 * field key (`steward keys rotate`) well before four billion encryptions.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  randomBytes,
  randomFillSync,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { OperationalError, UnexpectedError } from '@steward/core';
import type { Sql } from '@steward/store';
import type { FieldCipher } from './field-cipher.js';
import type { DataKeyPurpose, DataKeyRow } from './data-keys.js';
import { DATA_KEY_BYTES, ensureActiveDataKey, loadDataKeys, newDataKeyId, wrapContext } from './data-keys.js';
import type { MasterKeyProvider } from './master-key.js';

const SEALED_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,255}$/;
// IVs are drawn from a pool: one getrandom call per 512 values instead of one per value.
const IV_POOL_BYTES = IV_BYTES * 512;
/** One options object for every cipher (not one per call): the same 16-byte tag, enforced on open. */
const GCM = { authTagLength: TAG_BYTES } as const;

interface DataKey {
  readonly id: string;
  readonly key: KeyObject;
  /** The sealed-value header naming this key: version | length | id. */
  readonly header: Buffer;
}

type Source = { readonly sql: Sql; readonly provider: MasterKeyProvider } | undefined;

export class KeyRing implements FieldCipher {
  readonly #source: Source;
  readonly #fieldKeys = new Map<string, DataKey>();
  readonly #loaded = new Set<string>();
  #activeField: DataKey | undefined;
  #indexKey: KeyObject | undefined;
  #refreshing: Promise<void> | undefined;
  readonly #ivPool = Buffer.allocUnsafe(IV_POOL_BYTES);
  #ivOffset = IV_POOL_BYTES;
  /** Scratch for header || context (the AAD): GCM absorbs it during setAAD, so it is reused. */
  #aad = Buffer.allocUnsafe(1024);

  private constructor(source: Source) {
    this.#source = source;
  }

  /**
   * Loads and unwraps every data key. On first use it creates the active 'field' and 'index'
   * keys; when two processes start at once, both end up with the same ones.
   */
  static async open(sql: Sql, provider: MasterKeyProvider): Promise<KeyRing> {
    let rows = await loadDataKeys(sql);
    let created = false;
    for (const purpose of ['field', 'index'] as const) {
      if (!rows.some((r) => r.purpose === purpose && r.status === 'active')) {
        await ensureActiveDataKey(sql, provider, purpose);
        created = true;
      }
    }
    // Reload rather than trust what was inserted: another process may have won the race.
    if (created) rows = await loadDataKeys(sql);
    const ring = new KeyRing({ sql, provider });
    await ring.#apply(rows);
    return ring;
  }

  /** A ring of fresh random keys and no store: for tests, and for data that dies with the process. */
  static inMemory(): KeyRing {
    const ring = new KeyRing(undefined);
    const field = dataKey(newDataKeyId(), randomBytes(DATA_KEY_BYTES));
    ring.#fieldKeys.set(field.id, field);
    ring.#activeField = field;
    ring.#indexKey = createSecretKey(randomBytes(DATA_KEY_BYTES));
    return ring;
  }

  /** The data key new values are sealed with. */
  get activeFieldKeyId(): string {
    return this.#active().id;
  }

  /** Whether this ring can open values sealed with `keyId`. */
  hasKey(keyId: string): boolean {
    return this.#fieldKeys.has(keyId);
  }

  /**
   * Loads data keys added since this ring was opened (another process rotated), and adopts the
   * current active field key. Keys already loaded stay: a data key's bytes never change, only
   * its wrapping. Concurrent calls share one reload.
   */
  refresh(): Promise<void> {
    const source = this.#source;
    if (source === undefined) return Promise.resolve();
    this.#refreshing ??= loadDataKeys(source.sql)
      .then((rows) => this.#apply(rows))
      .finally(() => {
        this.#refreshing = undefined;
      });
    return this.#refreshing;
  }

  encrypt(plaintext: Uint8Array | string, context: string): Buffer {
    const key = this.#active();
    const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
    const h = key.header.length;
    const out = Buffer.allocUnsafe(h + IV_BYTES + data.length + TAG_BYTES);
    key.header.copy(out, 0);
    const iv = out.subarray(h, h + IV_BYTES);
    this.#nextIv(iv);
    const cipher = createCipheriv('aes-256-gcm', key.key, iv, GCM);
    cipher.setAAD(this.#aadOf(key.header, context));
    // GCM is a stream mode: the ciphertext is exactly as long as the plaintext.
    const body = cipher.update(data);
    cipher.final();
    body.copy(out, h + IV_BYTES);
    cipher.getAuthTag().copy(out, h + IV_BYTES + data.length);
    return out;
  }

  /**
   * Throws OperationalError KEY_UNAVAILABLE when the value names a key this ring has not loaded
   * (sealed by a process that rotated since): `refresh()` and retry, or use `decryptWithRefresh`.
   * Throws UnexpectedError when the value was altered, truncated or sealed for another context.
   */
  decrypt(sealed: Uint8Array, context: string): Buffer {
    const s = asBuffer(sealed);
    // Most values are sealed under the active key: recognise its header without parsing it.
    const active = this.#activeField;
    let key: DataKey | undefined;
    let keyId: string;
    let headerLength: number;
    if (active !== undefined && startsWithBytes(s, active.header, IV_BYTES + TAG_BYTES)) {
      key = active;
      keyId = active.id;
      headerLength = active.header.length;
    } else {
      ({ keyId, headerLength } = parseHeader(s));
      key = this.#fieldKeys.get(keyId);
    }
    if (key === undefined) {
      throw new OperationalError(
        'KEY_UNAVAILABLE',
        `data key ${keyId} is not loaded in this process (rotated elsewhere?): refresh the key ring and retry`,
      );
    }
    const decipher = createDecipheriv('aes-256-gcm', key.key, s.subarray(headerLength, headerLength + IV_BYTES), GCM);
    decipher.setAAD(this.#aadOf(s.subarray(0, headerLength), context));
    decipher.setAuthTag(s.subarray(s.length - TAG_BYTES));
    try {
      const body = decipher.update(s.subarray(headerLength + IV_BYTES, s.length - TAG_BYTES));
      decipher.final();
      return body;
    } catch (e) {
      // The context may name a record: say only what kind of context, never a value.
      throw new UnexpectedError(
        `a sealed value (data key ${keyId}) failed to open for context ${contextKind(context)}: it was altered, or belongs to another row or column`,
        { cause: e },
      );
    }
  }

  /** `decrypt`, refreshing once if the value names a key this ring has not loaded yet. */
  async decryptWithRefresh(sealed: Uint8Array, context: string): Promise<Buffer> {
    const keyId = this.keyIdOf(sealed);
    if (!this.#fieldKeys.has(keyId)) await this.refresh();
    return this.decrypt(sealed, context);
  }

  /**
   * HMAC-SHA-256, under the 'index' data key, of `field`, a NUL, and the value normalized: Unicode
   * NFC, then leading and trailing whitespace removed (String.prototype.trim). Case is kept: a
   * caller that wants case-insensitive matching folds case itself, at both write and lookup.
   * `field` is part of the input so equal values in two fields give unrelated digests.
   */
  blindIndex(field: string, value: string): Buffer {
    if (field === '' || field.includes('\0')) {
      throw new UnexpectedError('a blind index field name must be non-empty and contain no NUL');
    }
    const key = this.#indexKey;
    if (key === undefined) throw new UnexpectedError('the key ring has no index key');
    return createHmac('sha256', key)
      .update(field, 'utf8')
      .update('\0')
      .update(normalizeForIndex(value), 'utf8')
      .digest();
  }

  keyIdOf(sealed: Uint8Array): string {
    return parseHeader(asBuffer(sealed)).keyId;
  }

  // Never show key objects in logs or inspection output.
  toJSON(): { activeFieldKeyId: string | undefined; fieldKeys: string[] } {
    return { activeFieldKeyId: this.#activeField?.id, fieldKeys: [...this.#fieldKeys.keys()] };
  }

  #active(): DataKey {
    const key = this.#activeField;
    if (key === undefined) throw new UnexpectedError('the key ring has no active field key');
    return key;
  }

  /** header || UTF-8 context, in the scratch buffer (grown when a context is longer). */
  #aadOf(header: Buffer, context: string): Buffer {
    const need = header.length + context.length * 3;
    if (need > this.#aad.length) this.#aad = Buffer.allocUnsafe(need);
    header.copy(this.#aad, 0);
    const n = this.#aad.write(context, header.length, 'utf8');
    return this.#aad.subarray(0, header.length + n);
  }

  #nextIv(into: Buffer): void {
    if (this.#ivOffset + IV_BYTES > IV_POOL_BYTES) {
      randomFillSync(this.#ivPool);
      this.#ivOffset = 0;
    }
    this.#ivPool.copy(into, 0, this.#ivOffset, this.#ivOffset + IV_BYTES);
    this.#ivOffset += IV_BYTES;
  }

  async #apply(rows: readonly DataKeyRow[]): Promise<void> {
    const source = this.#source;
    if (source === undefined) return;
    const fresh = rows.filter((r) => !this.#loaded.has(r.id));
    // In parallel: with a remote KMS each unwrap is a round trip.
    const unwrapped = await Promise.all(
      fresh.map(async (r) => {
        const dek = await source.provider.unwrap(r.masterKeyId, r.wrapped, wrapContext(r.id, r.purpose));
        try {
          if (dek.length !== DATA_KEY_BYTES) throw new UnexpectedError(`data key ${r.id} has the wrong length`);
          return { row: r, key: createSecretKey(dek) }; // copies the bytes
        } finally {
          dek.fill(0);
        }
      }),
    );
    for (const { row, key } of unwrapped) {
      this.#loaded.add(row.id);
      if (row.purpose === 'field') this.#fieldKeys.set(row.id, { id: row.id, key, header: header(row.id) });
      else if (row.status === 'active') this.#indexKey = key;
    }
    const active = (purpose: DataKeyPurpose) => rows.find((r) => r.purpose === purpose && r.status === 'active');
    const field = active('field');
    if (field !== undefined) this.#activeField = this.#fieldKeys.get(field.id);
    if (this.#activeField === undefined || this.#indexKey === undefined || active('index') === undefined) {
      throw new UnexpectedError('data_keys holds no active field or index key: the key ring cannot start');
    }
  }
}

/** The normalization `blindIndex` applies: NFC, then trim. Exported so callers can document it. */
export function normalizeForIndex(value: string): string {
  return value.normalize('NFC').trim();
}

function dataKey(id: string, bytes: Buffer): DataKey {
  const key = createSecretKey(bytes);
  bytes.fill(0);
  return { id, key, header: header(id) };
}

function header(keyId: string): Buffer {
  if (!KEY_ID.test(keyId)) throw new UnexpectedError('a data key id must be 1-255 URL-safe ASCII characters');
  return Buffer.concat([Buffer.of(SEALED_VERSION, keyId.length), Buffer.from(keyId, 'latin1')]);
}

function parseHeader(s: Buffer): { keyId: string; headerLength: number } {
  const length = s[1] ?? 0;
  const headerLength = 2 + length;
  if (s[0] !== SEALED_VERSION || length === 0 || s.length < headerLength + IV_BYTES + TAG_BYTES) {
    throw new UnexpectedError('not a sealed value (unknown version, or truncated)');
  }
  const keyId = s.toString('latin1', 2, headerLength);
  if (!KEY_ID.test(keyId)) throw new UnexpectedError('not a sealed value (malformed key id)');
  return { keyId, headerLength };
}

/** Whether `s` begins with `prefix` and has at least `rest` bytes after it. */
function startsWithBytes(s: Buffer, prefix: Buffer, rest: number): boolean {
  const n = prefix.length;
  return s.length >= n + rest && s.compare(prefix, 0, n, 0, n) === 0;
}

function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

function contextKind(context: string): string {
  const i = context.indexOf(':');
  return i < 0 ? '(unnamed)' : `${context.slice(0, i)}:…`;
}

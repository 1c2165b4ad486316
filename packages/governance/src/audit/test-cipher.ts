/**
 * @module Test-only FieldCipher: AES-256-GCM under one random (or given) key, with the context as
 * additional authenticated data. It stands in for the real key ring in audit tests.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { FieldCipher } from '../crypto/field-cipher.js';

const KEY_ID = 'test-key';

export class TestFieldCipher implements FieldCipher {
  readonly key: Buffer;

  constructor(key: Buffer = randomBytes(32)) {
    if (key.length !== 32) throw new RangeError('TestFieldCipher needs a 32-byte key');
    this.key = key;
  }

  encrypt(plaintext: Uint8Array | string, context: string): Buffer {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    c.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([
      c.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext),
      c.final(),
    ]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  }

  decrypt(sealed: Uint8Array, context: string): Buffer {
    const buf = Buffer.from(sealed);
    const d = createDecipheriv('aes-256-gcm', this.key, buf.subarray(0, 12));
    d.setAAD(Buffer.from(context, 'utf8'));
    d.setAuthTag(buf.subarray(12, 28));
    return Buffer.concat([d.update(buf.subarray(28)), d.final()]);
  }

  blindIndex(field: string, value: string): Buffer {
    return createHmac('sha256', this.key)
      .update(`${field}\0${value.normalize('NFC').toLowerCase()}`)
      .digest();
  }

  keyIdOf(): string {
    return KEY_ID;
  }
}

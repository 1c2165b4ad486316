/**
 * @module Test only: a FieldCipher double (AES-256-GCM under one random key, context as AAD), so
 * identity tests do not wait for the real envelope cipher. Not exported from the index.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { FieldCipher } from '../crypto/field-cipher.js';

export class TestCipher implements FieldCipher {
  readonly #key = randomBytes(32);

  encrypt(plaintext: Uint8Array | string, context: string): Buffer {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.#key, iv).setAAD(Buffer.from(context));
    const body = Buffer.concat([
      c.update(typeof plaintext === 'string' ? Buffer.from(plaintext) : plaintext),
      c.final(),
    ]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  }

  decrypt(sealed: Uint8Array, context: string): Buffer {
    const b = Buffer.from(sealed);
    const d = createDecipheriv('aes-256-gcm', this.#key, b.subarray(0, 12)).setAAD(Buffer.from(context));
    d.setAuthTag(b.subarray(12, 28));
    return Buffer.concat([d.update(b.subarray(28)), d.final()]);
  }

  blindIndex(field: string, value: string): Buffer {
    return createHmac('sha256', this.#key).update(`${field}\0${value}`).digest();
  }

  keyIdOf(): string {
    return 'test-key';
  }
}

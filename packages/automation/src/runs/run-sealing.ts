/**
 * @module How a step's PHI is sealed and vouched for. The screenshot is sealed as is; the value is
 * sealed behind a random 16-byte salt, so the digest in the audit log cannot be reversed by trying
 * likely values (a birth date, "Yes"). Each is bound to its row and column as associated data, and
 * the audit entry carries the SHA-256 of exactly what was sealed: verifying opens, hashes, compares.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FieldCipher } from '@steward/governance';

const SALT_BYTES = 16;

export type SealedPart = 'screenshot' | 'value';

export function sealContext(part: SealedPart, runId: string, index: number): string {
  return `automation_steps.${part}:${runId}:${index}`;
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface Sealed {
  readonly sealed: Buffer;
  readonly digest: string;
}

export function sealScreenshot(cipher: FieldCipher, runId: string, index: number, png: Uint8Array): Sealed {
  return { sealed: cipher.encrypt(png, sealContext('screenshot', runId, index)), digest: sha256Hex(png) };
}

export function sealValue(cipher: FieldCipher, runId: string, index: number, value: string): Sealed {
  const plain = Buffer.concat([randomBytes(SALT_BYTES), Buffer.from(value, 'utf8')]);
  return { sealed: cipher.encrypt(plain, sealContext('value', runId, index)), digest: sha256Hex(plain) };
}

/** Opens a sealed part: the plaintext that was hashed, and what it holds (the PNG, or the value). */
export function openPart(
  cipher: FieldCipher,
  part: SealedPart,
  runId: string,
  index: number,
  sealed: Uint8Array,
): { readonly plain: Buffer; readonly content: Buffer } {
  const plain = cipher.decrypt(sealed, sealContext(part, runId, index));
  return { plain, content: part === 'value' ? plain.subarray(SALT_BYTES) : plain };
}

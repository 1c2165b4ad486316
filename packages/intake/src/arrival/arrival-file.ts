/**
 * @module What one arrival brings, whatever its source: the file's bytes and media type (checked
 * by their first bytes, not only the claim), where it came from and a reference to it (a file
 * name, a message control id, a provider's id). Bad input is a `ValidationError` naming the problem.
 */
import { UserError, ValidationError } from '@steward/core';
import { intakeMediaTypes, type IntakeFile, type IntakeMediaType } from '../model/intake-model.js';

/** Files larger than this are refused (413 at the HTTP edge): a long fax is a few megabytes. */
export const maxIntakeBytes = 25 * 1024 * 1024;

export interface ArrivingFile extends IntakeFile {
  /** A file name, MSH-10, a provider's message id: sealed at rest (it may name a patient). */
  readonly reference?: string;
}

/** The media type the bytes are, by their signature; undefined for anything else. */
export function sniffMediaType(bytes: Uint8Array): IntakeMediaType | undefined {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 8));
  if (b.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (
    b.subarray(0, 4).equals(Buffer.from([0x49, 0x49, 0x2a, 0x00])) ||
    b.subarray(0, 4).equals(Buffer.from([0x4d, 0x4d, 0x00, 0x2a]))
  )
    return 'image/tiff';
  if (b.equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  return undefined;
}

/**
 * Checks a file as it arrives: not empty, not too large, a supported media type that its bytes
 * agree with. `claimed` is what the sender said (a Content-Type, an HL7 subtype), if anything.
 */
export function checkArrivingFile(bytes: Uint8Array, claimed?: string, reference?: string): ArrivingFile {
  if (bytes.length === 0) throw new ValidationError('the file is empty', [{ path: 'file', message: 'no bytes' }]);
  if (bytes.length > maxIntakeBytes)
    throw new UserError('BODY_TOO_LARGE', `the file is ${bytes.length} bytes; at most ${maxIntakeBytes} are accepted`);
  const sniffed = sniffMediaType(bytes);
  const claim = claimed?.split(';')[0]?.trim().toLowerCase();
  if (claim !== undefined && claim !== '' && claim !== 'application/octet-stream') {
    if (!(intakeMediaTypes as readonly string[]).includes(claim))
      throw new ValidationError('unsupported media type', [
        { path: 'mediaType', message: `one of ${intakeMediaTypes.join(', ')}; got ${claim}` },
      ]);
    if (sniffed !== claim)
      throw new ValidationError('the file is not what it claims to be', [
        { path: 'mediaType', message: `claimed ${claim}, the bytes are ${sniffed ?? 'none of the supported types'}` },
      ]);
  }
  if (sniffed === undefined)
    throw new ValidationError('unsupported file', [
      { path: 'file', message: `the bytes are none of ${intakeMediaTypes.join(', ')}` },
    ]);
  return {
    bytes,
    mediaType: sniffed,
    ...(reference !== undefined && reference !== '' ? { reference: reference.slice(0, 500) } : {}),
  };
}

/** Decodes base64 strictly (whitespace allowed): a bad character is an error naming the field. */
export function decodeBase64(value: string, path: string): Buffer {
  const compact = value.replace(/\s+/g, '');
  if (compact === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1)
    throw new ValidationError('invalid base64', [{ path, message: 'base64-encoded bytes' }]);
  return Buffer.from(compact, 'base64');
}

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorCodes } from '@steward/core';
import { checkArrivingFile, decodeBase64, maxIntakeBytes, sniffMediaType } from './arrival-file.js';
import { signWebhook, verifyWebhook } from './webhook-signature.js';

describe('a file as it arrives', () => {
  it('is known by its bytes, and must be what it claims', () => {
    assert.equal(sniffMediaType(Buffer.from('%PDF-1.7\n')), 'application/pdf');
    assert.equal(sniffMediaType(Buffer.from([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0])), 'image/tiff');
    assert.equal(sniffMediaType(Buffer.from('hello')), undefined);
    assert.equal(
      checkArrivingFile(Buffer.from('%PDF-1.4 x'), 'application/pdf; name=a.pdf').mediaType,
      'application/pdf',
    );
    assert.throws(() => checkArrivingFile(Buffer.from('%PDF-1.4 x'), 'image/tiff'), { code: 'VALIDATION_FAILED' });
    assert.throws(() => checkArrivingFile(Buffer.from('%PDF-1.4 x'), 'text/html'), { code: 'VALIDATION_FAILED' });
    assert.throws(() => checkArrivingFile(Buffer.alloc(0)), { code: 'VALIDATION_FAILED' });
  });

  it('over the size limit is BODY_TOO_LARGE (413)', () => {
    const big = Buffer.alloc(maxIntakeBytes + 1);
    big.write('%PDF-1.4');
    assert.throws(() => checkArrivingFile(big), { code: 'BODY_TOO_LARGE' });
    assert.equal(errorCodes.BODY_TOO_LARGE.status, 413);
  });

  it('refuses base64 with a character outside the alphabet, naming the field', () => {
    assert.deepEqual(decodeBase64('JVBE Rg==', 'data'), Buffer.from('%PDF'));
    assert.throws(
      () => decodeBase64('!!!!', 'data'),
      (e: { details: { path: string }[] }) => e.details[0]?.path === 'data',
    );
  });
});

describe("a provider's webhook signature", () => {
  const secret = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
  const now = new Date('2026-12-07T10:00:00Z');
  const ts = now.getTime() / 1000;

  it('accepts its own signature among others, and refuses a changed body, an old timestamp, a missing header', () => {
    const sig = signWebhook(secret, 'msg_1', ts, '{"a":1}');
    verifyWebhook(secret, { id: 'msg_1', timestamp: String(ts), signature: `v1,AAAA ${sig}` }, '{"a":1}', now);
    const refused = (h: Parameters<typeof verifyWebhook>[1], body = '{"a":1}', at = now) =>
      assert.throws(() => verifyWebhook(secret, h, body, at), { code: 'WEBHOOK_SIGNATURE_INVALID' });
    refused({ id: 'msg_1', timestamp: String(ts), signature: sig }, '{"a":2}');
    refused({ id: 'msg_1', timestamp: String(ts), signature: sig }, '{"a":1}', new Date(now.getTime() + 301_000));
    refused({ id: 'msg_1', timestamp: String(ts) });
    refused({ id: 'msg_2', timestamp: String(ts), signature: sig });
  });
});

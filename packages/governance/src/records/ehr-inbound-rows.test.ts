import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { contentHashOf } from './ehr-inbound-rows.js';

/** The rule stated once, plainly: BOM dropped, CRLF and LF made CR, trailing CRs dropped, SHA-256. */
const byTheRule = (raw: string): string =>
  createHash('sha256')
    .update((raw.startsWith('\uFEFF') ? raw.slice(1) : raw).replace(/\r\n|\n/g, '\r').replace(/\r+$/, ''), 'utf8')
    .digest('hex');

describe('contentHashOf', () => {
  const message =
    'MSH|^~\\&|LAB|NORTH|STEWARD|NORTH|20240101||ORU^R01|C1|P|2.5\rPID|1||123^^^H^MR||DOE^JANE\rOBX|1|TX|x||é';

  it('gives a resend the same hash whatever its line breaks, byte-order mark or trailing breaks', () => {
    const h = contentHashOf(message);
    for (const variant of [
      message.replace(/\r/g, '\n'),
      message.replace(/\r/g, '\r\n'),
      `\uFEFF${message}`,
      `${message}\r\r`,
      `${message.replace(/\r/g, '\r\n')}\r\n\n`,
    ])
      assert.equal(contentHashOf(variant), h);
    assert.notEqual(contentHashOf(`${message}X`), h);
  });

  it('follows the stated rule exactly, on edge inputs too', () => {
    for (const raw of ['', '\r', '\n', '\r\n\r', 'a\rb\nc\r\nd\r\r', '\uFEFF', '\uFEFF\r\n', message])
      assert.equal(contentHashOf(raw), byTheRule(raw), JSON.stringify(raw));
  });
});

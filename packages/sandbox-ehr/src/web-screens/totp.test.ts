import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatDate, parseDate } from './dates.js';
import { base32Decode, totpCode, verifyTotp } from './totp.js';

// RFC 6238 appendix B (SHA-1 seed "12345678901234567890"), the last six of its eight digits.
const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP', () => {
  it('matches the RFC 6238 test vectors', () => {
    assert.equal(base32Decode(rfcSecret).toString('utf8'), '12345678901234567890');
    assert.equal(totpCode(rfcSecret, 59_000), '287082');
    assert.equal(totpCode(rfcSecret, 1_111_111_109_000), '081804');
    assert.equal(totpCode(rfcSecret, 1_234_567_890_000), '005924');
    assert.equal(totpCode(rfcSecret, 20_000_000_000_000), '353130');
  });

  it('accepts one step of drift either way and nothing further', () => {
    const at = 1_234_567_890_000;
    assert.ok(verifyTotp(rfcSecret, totpCode(rfcSecret, at - 30_000), at));
    assert.ok(verifyTotp(rfcSecret, totpCode(rfcSecret, at + 30_000), at));
    assert.ok(!verifyTotp(rfcSecret, totpCode(rfcSecret, at - 90_000), at));
    assert.ok(!verifyTotp(rfcSecret, 'abcdef', at));
    assert.throws(() => base32Decode('not base32!'));
  });
});

describe('clinic date formats', () => {
  it('shows and parses each format strictly', () => {
    assert.equal(formatDate('2026-03-09', 'MM/dd/yyyy'), '03/09/2026');
    assert.equal(formatDate('2026-03-09T10:00:00Z', 'dd.MM.yyyy'), '09.03.2026');
    assert.equal(parseDate('03/09/2026', 'MM/dd/yyyy'), '2026-03-09');
    assert.equal(parseDate('09.03.2026', 'dd.MM.yyyy'), '2026-03-09');
    assert.equal(parseDate('2026-03-09', 'yyyy-MM-dd'), '2026-03-09');
    assert.equal(parseDate('2026-03-09', 'MM/dd/yyyy'), undefined);
    assert.equal(parseDate('02/30/2026', 'MM/dd/yyyy'), undefined);
    assert.equal(parseDate('3/9/2026', 'MM/dd/yyyy'), undefined);
  });
});

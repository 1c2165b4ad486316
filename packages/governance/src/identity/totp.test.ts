import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '@steward/core/testing';
import { checkTotp, generateTotpSecret, totpCode, totpStep, totpUri } from './totp.js';

describe('TOTP (RFC 6238)', () => {
  const secret = generateTotpSecret();

  it('matches the RFC 6238 SHA-1 test vector', () => {
    // RFC 6238 appendix B: secret "12345678901234567890", T=59 s -> 94287082 (8 digits); 6 digits: 287082.
    const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    assert.equal(totpCode(rfcSecret, new Date(59_000)), '287082');
  });

  it('accepts the current code and returns its step', () => {
    const clock = new ManualClock('2026-03-02T09:00:10Z');
    const check = checkTotp(secret, totpCode(secret, clock.now()), clock.now(), null);
    assert.deepEqual(check, { ok: true, step: totpStep(clock.now()) });
  });

  it('accepts the previous and next step (drift), and refuses two steps away', () => {
    const clock = new ManualClock('2026-03-02T09:00:10Z');
    const now = clock.now();
    const at = (s: number) => new Date(now.getTime() + s * 30_000);
    assert.equal(checkTotp(secret, totpCode(secret, at(-1)), now, null).ok, true);
    assert.equal(checkTotp(secret, totpCode(secret, at(1)), now, null).ok, true);
    assert.deepEqual(checkTotp(secret, totpCode(secret, at(-2)), now, null), { ok: false, reason: 'bad_totp' });
    assert.deepEqual(checkTotp(secret, totpCode(secret, at(2)), now, null), { ok: false, reason: 'bad_totp' });
  });

  it('refuses a wrong code and anything that is not six digits', () => {
    const now = new ManualClock().now();
    const good = totpCode(secret, now);
    const wrong = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
    for (const code of [wrong, '', '12345', '1234567', 'abcdef', ` ${good}`]) {
      assert.equal(checkTotp(secret, code, now, null).ok, false, code);
    }
  });

  it('refuses a replayed code: a step may be used once, and never an earlier one', () => {
    const clock = new ManualClock('2026-03-02T09:00:10Z');
    const code = totpCode(secret, clock.now());
    const first = checkTotp(secret, code, clock.now(), null);
    assert.ok(first.ok);
    assert.deepEqual(checkTotp(secret, code, clock.now(), first.step), { ok: false, reason: 'totp_replayed' });
    clock.advance(30_000); // still inside the window, still refused
    assert.deepEqual(checkTotp(secret, code, clock.now(), first.step), { ok: false, reason: 'totp_replayed' });
    assert.equal(checkTotp(secret, totpCode(secret, clock.now()), clock.now(), first.step).ok, true);
  });

  it('builds an otpauth:// enrolment URI', () => {
    const uri = new URL(totpUri(secret, 'j.smith'));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(uri.searchParams.get('secret'), secret);
    assert.equal(uri.searchParams.get('issuer'), 'Steward');
    assert.equal(uri.searchParams.get('digits'), '6');
    assert.equal(uri.searchParams.get('period'), '30');
    assert.equal(uri.searchParams.get('algorithm'), 'SHA1');
  });
});

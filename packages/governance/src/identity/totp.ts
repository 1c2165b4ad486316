/**
 * @module Time-based one-time passwords (RFC 6238): SHA-1, 6 digits, 30-second steps, accepting
 * the step before and after the current one for clock drift. What an authenticator app expects.
 *
 * Replay: a code is good once. The caller stores the last accepted step (`users.totp_last_step`)
 * and refuses any code whose step is not later (RFC 6238 section 5.2).
 */
import { Secret, TOTP } from 'otpauth';

const period = 30;
const digits = 6;
const window = 1;

/** A fresh 160-bit secret (RFC 4226 recommends 160 bits), base32 as authenticator apps take it. */
export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The `otpauth://totp/...` URI an authenticator app scans (as a QR code) at enrolment. */
export function totpUri(secretBase32: string, username: string, issuer = 'Steward'): string {
  return new TOTP({ issuer, label: username, secret: Secret.fromBase32(secretBase32), digits, period }).toString();
}

/** The 30-second step `at` falls in. */
export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / period);
}

/** The code for `at`. For tests and enrolment checks; login never generates codes. */
export function totpCode(secretBase32: string, at: Date): string {
  return TOTP.generate({ secret: Secret.fromBase32(secretBase32), digits, period, timestamp: at.getTime() });
}

export type TotpCheck =
  { readonly ok: true; readonly step: number } | { readonly ok: false; readonly reason: 'bad_totp' | 'totp_replayed' };

/**
 * Checks `code` at `now` against steps now-1, now, now+1. `lastStep` is the last step accepted for
 * this user; a code from that step or earlier is a replay. On success, the caller must record
 * `step` atomically (compare-and-set) so two concurrent logins cannot both use it.
 */
export function checkTotp(secretBase32: string, code: string, now: Date, lastStep: number | null): TotpCheck {
  if (!/^\d{6}$/.test(code)) return { ok: false, reason: 'bad_totp' };
  const delta = TOTP.validate({
    token: code,
    secret: Secret.fromBase32(secretBase32),
    digits,
    period,
    timestamp: now.getTime(),
    window,
  });
  if (delta === null) return { ok: false, reason: 'bad_totp' };
  const step = totpStep(now) + delta;
  if (lastStep !== null && step <= lastStep) return { ok: false, reason: 'totp_replayed' };
  return { ok: true, step };
}

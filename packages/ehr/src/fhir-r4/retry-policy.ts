/** @module When to retry an EHR request and how long to wait: backoff with full jitter, Retry-After, safe-to-resend rules. */
import type { RandomSource } from './http-transport.js';

export interface RetryOptions {
  /** Attempts in all, the first included. Default 4. */
  readonly maxAttempts?: number;
  /** First backoff ceiling; doubles each attempt. Default 200 ms. */
  readonly baseDelayMs?: number;
  /** Highest backoff ceiling. Default 5 s. */
  readonly maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the call fails with EHR_RATE_LIMITED. Default 60 s. */
  readonly maxRetryAfterMs?: number;
}

export const defaultRetry: Required<RetryOptions> = {
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 60_000,
};

/** "Full jitter": uniform in [0, min(max, base * 2^(attempt-1))), so many clients do not retry in step. */
export function backoffDelay(attempt: number, options: Required<RetryOptions>, random: RandomSource): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Retry-After as milliseconds from `nowMs`: delta-seconds or an HTTP date. Undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d{1,9}$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Statuses worth another try of an idempotent request: the server or a gateway was briefly unwell. */
export function isRetryableStatus(status: number): boolean {
  return status === 500 || status === 502 || status === 503 || status === 504;
}

/** Methods that are safe to send twice (RFC 9110 §9.2.2, minus the ones a FHIR client never uses). */
export function isIdempotentMethod(method: string): boolean {
  const m = method.toUpperCase();
  return m === 'GET' || m === 'HEAD' || m === 'OPTIONS';
}

/**
 * Error codes raised while connecting, before any byte of the request left: resending is then safe
 * even for a POST. Anything else (reset, closed socket, time-out) may come after the server got it.
 */
const beforeSendCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export function failedBeforeSending(e: unknown): boolean {
  let current: unknown = e;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && beforeSendCodes.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

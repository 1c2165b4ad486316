import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, defaultRetry, failedBeforeSending, parseRetryAfter } from './retry-policy.js';

describe('retry policy', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('5', now), 5000);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
  });

  it('full jitter stays below a doubling ceiling capped at maxDelayMs', () => {
    const o = { ...defaultRetry, baseDelayMs: 100, maxDelayMs: 1000 };
    assert.equal(
      backoffDelay(1, o, () => 0.999),
      99,
    );
    assert.equal(
      backoffDelay(3, o, () => 0.999),
      399,
    );
    assert.equal(
      backoffDelay(10, o, () => 0.999),
      999,
    );
    assert.equal(
      backoffDelay(10, o, () => 0),
      0,
    );
  });

  it('recognises connect-time failures through the cause chain', () => {
    assert.equal(failedBeforeSending(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })), true);
    assert.equal(failedBeforeSending(new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } })), false);
    assert.equal(failedBeforeSending(new Error('x')), false);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '@steward/core';
import { CircuitBreaker } from './circuit-breaker.js';

describe('CircuitBreaker', () => {
  it('opens on a failure rate even without consecutive failures', () => {
    const b = new CircuitBreaker({
      consecutiveFailures: 100,
      failureRate: 0.5,
      windowSize: 10,
      minimumCalls: 10,
      clock: new ManualClock(),
    });
    for (let i = 0; i < 9; i++) {
      const ticket = b.acquire();
      if (i % 2 === 0) ticket.failure();
      else ticket.success();
    }
    assert.equal(b.state, 'closed'); // 5 of 9: below the minimum number of calls
    b.acquire().success(); // 5 of 10 failed
    assert.equal(b.state, 'open');
    assert.throws(() => b.acquire(), { code: 'EHR_UNAVAILABLE' });
  });

  it('lets exactly one probe through when half-open; an abandoned probe frees the slot', () => {
    const clock = new ManualClock();
    const b = new CircuitBreaker({ consecutiveFailures: 1, coolDownMs: 1000, clock });
    b.acquire().failure();
    assert.equal(b.state, 'open');
    clock.advance(1000);
    assert.equal(b.state, 'half-open');
    const probe = b.acquire();
    assert.throws(() => b.acquire(), { code: 'EHR_UNAVAILABLE' });
    probe.abandon();
    const probe2 = b.acquire();
    probe2.success();
    assert.equal(b.state, 'closed');
  });

  it('a late result from before the circuit opened neither closes nor re-opens it', () => {
    const clock = new ManualClock();
    const b = new CircuitBreaker({ consecutiveFailures: 1, coolDownMs: 1000, clock });
    const late = b.acquire();
    b.acquire().failure();
    late.success();
    assert.equal(b.state, 'open');
  });
});

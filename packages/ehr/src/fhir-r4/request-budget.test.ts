import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '@steward/core';
import { RequestBudget } from './request-budget.js';
import type { Sleep } from './http-transport.js';

/** Virtual time: sleepers wake only when the test advances the clock, so nothing depends on machine speed. */
function virtualTime() {
  const clock = new ManualClock();
  let timers: { at: number; wake: () => void }[] = [];
  const sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      const timer = { at: clock.now().getTime() + ms, wake: resolve };
      timers.push(timer);
      signal?.addEventListener('abort', () => {
        timers = timers.filter((t) => t !== timer);
        reject(new Error('aborted'));
      });
    });
  const settle = () => new Promise<void>((r) => setImmediate(r));
  /** Moves to the next timer and wakes it; false when none is pending. */
  const step = async (): Promise<boolean> => {
    await settle();
    const next = timers.sort((a, b) => a.at - b.at)[0];
    if (next === undefined) return false;
    timers = timers.filter((t) => t !== next);
    clock.advance(Math.max(0, next.at - clock.now().getTime()));
    next.wake();
    await settle();
    return true;
  };
  return { clock, sleep, step, settle };
}

describe('RequestBudget', () => {
  it('grants at most burst + rate × W in any window W, in order, with virtual time', async () => {
    const t = virtualTime();
    const budget = new RequestBudget({
      requestsPerSecond: 5,
      burst: 3,
      maxConcurrent: 100,
      maxWaitMs: 60_000,
      clock: t.clock,
      sleep: t.sleep,
    });
    const grants: { i: number; at: number }[] = [];
    const all = Array.from({ length: 20 }, (_, i) =>
      budget.acquire().then((release) => {
        grants.push({ i, at: t.clock.now().getTime() });
        release();
      }),
    );
    while (grants.length < 20 && (await t.step()));
    await Promise.all(all);
    assert.deepEqual(
      grants.map((g) => g.i),
      Array.from({ length: 20 }, (_, i) => i),
    );
    for (const W of [0, 199, 1000, 2000]) {
      for (const g of grants) {
        const n = grants.filter((h) => h.at >= g.at && h.at <= g.at + W).length;
        assert.ok(n <= 3 + (5 * W) / 1000 + 1e-9, `${n} grants within ${W} ms`);
      }
    }
    // 3 at once, then one per 200 ms: the 20th at 17 × 200 ms.
    assert.equal(grants.at(-1)?.at, new Date('2026-01-01T00:00:00Z').getTime() + 17 * 200);
  });

  it('never holds more than maxConcurrent slots; a release lets the next waiter in', async () => {
    const t = virtualTime();
    const budget = new RequestBudget({
      requestsPerSecond: 1000,
      burst: 1000,
      maxConcurrent: 2,
      clock: t.clock,
      sleep: t.sleep,
    });
    const releases: (() => void)[] = [];
    let granted = 0;
    for (let i = 0; i < 5; i++) void budget.acquire().then((r) => (granted++, releases.push(r)));
    await t.settle();
    assert.equal(granted, 2);
    assert.equal(budget.inFlight, 2);
    releases[0]?.();
    releases[0]?.(); // a second release of the same permit changes nothing
    await t.settle();
    assert.equal(granted, 3);
    assert.equal(budget.inFlight, 2);
  });

  it('rejects waiters whose deadline passes with EHR_BUDGET_EXHAUSTED', async () => {
    const t = virtualTime();
    const budget = new RequestBudget({
      requestsPerSecond: 1,
      burst: 1,
      maxConcurrent: 1,
      maxWaitMs: 500,
      clock: t.clock,
      sleep: t.sleep,
    });
    const first = await budget.acquire();
    const second = budget.acquire();
    const outcome = second.then(
      () => 'granted',
      (e: { code?: string }) => e.code,
    );
    while (await t.step());
    assert.equal(await outcome, 'EHR_BUDGET_EXHAUSTED');
    first();
  });
});

/** @module The per-connection request budget: a token bucket (rate + burst) and a concurrency cap the client never exceeds. */
import { OperationalError, systemClock } from '@steward/core';
import type { Clock } from '@steward/core';
import { realSleep } from './http-transport.js';
import type { Sleep } from './http-transport.js';

export interface RequestBudgetOptions {
  /** Sustained requests per second. */
  readonly requestsPerSecond: number;
  /** Requests that may go at once after a quiet spell (bucket size). At least 1. */
  readonly burst: number;
  /** Requests in flight at once. */
  readonly maxConcurrent: number;
  /** How long a caller waits for capacity when it gives no deadline of its own. Default 30 s. */
  readonly maxWaitMs?: number;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
}

/** Gives back the concurrency slot; safe to call more than once. */
export type BudgetRelease = () => void;

interface Waiter {
  readonly deadline: number;
  readonly resolve: (release: BudgetRelease) => void;
  readonly reject: (e: Error) => void;
}

/**
 * Callers queue first-in first-out and wait for both a token and a free slot, up to their deadline;
 * then EHR_BUDGET_EXHAUSTED. Guarantee: in any interval of length W (by the injected clock), at most
 * `burst + requestsPerSecond * W` permits are granted, and never more than `maxConcurrent` are held.
 * Known limit: per process; several processes against one EHR need their own share of its limits.
 */
export class RequestBudget {
  readonly #rate: number;
  readonly #burst: number;
  readonly #maxConcurrent: number;
  readonly #maxWaitMs: number;
  readonly #clock: Clock;
  readonly #sleep: Sleep;
  #tokens: number;
  #last: number;
  #inUse = 0;
  #queue: Waiter[] = [];
  #pumping = false;
  #onRelease: (() => void) | undefined;

  constructor(options: RequestBudgetOptions) {
    if (!(options.requestsPerSecond > 0) || !(options.burst >= 1) || !(options.maxConcurrent >= 1)) {
      throw new RangeError('request budget: requestsPerSecond > 0, burst >= 1 and maxConcurrent >= 1 are required');
    }
    this.#rate = options.requestsPerSecond;
    this.#burst = Math.floor(options.burst);
    this.#maxConcurrent = Math.floor(options.maxConcurrent);
    this.#maxWaitMs = options.maxWaitMs ?? 30_000;
    this.#clock = options.clock ?? systemClock;
    this.#sleep = options.sleep ?? realSleep;
    this.#tokens = this.#burst;
    this.#last = this.#clock.now().getTime();
  }

  /** Requests currently holding a slot. */
  get inFlight(): number {
    return this.#inUse;
  }

  /** Waits for capacity until `deadline` (epoch ms by the injected clock), then EHR_BUDGET_EXHAUSTED. */
  acquire(deadline?: number): Promise<BudgetRelease> {
    const limit = Math.min(deadline ?? Infinity, this.#clock.now().getTime() + this.#maxWaitMs);
    return new Promise<BudgetRelease>((resolve, reject) => {
      this.#queue.push({ deadline: limit, resolve, reject });
      void this.#pump();
    });
  }

  #refill(now: number): void {
    const elapsed = Math.max(0, now - this.#last);
    this.#tokens = Math.min(this.#burst, this.#tokens + (elapsed / 1000) * this.#rate);
    this.#last = Math.max(this.#last, now);
  }

  #release(): BudgetRelease {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inUse--;
      const wake = this.#onRelease;
      this.#onRelease = undefined;
      wake?.();
      void this.#pump();
    };
  }

  /** One loop at a time hands out permits in queue order; it sleeps only for the next token or deadline. */
  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      for (;;) {
        const now = this.#clock.now().getTime();
        const expired = this.#queue.filter((w) => w.deadline <= now);
        if (expired.length > 0) {
          this.#queue = this.#queue.filter((w) => w.deadline > now);
          for (const w of expired) {
            w.reject(new OperationalError('EHR_BUDGET_EXHAUSTED', 'EHR request budget exhausted before the deadline'));
          }
        }
        const head = this.#queue[0];
        if (head === undefined) return;
        this.#refill(now);
        if (this.#inUse < this.#maxConcurrent && this.#tokens >= 1) {
          this.#tokens -= 1;
          this.#inUse++;
          this.#queue.shift();
          head.resolve(this.#release());
          continue;
        }
        const earliestDeadline = Math.min(...this.#queue.map((w) => w.deadline));
        const control = new AbortController();
        const waits: Promise<void>[] = [];
        if (this.#inUse >= this.#maxConcurrent) {
          waits.push(new Promise<void>((resolve) => (this.#onRelease = resolve)));
          waits.push(this.#sleep(earliestDeadline - now, control.signal).catch(() => undefined));
        } else {
          const tokenAt = now + Math.ceil(((1 - this.#tokens) / this.#rate) * 1000);
          waits.push(this.#sleep(Math.min(tokenAt, earliestDeadline) - now, control.signal).catch(() => undefined));
        }
        await Promise.race(waits);
        control.abort();
        this.#onRelease = undefined;
      }
    } finally {
      this.#pumping = false;
    }
  }
}

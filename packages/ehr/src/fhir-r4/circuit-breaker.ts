/** @module A circuit breaker per EHR connection: stop calling a server that keeps failing, probe it after a cool-down. */
import { OperationalError, systemClock } from '@steward/core';
import type { Clock } from '@steward/core';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  readonly consecutiveFailures?: number;
  /** Failure rate (0..1) over the last `windowSize` outcomes that opens the circuit. Default 0.5. */
  readonly failureRate?: number;
  /** How many recent outcomes the failure rate is computed over. Default 20. */
  readonly windowSize?: number;
  /** The rate rule applies only once the window holds at least this many outcomes. Default 10. */
  readonly minimumCalls?: number;
  /** How long the circuit stays open before one probe may go through. Default 30 s. */
  readonly coolDownMs?: number;
  readonly clock?: Clock;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/** Permission for one attempt; exactly one of its methods must be called once the attempt ends. */
export interface CircuitTicket {
  success(): void;
  failure(): void;
  /** The attempt was never sent (budget wait failed, caller aborted): neither success nor failure. */
  abandon(): void;
}

/**
 * What counts as a failure is the caller's call (network errors, time-outs and 5xx; not 4xx, which
 * prove the server is up). Known limit: state is per process; several Steward processes each keep
 * their own breaker for the same server.
 */
export class CircuitBreaker {
  readonly #consecutiveLimit: number;
  readonly #rate: number;
  readonly #windowSize: number;
  readonly #minimumCalls: number;
  readonly #coolDownMs: number;
  readonly #clock: Clock;
  #state: CircuitState = 'closed';
  #consecutive = 0;
  #window: boolean[] = [];
  #openedAt = 0;
  #probeInFlight = false;

  constructor(options: CircuitBreakerOptions = {}) {
    this.#consecutiveLimit = options.consecutiveFailures ?? 5;
    this.#rate = options.failureRate ?? 0.5;
    this.#windowSize = options.windowSize ?? 20;
    this.#minimumCalls = options.minimumCalls ?? 10;
    this.#coolDownMs = options.coolDownMs ?? 30_000;
    this.#clock = options.clock ?? systemClock;
  }

  get state(): CircuitState {
    if (this.#state === 'open' && this.#clock.now().getTime() - this.#openedAt >= this.#coolDownMs) return 'half-open';
    return this.#state;
  }

  /** Lets one attempt through, or fails fast with EHR_UNAVAILABLE while the circuit is open. */
  acquire(): CircuitTicket {
    const state = this.state;
    if (state === 'open') throw new OperationalError('EHR_UNAVAILABLE', 'EHR circuit open: failing fast');
    if (state === 'half-open') {
      if (this.#probeInFlight) throw new OperationalError('EHR_UNAVAILABLE', 'EHR circuit half-open: probe in flight');
      this.#state = 'half-open';
      this.#probeInFlight = true;
      return this.#ticket(true);
    }
    return this.#ticket(false);
  }

  #ticket(probe: boolean): CircuitTicket {
    let done = false;
    const once = (f: () => void) => () => {
      if (done) return;
      done = true;
      f();
    };
    return {
      success: once(() => this.#record(true, probe)),
      failure: once(() => this.#record(false, probe)),
      abandon: once(() => {
        if (probe) {
          this.#probeInFlight = false;
          // Back to "open, cool-down over", so the next caller probes instead.
          this.#state = 'open';
        }
      }),
    };
  }

  #record(ok: boolean, probe: boolean): void {
    if (probe) this.#probeInFlight = false;
    // An attempt let through before the circuit opened ends late: it must neither close nor re-open it.
    if (this.#state !== 'closed' && !probe) return;
    if (probe) {
      if (ok) this.#reset();
      else this.#open();
      return;
    }
    this.#window.push(ok);
    if (this.#window.length > this.#windowSize) this.#window.shift();
    this.#consecutive = ok ? 0 : this.#consecutive + 1;
    const failures = this.#window.filter((x) => !x).length;
    const rateExceeded = this.#window.length >= this.#minimumCalls && failures / this.#window.length >= this.#rate;
    if (this.#consecutive >= this.#consecutiveLimit || rateExceeded) this.#open();
  }

  #open(): void {
    this.#state = 'open';
    this.#openedAt = this.#clock.now().getTime();
  }

  #reset(): void {
    this.#state = 'closed';
    this.#consecutive = 0;
    this.#window = [];
  }
}

/** @module Sends one logical request with retries, per-attempt time-outs, a deadline, the circuit breaker and the budget. */
import { OperationalError, isStewardError, systemClock } from '@steward/core';
import type { Clock } from '@steward/core';
import type { CircuitBreaker, CircuitTicket } from './circuit-breaker.js';
import type { HttpTransport, RandomSource, Sleep } from './http-transport.js';
import { readBodyCapped, realSleep } from './http-transport.js';
import type { RequestBudget } from './request-budget.js';
import {
  backoffDelay,
  defaultRetry,
  failedBeforeSending,
  isIdempotentMethod,
  isRetryableStatus,
  parseRetryAfter,
} from './retry-policy.js';
import type { RetryOptions } from './retry-policy.js';

export interface ResilienceOptions extends RetryOptions {
  /** Time-out of one attempt, body included. Default 15 s. */
  readonly attemptTimeoutMs?: number;
  /** Time-out of the whole call, waits and retries included. Default 60 s. */
  readonly deadlineMs?: number;
  /** Largest response body read; larger ones fail with FHIR_INVALID. Default 32 MiB. */
  readonly maxResponseBytes?: number;
}

export interface ResilientHttpDeps {
  readonly transport: HttpTransport;
  readonly breaker: CircuitBreaker;
  readonly budget: RequestBudget;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  readonly random?: RandomSource;
  readonly options?: ResilienceOptions;
}

export interface HttpRequest {
  readonly url: string;
  readonly method: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Marks a non-GET call as safe to resend (a conditional create, a search by POST). */
  readonly idempotent?: boolean;
  /** Headers computed per attempt (the bearer token, which may be refreshed between attempts). */
  readonly attemptHeaders?: () => Promise<Readonly<Record<string, string>>>;
  readonly signal?: AbortSignal;
}

export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/**
 * Returns the final HTTP response, whatever its status (the FHIR layer maps statuses to errors).
 * Throws only when there is no response to map: EHR_UNAVAILABLE (network, time-out, circuit open),
 * EHR_OUTCOME_UNKNOWN (a non-idempotent request may have reached the server), EHR_BUDGET_EXHAUSTED,
 * FHIR_INVALID (body over the size cap), or a governance error from the transport, unchanged.
 */
export class ResilientHttp {
  readonly #deps: ResilientHttpDeps;
  readonly #retry: Required<RetryOptions>;
  readonly #attemptTimeoutMs: number;
  readonly #deadlineMs: number;
  readonly #maxBytes: number;
  readonly #clock: Clock;
  readonly #sleep: Sleep;
  readonly #random: RandomSource;

  constructor(deps: ResilientHttpDeps) {
    const o = deps.options ?? {};
    this.#deps = deps;
    this.#retry = {
      maxAttempts: o.maxAttempts ?? defaultRetry.maxAttempts,
      baseDelayMs: o.baseDelayMs ?? defaultRetry.baseDelayMs,
      maxDelayMs: o.maxDelayMs ?? defaultRetry.maxDelayMs,
      maxRetryAfterMs: o.maxRetryAfterMs ?? defaultRetry.maxRetryAfterMs,
    };
    this.#attemptTimeoutMs = o.attemptTimeoutMs ?? 15_000;
    this.#deadlineMs = o.deadlineMs ?? 60_000;
    this.#maxBytes = o.maxResponseBytes ?? 32 * 1024 * 1024;
    this.#clock = deps.clock ?? systemClock;
    this.#sleep = deps.sleep ?? realSleep;
    this.#random = deps.random ?? Math.random;
  }

  async send(request: HttpRequest): Promise<HttpResult> {
    const idempotent = request.idempotent ?? isIdempotentMethod(request.method);
    const deadline = this.#clock.now().getTime() + this.#deadlineMs;
    let last: HttpResult | undefined;
    let lastError: Error | undefined;
    for (let attempt = 1; attempt <= this.#retry.maxAttempts; attempt++) {
      const remaining = deadline - this.#clock.now().getTime();
      if (remaining <= 0) break;
      const outcome = await this.#attempt(request, idempotent, deadline, remaining);
      let delay: number;
      if (outcome.kind === 'error') {
        lastError = outcome.error;
        last = undefined;
        delay = backoffDelay(attempt, this.#retry, this.#random);
      } else {
        last = outcome.result;
        lastError = undefined;
        const { status, headers } = outcome.result;
        const retryAfter = parseRetryAfter(headers.get('retry-after'), this.#clock.now().getTime());
        // A 429 means "not processed", so any method may be resent; a 5xx only an idempotent one.
        if (status === 429) {
          if (retryAfter !== undefined && retryAfter > this.#retry.maxRetryAfterMs) return last;
          delay = retryAfter ?? backoffDelay(attempt, this.#retry, this.#random);
        } else if (idempotent && isRetryableStatus(status)) {
          const backoff = backoffDelay(attempt, this.#retry, this.#random);
          delay =
            retryAfter !== undefined && retryAfter <= this.#retry.maxRetryAfterMs
              ? Math.max(backoff, retryAfter)
              : backoff;
        } else {
          return last;
        }
      }
      if (attempt === this.#retry.maxAttempts) break;
      if (this.#clock.now().getTime() + delay >= deadline) break;
      try {
        await this.#sleep(delay, request.signal);
      } catch (e) {
        throw unavailable('EHR request cancelled', e);
      }
    }
    if (last !== undefined) return last;
    throw lastError ?? new OperationalError('EHR_UNAVAILABLE', 'EHR request deadline passed');
  }

  async #attempt(
    request: HttpRequest,
    idempotent: boolean,
    deadline: number,
    remaining: number,
  ): Promise<{ kind: 'result'; result: HttpResult } | { kind: 'error'; error: Error }> {
    const extra = request.attemptHeaders !== undefined ? await request.attemptHeaders() : {};
    const ticket: CircuitTicket = this.#deps.breaker.acquire();
    let release: () => void;
    try {
      release = await this.#deps.budget.acquire(deadline);
    } catch (e) {
      ticket.abandon();
      throw e;
    }
    const timeout = AbortSignal.timeout(Math.max(1, Math.min(this.#attemptTimeoutMs, remaining)));
    const signal = request.signal !== undefined ? AbortSignal.any([timeout, request.signal]) : timeout;
    let sent = false;
    try {
      const init: RequestInit = {
        method: request.method,
        headers: { ...request.headers, ...extra },
        signal,
        redirect: 'manual',
        ...(request.body !== undefined ? { body: request.body } : {}),
      };
      const response = await this.#deps.transport(request.url, init);
      sent = true;
      const body = await readBodyCapped(response, this.#maxBytes);
      if (response.status >= 500) ticket.failure();
      else ticket.success();
      return { kind: 'result', result: { status: response.status, headers: response.headers, body } };
    } catch (e) {
      if (isStewardError(e)) {
        // Governance refused the request (egress), or the body was too large: the server is not at fault.
        if (sent) ticket.success();
        else ticket.abandon();
        throw e;
      }
      ticket.failure();
      if (request.signal?.aborted === true) {
        throw idempotent ? unavailable('EHR request cancelled', e) : outcomeUnknown(e);
      }
      if (!idempotent && (sent || !failedBeforeSending(e))) throw outcomeUnknown(e);
      const timedOut = timeout.aborted;
      return { kind: 'error', error: unavailable(timedOut ? 'EHR request timed out' : 'EHR unreachable', e) };
    } finally {
      release();
    }
  }
}

function unavailable(message: string, cause: unknown): OperationalError {
  return new OperationalError('EHR_UNAVAILABLE', message, [], { cause });
}

function outcomeUnknown(cause: unknown): OperationalError {
  return new OperationalError(
    'EHR_OUTCOME_UNKNOWN',
    'EHR write may have reached the server but no response arrived: read back before retrying',
    [],
    { cause },
  );
}

/**
 * @module How the applier retries a write that failed for a passing reason: how many tries, how
 * long between them (exponential with jitter, never sooner than the EHR asked with Retry-After).
 */
import { isStewardError } from '@steward/core';

/** How the applier retries a write that failed for a passing reason. */
export interface RetryPolicy {
  /** Tries of one approval in all, the first included; then it waits for a person. Default 6. */
  readonly maxAttempts?: number;
  /** Back-off before the second try; doubles each try, with jitter. Default 30 s. */
  readonly baseDelayMs?: number;
  /** Longest back-off (a longer Retry-After from the EHR is still honoured). Default 15 min. */
  readonly maxDelayMs?: number;
}

export const defaultRetryPolicy: Required<RetryPolicy> = {
  maxAttempts: 6,
  baseDelayMs: 30_000,
  maxDelayMs: 15 * 60_000,
};

/**
 * The wait before the next try: exponential, with "equal jitter" (half fixed, half random, so
 * appliers spread out but never retry at once), and never sooner than the EHR's Retry-After.
 */
export function retryDelay(
  attempts: number,
  policy: Required<RetryPolicy>,
  random: () => number,
  error?: unknown,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  const backoff = Math.floor(ceiling / 2 + random() * (ceiling / 2));
  return Math.max(backoff, retryAfterMs(error) ?? 0);
}

/** The EHR's Retry-After, carried by the FHIR client's error as the `http.retry-after` detail (seconds). */
function retryAfterMs(error: unknown): number | undefined {
  if (!isStewardError(error)) return undefined;
  const seconds = Number(error.details.find((d) => d.path === 'http.retry-after')?.message);
  // Honoured up to a day: a longer one is a misconfigured server, not a plan.
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 86_400) * 1000 : undefined;
}

/** Runs `work` over `items`, at most `limit` at a time. */
export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(lanes);
}

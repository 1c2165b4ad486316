/** @module The one function every FHIR and token request goes out through, and the small injectable helpers around it. */
import { UserError } from '@steward/core';

/**
 * Sends one HTTP request. Production passes a function that calls
 * `EgressRegistry.fetch(actor, url, { ...init, phi: true })`, so every request is authorized and
 * audited by governance; tests may pass the global `fetch`. The client never calls `fetch` itself.
 */
export type HttpTransport = (url: string, init: RequestInit) => Promise<Response>;

/** Waits `ms` milliseconds, or rejects when `signal` aborts. Injected so retries are testable without waiting. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** A uniform random number in [0, 1). Injected so jitter is deterministic in tests. */
export type RandomSource = () => number;

export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Reads the body as text, refusing more than `maxBytes` (checked on Content-Length and while streaming). */
export async function readBodyCapped(response: Response, maxBytes: number): Promise<string> {
  const tooLarge = (): UserError => new UserError('FHIR_INVALID', `EHR response body exceeds ${maxBytes} bytes`);
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const chunk = (await reader.read()) as { done: boolean; value?: Uint8Array };
    const value = chunk.value;
    if (chunk.done || value === undefined) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}

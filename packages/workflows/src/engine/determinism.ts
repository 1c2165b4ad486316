/**
 * @module What makes a step reproducible: ids derived from (workflow id, step, n), and a digest of
 * the state in canonical JSON (sorted keys: jsonb does not keep key order), so a replay can
 * compare the state after every step without storing each one.
 */
import { createHash } from 'node:crypto';
import type { DecideContext, Json } from './types.js';

/** A UUID (version 8, RFC 9562's custom layout) derived from the workflow id, step and counter. */
export function derivedId(workflowId: string, step: number, n: number): string {
  const h = createHash('sha256').update(`${workflowId}/${step}/${n}`).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x80;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

export function makeContext(workflowId: string, correlationKey: string, step: number, now: Date): DecideContext {
  let n = 0;
  return {
    workflowId,
    correlationKey,
    step,
    now: new Date(now.getTime()),
    newId: () => derivedId(workflowId, step, n++),
  };
}

/** JSON with object keys sorted at every level. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

export function stateDigest(state: Json): string {
  return createHash('sha256').update(canonicalJson(state)).digest('base64url').slice(0, 22);
}

/**
 * A value as it comes back from jsonb: decide's output is stored and later read, so the engine
 * hands decide only values that survive that round trip (no undefined, no Date objects).
 */
export function asStoredJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

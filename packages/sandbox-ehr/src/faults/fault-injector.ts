/**
 * @module Fault injection for tests: per-rule latency, 5xx, 429 with Retry-After, time-outs, dropped connections,
 * "committed but the response was lost", and the two time-outs that hide a write: committed at once and never
 * answered (`commit-then-timeout`), and held past the client's time-out and committed after it gave up
 * (`late-commit`). Deterministic from a seed, so a failing test replays the same faults.
 *
 * The injector only decides; the HTTP server carries the decision out (see `FaultDecision`).
 */
import { ValidationError } from '@steward/core';

export const faultKinds = [
  'latency',
  'status',
  'rate-limit',
  'timeout',
  'drop',
  'lost-response',
  'commit-then-timeout',
  'late-commit',
] as const;
export type FaultKind = (typeof faultKinds)[number];

export interface FaultRule {
  /** HTTP method to match (any when absent). */
  readonly method?: string;
  /** Path prefix to match, e.g. `/fhir/R4/Appointment` (any when absent). */
  readonly pathPrefix?: string;
  /** Probability 0..1 that a matching request gets the fault. */
  readonly rate: number;
  readonly kind: FaultKind;
  /** For `latency`: the delay before the request is handled normally; for `late-commit`: before it is committed. */
  readonly latencyMs?: number;
  /** For `status`: the 5xx status to answer (default 503). */
  readonly status?: number;
  /** For `rate-limit`: the Retry-After seconds (default 1). */
  readonly retryAfterSeconds?: number;
  /** Stop injecting after this many injections (unlimited when absent). */
  readonly times?: number;
}

export type FaultDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'latency'; readonly ms: number }
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'rate-limit'; readonly retryAfterSeconds: number }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'drop' }
  | { readonly kind: 'lost-response' }
  /** Committed now; the answer never comes, so the client times out on a write that landed. */
  | { readonly kind: 'commit-then-timeout' }
  /** Not answered; committed `ms` later, after a client with a shorter time-out gave up on it. */
  | { readonly kind: 'late-commit'; readonly ms: number };

export type FaultCounters = Record<FaultKind, number>;

/** mulberry32: tiny, seedable, good enough to spread faults; not for anything secret. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function zeroCounters(): FaultCounters {
  return {
    latency: 0,
    status: 0,
    'rate-limit': 0,
    timeout: 0,
    drop: 0,
    'lost-response': 0,
    'commit-then-timeout': 0,
    'late-commit': 0,
  };
}

/** Validates rules from JSON (the `$sandbox/faults` endpoint) or code; all problems at once. */
export function parseFaultRules(input: unknown): FaultRule[] {
  const list: unknown = typeof input === 'object' && input !== null && 'rules' in input ? input.rules : input;
  if (!Array.isArray(list)) throw new ValidationError('faults must be an array of rules or {"rules": [...]}');
  const details: { path: string; message: string }[] = [];
  list.forEach((raw: unknown, i) => {
    const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const at = (field: string): string => `/rules/${i}/${field}`;
    if (!faultKinds.includes(r.kind as FaultKind))
      details.push({ path: at('kind'), message: `one of ${faultKinds.join(', ')}` });
    if (typeof r.rate !== 'number' || !(r.rate >= 0 && r.rate <= 1))
      details.push({ path: at('rate'), message: 'a number 0..1' });
    if (r.method !== undefined && typeof r.method !== 'string')
      details.push({ path: at('method'), message: 'a string' });
    if (r.pathPrefix !== undefined && typeof r.pathPrefix !== 'string')
      details.push({ path: at('pathPrefix'), message: 'a string' });
    if ((r.kind === 'latency' || r.kind === 'late-commit') && !(typeof r.latencyMs === 'number' && r.latencyMs >= 0)) {
      details.push({ path: at('latencyMs'), message: `required for ${String(r.kind)}, >= 0` });
    }
    if (r.status !== undefined && !(typeof r.status === 'number' && r.status >= 500 && r.status <= 599)) {
      details.push({ path: at('status'), message: 'a 5xx status' });
    }
    if (r.retryAfterSeconds !== undefined && !(typeof r.retryAfterSeconds === 'number' && r.retryAfterSeconds >= 0)) {
      details.push({ path: at('retryAfterSeconds'), message: '>= 0' });
    }
    if (r.times !== undefined && !(Number.isInteger(r.times) && (r.times as number) >= 0)) {
      details.push({ path: at('times'), message: 'an integer >= 0' });
    }
  });
  if (details.length > 0) throw new ValidationError('fault rules are invalid', details);
  return list as FaultRule[];
}

export interface FaultState {
  readonly rules: readonly FaultRule[];
  readonly counters: FaultCounters;
}

/** Holds the rules and decides, per request, which fault (if any) to inject. */
export class FaultInjector {
  #random: () => number;
  #rules: { rule: FaultRule; injected: number }[] = [];
  #counters = zeroCounters();
  readonly #seed: number;

  constructor(seed = 1) {
    this.#seed = seed;
    this.#random = seededRandom(seed);
  }

  /** Replaces every rule; the random sequence restarts from the seed, so the same rules give the same faults. */
  setRules(rules: readonly FaultRule[]): void {
    this.#rules = parseFaultRules(rules).map((rule) => ({ rule, injected: 0 }));
    this.#random = seededRandom(this.#seed);
  }

  /** Removes every rule and zeroes the counters. */
  clear(): void {
    this.#rules = [];
    this.#counters = zeroCounters();
  }

  /** How many faults of each kind were injected since the last `clear`. */
  get counters(): FaultCounters {
    return { ...this.#counters };
  }

  state(): FaultState {
    return { rules: this.#rules.map((r) => r.rule), counters: this.counters };
  }

  /** The fault for one request: the first matching rule whose draw falls under its rate. */
  decide(method: string, path: string): FaultDecision {
    for (const entry of this.#rules) {
      const { rule } = entry;
      if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (rule.pathPrefix !== undefined && !path.startsWith(rule.pathPrefix)) continue;
      if (rule.times !== undefined && entry.injected >= rule.times) continue;
      if (this.#random() >= rule.rate) continue;
      entry.injected += 1;
      this.#counters[rule.kind] += 1;
      switch (rule.kind) {
        case 'latency':
          return { kind: 'latency', ms: rule.latencyMs ?? 0 };
        case 'status':
          return { kind: 'status', status: rule.status ?? 503 };
        case 'rate-limit':
          return { kind: 'rate-limit', retryAfterSeconds: rule.retryAfterSeconds ?? 1 };
        case 'late-commit':
          return { kind: 'late-commit', ms: rule.latencyMs ?? 0 };
        case 'timeout':
        case 'drop':
        case 'lost-response':
        case 'commit-then-timeout':
          return { kind: rule.kind };
      }
    }
    return { kind: 'none' };
  }
}

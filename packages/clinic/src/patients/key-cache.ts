/**
 * @module What the index keeps in memory so an inbound event about a patient it knows costs no
 * statement: key (blind index, hex) → live patient, for keys read from the store. Bounded (least
 * recently used out) and short-lived (`ttlMs`), cleared on every merge this process makes.
 *
 * Only committed patients are kept: a key is cached when a lookup read it and its patient is
 * older than `settledMs` (a patient created in a writer transaction that then rolls back is never
 * cached). Known limit: a merge made by ANOTHER server process is seen here only when the entry
 * expires; until then an event may name the retired patient, which every lookup still follows to
 * the survivor (`merged_into`), so "who accessed this patient" still finds it.
 */
export interface CachedPatient {
  readonly patientId: string;
  readonly createdAt: Date;
  readonly hasDemographics: boolean;
}

export interface KeyCacheOptions {
  /** Most keys kept (default 200,000; 0 disables the cache). */
  readonly maxEntries?: number;
  /** How long an entry is trusted, in ms (default 60,000). */
  readonly ttlMs?: number;
}

const settledMs = 10_000;

export class PatientKeyCache {
  readonly #entries = new Map<string, { readonly value: CachedPatient; readonly until: number }>();
  readonly #max: number;
  readonly #ttl: number;

  constructor(options: KeyCacheOptions = {}) {
    this.#max = options.maxEntries ?? 200_000;
    this.#ttl = options.ttlMs ?? 60_000;
  }

  get(key: string, now: number): CachedPatient | undefined {
    const hit = this.#entries.get(key);
    if (hit === undefined) return undefined;
    this.#entries.delete(key);
    if (hit.until <= now) return undefined;
    this.#entries.set(key, hit); // most recently used last
    return hit.value;
  }

  /** Keeps what a lookup read, when its patient is settled (see the module comment). */
  remember(key: string, value: CachedPatient, now: number): void {
    if (this.#max === 0 || now - value.createdAt.getTime() < settledMs) return;
    this.#entries.delete(key);
    this.#entries.set(key, { value, until: now + this.#ttl });
    if (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
  }

  /** A merge changes which patient keys resolve to: forget everything. */
  clear(): void {
    this.#entries.clear();
  }
}

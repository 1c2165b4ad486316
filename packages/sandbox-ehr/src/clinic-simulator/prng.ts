/**
 * @module A small seeded PRNG: mulberry32, seeded from a string by FNV-1a.
 *
 * Why mulberry32: it is a well-known 32-bit generator (Tommy Ettinger's, public domain) that is
 * fast, passes the usual statistical test batteries well enough for simulation, has a single
 * 32-bit state that is trivial to reproduce in any language, and needs no library. It is NOT
 * cryptographic; it only has to make clinic days plausible and exactly repeatable.
 */

/** FNV-1a over UTF-16 code units: turns a seed string into a 32-bit state. */
export function hashSeed(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class SeededRandom {
  #state: number;

  constructor(seed: string | number) {
    this.#state = typeof seed === 'number' ? seed >>> 0 : hashSeed(seed);
  }

  /** The generator's whole state: `new SeededRandom(state)` continues the same sequence. */
  get state(): number {
    return this.#state;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element, or undefined for an empty list. */
  pick<T>(items: readonly T[]): T | undefined {
    if (items.length === 0) return undefined;
    return items[Math.floor(this.next() * items.length)];
  }

  /** One element chosen by weight; undefined when every weight is zero. */
  weighted<T>(items: readonly (readonly [T, number])[]): T | undefined {
    const total = items.reduce((s, [, w]) => s + w, 0);
    if (total <= 0) return undefined;
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1]?.[0];
  }

  /**
   * How many events of a Poisson process with the given mean happen in one step (Knuth's
   * method; fine for the small means a 15-minute step has).
   */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    const l = Math.exp(-mean);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= this.next();
    } while (p > l);
    return k - 1;
  }
}

/**
 * @module Reading settings from the environment: each reader collects every problem (naming the
 * variable) instead of stopping at the first, so a misconfigured deployment hears all at once.
 */
import { ConfigError, type ErrorDetail } from '@steward/core';

export class EnvReader {
  readonly problems: ErrorDetail[] = [];

  constructor(readonly env: NodeJS.ProcessEnv) {}

  /** The variable's value; unset and empty are the same (a blank line in an env file). */
  text(name: string): string | undefined {
    const raw = this.env[name];
    return raw === undefined || raw === '' ? undefined : raw;
  }

  refuse(name: string, message: string): void {
    this.problems.push({ path: name, message });
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.text(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.refuse(name, `must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return n;
  }

  onOff(name: string, fallback: boolean): boolean {
    const raw = this.text(name);
    if (raw === undefined) return fallback;
    if (raw === 'on' || raw === 'off') return raw === 'on';
    this.refuse(name, 'must be on or off');
    return fallback;
  }

  oneOf<T extends string>(name: string, values: readonly T[], fallback: T, message: string): T {
    const raw = this.text(name);
    if (raw === undefined) return fallback;
    if ((values as readonly string[]).includes(raw)) return raw as T;
    this.refuse(name, message);
    return fallback;
  }

  /** Both of a pair, or neither: the first name carries the problem. */
  pair(first: string, second: string): [string, string] | undefined {
    const a = this.text(first);
    const b = this.text(second);
    if ((a === undefined) !== (b === undefined)) this.refuse(first, `set both ${first} and ${second}, or neither`);
    return a !== undefined && b !== undefined ? [a, b] : undefined;
  }

  /** Throws one ConfigError with every problem found so far. */
  done(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}

/** Reads one section on its own: its value, or a ConfigError naming each bad variable. */
export function parseSection<T>(read: (r: EnvReader) => T, env: NodeJS.ProcessEnv = process.env): T {
  const r = new EnvReader(env);
  const section = read(r);
  r.done();
  return section;
}

/**
 * @module Password hashing (Argon2id, PHC strings) and the password policy.
 *
 * Argon2id is memory-hard: each guess costs `memoryCost` KiB of RAM, which blunts GPU and ASIC
 * cracking of a stolen `users` table. Defaults are OWASP's minimum (m=19 MiB, t=2, p=1).
 */
import { hash, verify, parseOptions, type Algorithm } from '@node-rs/argon2';
import { ValidationError } from '@steward/core';

// `Algorithm.Argon2id` is an ambient const enum, which isolated modules cannot read: its value is 2.
const argon2id = 2 as Algorithm;

export interface PasswordHasherOptions {
  /** KiB of memory per hash. Default 19456 (19 MiB). Tests may lower it; production should not. */
  readonly memoryCost?: number;
  /** Passes over memory. Default 2. */
  readonly timeCost?: number;
  /** Lanes. Default 1. */
  readonly parallelism?: number;
}

export const passwordPolicy = { minLength: 12, maxLength: 256 } as const;

/**
 * NIST SP 800-63B asks for Unicode normalization (NFKC or NFKD) before hashing, so the same
 * password typed on two keyboards verifies. Changing this later would invalidate stored hashes.
 */
function normalize(password: string): string {
  return password.normalize('NFKC');
}

/**
 * Throws a ValidationError naming the rule that failed (never echoing the password). Length rules
 * only, per NIST SP 800-63B: composition rules make passwords weaker, not stronger. Length is in
 * code points, so an emoji counts once.
 */
export function checkPasswordPolicy(password: string, username?: string): void {
  const length = [...normalize(password)].length;
  if (length < passwordPolicy.minLength) {
    throw new ValidationError(`password must be at least ${passwordPolicy.minLength} characters (rule: min_length)`, [
      { path: 'password', message: 'min_length' },
    ]);
  }
  if (length > passwordPolicy.maxLength) {
    throw new ValidationError(`password must be at most ${passwordPolicy.maxLength} characters (rule: max_length)`, [
      { path: 'password', message: 'max_length' },
    ]);
  }
  if (username !== undefined && normalize(password).toLowerCase().includes(username.toLowerCase())) {
    throw new ValidationError('password must not contain the username (rule: not_username)', [
      { path: 'password', message: 'not_username' },
    ]);
  }
}

export class PasswordHasher {
  readonly #options: { memoryCost: number; timeCost: number; parallelism: number; algorithm: Algorithm };
  #dummy: Promise<string> | undefined;

  constructor(options: PasswordHasherOptions = {}) {
    this.#options = {
      memoryCost: options.memoryCost ?? 19_456,
      timeCost: options.timeCost ?? 2,
      parallelism: options.parallelism ?? 1,
      algorithm: argon2id,
    };
  }

  /** A PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`) with a fresh random salt. */
  hash(password: string): Promise<string> {
    return hash(normalize(password), this.#options);
  }

  /** Whether `password` matches `phc`. A malformed stored hash verifies as false, never throws. */
  async verify(phc: string, password: string): Promise<boolean> {
    try {
      return await verify(phc, normalize(password));
    } catch {
      return false;
    }
  }

  /**
   * Spends the same time as `verify` against a real hash and answers false: used when the username
   * is unknown, so response time does not reveal which usernames exist.
   */
  async verifyNobody(password: string): Promise<false> {
    this.#dummy ??= this.hash('steward-dummy-password-for-unknown-users');
    await this.verify(await this.#dummy, password);
    return false;
  }

  /** Whether `phc` was made with other parameters than the current ones (rehash on next login). */
  needsRehash(phc: string): boolean {
    try {
      const p = parseOptions(phc);
      return (
        p.algorithm !== this.#options.algorithm ||
        p.memoryCost !== this.#options.memoryCost ||
        p.timeCost !== this.#options.timeCost ||
        p.parallelism !== this.#options.parallelism
      );
    } catch {
      return true;
    }
  }
}

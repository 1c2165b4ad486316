/**
 * @module Failed sign-ins counted per username AND client address, with back-off.
 *
 * Locking the account itself would let anyone who knows a username lock its owner out; here a
 * run of failures locks only that username from that address, each further lock twice as long
 * (up to a day). An administrator clears every lock of a user (`unlock`, audited by the caller).
 * Unknown usernames are counted exactly like known ones, so the work done for a guess (and its
 * timing) does not say whether the name exists. Usernames are kept as a keyed blind index.
 *
 * Known limit: an attacker with many addresses gets `maxFailures` guesses per address per lock
 * period; the per-address login rate limit and Argon2 bound that, and audit shows the pattern.
 */
import type { Clock } from '@steward/core';
import type { Database } from '@steward/store';
import type { FieldCipher } from '../crypto/field-cipher.js';

export interface LoginThrottleConfig {
  /** Failures in a row, from one address for one username, that lock that pair. Default 10. */
  readonly maxFailures?: number;
  /** The first lock's length; each further lock of the same pair doubles it. Default 15 minutes. */
  readonly lockoutMs?: number;
  /** The longest lock. Default 24 hours. */
  readonly maxLockoutMs?: number;
}

const minute = 60_000;

export class LoginThrottle {
  readonly #db: Database;
  readonly #cipher: FieldCipher;
  readonly #clock: Clock;
  readonly #c: Required<LoginThrottleConfig>;

  constructor(deps: { db: Database; cipher: FieldCipher; clock: Clock; config?: LoginThrottleConfig }) {
    this.#db = deps.db;
    this.#cipher = deps.cipher;
    this.#clock = deps.clock;
    this.#c = {
      maxFailures: deps.config?.maxFailures ?? 10,
      lockoutMs: deps.config?.lockoutMs ?? 15 * minute,
      maxLockoutMs: deps.config?.maxLockoutMs ?? 24 * 60 * minute,
    };
  }

  /** Whether this username is locked for this address right now. */
  async isLocked(username: string, source: string | undefined): Promise<boolean> {
    const { rows } = await this.#db.query<{ locked_until: Date | null }>(
      'select locked_until from login_failures where username_digest = $1 and source = $2',
      [this.#digest(username), source ?? ''],
    );
    const until = rows[0]?.locked_until ?? null;
    return until !== null && until.getTime() > this.#clock.now().getTime();
  }

  /** Counts one failure; the one that reaches the limit locks the pair for the next back-off step. */
  async failure(username: string, source: string | undefined): Promise<void> {
    const now = this.#clock.now();
    const first = this.#c.maxFailures <= 1;
    await this.#db.query(
      `insert into login_failures as f (username_digest, source, failures, locks, locked_until, updated_at)
       values ($1, $2, $7, $8, $9, $3)
       on conflict (username_digest, source) do update set
         failures = case when f.failures + 1 >= $4 then 0 else f.failures + 1 end,
         locks = case when f.failures + 1 >= $4 then f.locks + 1 else f.locks end,
         locked_until = case when f.failures + 1 >= $4
           then $3::timestamptz + make_interval(secs => least($5::float8 * power(2, f.locks), $6::float8) / 1000)
           else f.locked_until end,
         updated_at = $3`,
      [
        this.#digest(username),
        source ?? '',
        now,
        this.#c.maxFailures,
        this.#c.lockoutMs,
        this.#c.maxLockoutMs,
        first ? 0 : 1,
        first ? 1 : 0,
        first ? new Date(now.getTime() + this.#c.lockoutMs) : null,
      ],
    );
  }

  /** A successful sign-in from this address clears its count and back-off. */
  async success(username: string, source: string | undefined): Promise<void> {
    await this.#db.query('delete from login_failures where username_digest = $1 and source = $2', [
      this.#digest(username),
      source ?? '',
    ]);
  }

  /** Clears every count and lock of a username, from every address. Returns how many locks were in force. */
  async unlock(username: string): Promise<number> {
    const { rows } = await this.#db.query<{ locked_until: Date | null }>(
      'delete from login_failures where username_digest = $1 returning locked_until',
      [this.#digest(username)],
    );
    const now = this.#clock.now().getTime();
    return rows.filter((r) => r.locked_until !== null && r.locked_until.getTime() > now).length;
  }

  /** The latest lock in force for each username (any address), for the user list. */
  async lockedUntil(usernames: readonly string[]): Promise<Map<string, Date>> {
    const byDigest = new Map(usernames.map((u) => [this.#digest(u).toString('hex'), u]));
    const { rows } = await this.#db.query<{ username_digest: Uint8Array; until: Date }>(
      `select username_digest, max(locked_until) as until from login_failures
       where locked_until > $1 group by username_digest`,
      [this.#clock.now()],
    );
    const out = new Map<string, Date>();
    for (const r of rows) {
      const name = byDigest.get(Buffer.from(r.username_digest).toString('hex'));
      if (name !== undefined) out.set(name, r.until);
    }
    return out;
  }

  #digest(username: string): Buffer {
    return this.#cipher.blindIndex('login.username', username.trim().toLowerCase());
  }
}

/**
 * @module The user directory: create, list, disable, break-glass eligibility and TOTP enrolment.
 * Listing never returns a password hash or TOTP secret. Every change is audited.
 * It checks no permission: requests go through `AccountService` (accounts.ts), which decides
 * first; calling this directly is the bootstrap path (`steward init`, demo and local accounts),
 * with an explicit system actor.
 */
import { ConflictError, NotFoundError, ValidationError, newId, type Actor, type Clock } from '@steward/core';
import type { Database } from '@steward/store';
import type { AuditSink } from '../audit/audit-entry.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { LoginThrottle } from './login-throttle.js';
import { checkPasswordPolicy, type PasswordHasher } from './passwords.js';
import { checkTotp, generateTotpSecret, totpUri } from './totp.js';
import { auditActor, auditOrUndo, isUuid } from './identity-support.js';

/** Usernames and service account names: staff handles, lowercase, 3 to 64 characters. */
const handlePattern = /^[a-z0-9._-]{3,64}$/;

export function checkHandle(value: string, field: 'username' | 'name'): void {
  if (!handlePattern.test(value)) {
    throw new ValidationError(`${field} must be 3 to 64 characters of a-z, 0-9, '.', '_' or '-'`, [
      { path: field, message: 'handle_format' },
    ]);
  }
}

/** The AAD a user's TOTP secret is sealed with: the sealed value cannot be moved to another user. */
export function totpContext(userId: string): string {
  return `users.totp:${userId}`;
}

export interface UserSummary {
  readonly id: string;
  readonly username: string;
  readonly totpEnrolled: boolean;
  readonly breakGlassEligible: boolean;
  readonly lockedUntil: Date | null;
  readonly disabledAt: Date | null;
  readonly createdAt: Date;
}

export interface TotpEnrolment {
  /** Base32 secret, shown once to the user (or as a QR code of `uri`). Not stored until confirmed. */
  readonly secret: string;
  readonly uri: string;
}

export interface UserDirectoryDeps {
  readonly db: Database;
  readonly audit: AuditSink;
  readonly cipher: FieldCipher;
  readonly hasher: PasswordHasher;
  readonly clock: Clock;
  /** The issuer name authenticator apps show. Default 'Steward'. */
  readonly totpIssuer?: string;
  /** Where sign-in locks are kept (per username and address); by default one on `db`. */
  readonly throttle?: LoginThrottle;
}

interface UserRow {
  id: string;
  username: string;
  totp_enrolled: boolean;
  break_glass_eligible: boolean;
  disabled_at: Date | null;
  created_at: Date;
}

const summaryColumns = `id, username, totp_secret_enc is not null as totp_enrolled, break_glass_eligible,
  disabled_at, created_at`;

function toSummary(r: UserRow, lockedUntil: Date | null): UserSummary {
  return {
    id: r.id,
    username: r.username,
    totpEnrolled: r.totp_enrolled,
    breakGlassEligible: r.break_glass_eligible,
    lockedUntil,
    disabledAt: r.disabled_at,
    createdAt: r.created_at,
  };
}

export class UserDirectory {
  readonly #d: UserDirectoryDeps;
  readonly #throttle: LoginThrottle;

  constructor(deps: UserDirectoryDeps) {
    this.#d = deps;
    this.#throttle = deps.throttle ?? new LoginThrottle({ db: deps.db, cipher: deps.cipher, clock: deps.clock });
  }

  async create(input: { readonly username: string; readonly password: string }, by: Actor): Promise<UserSummary> {
    checkHandle(input.username, 'username');
    checkPasswordPolicy(input.password, input.username);
    const id = newId();
    const passwordHash = await this.#d.hasher.hash(input.password);
    const { rows } = await this.#d.db.query<UserRow>(
      `insert into users (id, username, password_hash, created_at) values ($1, $2, $3, $4)
       on conflict (username) do nothing returning ${summaryColumns}`,
      [id, input.username, passwordHash, this.#d.clock.now()],
    );
    const row = rows[0];
    if (row === undefined) throw new ConflictError('ALREADY_EXISTS', 'a user with this username already exists');
    await auditOrUndo(this.#d.audit, this.#entry(by, id, 'C', ['username', 'password']), () =>
      this.#d.db.query('delete from users where id = $1', [id]),
    );
    return toSummary(row, null);
  }

  /** Users by username; `lockedUntil` is the latest sign-in lock in force from any address. */
  async list(): Promise<UserSummary[]> {
    const { rows } = await this.#d.db.query<UserRow>(`select ${summaryColumns} from users order by username`);
    const locks = await this.#throttle.lockedUntil(rows.map((r) => r.username));
    return rows.map((r) => toSummary(r, locks.get(r.username) ?? null));
  }

  async get(userId: string): Promise<UserSummary> {
    const row = isUuid(userId)
      ? (await this.#d.db.query<UserRow>(`select ${summaryColumns} from users where id = $1`, [userId])).rows[0]
      : undefined;
    if (row === undefined) throw new NotFoundError('user');
    const locks = await this.#throttle.lockedUntil([row.username]);
    return toSummary(row, locks.get(row.username) ?? null);
  }

  /**
   * Clears every sign-in lock and failure count of the user, from every address (an
   * administrator's answer to a locked-out colleague). Audited with how many locks were lifted.
   */
  async unlock(userId: string, by: Actor): Promise<{ readonly locksLifted: number }> {
    const user = await this.get(userId);
    const locksLifted = await this.#throttle.unlock(user.username);
    await this.#d.audit.append({
      ...this.#entry(by, userId, 'U', ['login_failures']),
      reason: `unlocked:${locksLifted}`,
    });
    return { locksLifted };
  }

  /**
   * Sets a new password (policy-checked) and ends the user's sessions but `keepSessionId` (the
   * caller's own, when they change their own password). The caller has checked who may do this.
   */
  async setPassword(userId: string, password: string, by: Actor, keepSessionId?: string): Promise<void> {
    const user = await this.get(userId);
    checkPasswordPolicy(password, user.username);
    const hash = await this.#d.hasher.hash(password);
    const now = this.#d.clock.now();
    const { rows } = await this.#d.db.query<{ password_hash: string }>(
      'select password_hash from users where id = $1',
      [userId],
    );
    await this.#d.db.query('update users set password_hash = $2 where id = $1', [userId, hash]);
    await auditOrUndo(this.#d.audit, { ...this.#entry(by, userId, 'U', ['password']), reason: 'password_set' }, () =>
      this.#d.db.query('update users set password_hash = $2 where id = $1', [userId, rows[0]?.password_hash]),
    );
    // After the change is on record: whoever held an old session loses it.
    await this.#d.db.query(
      `update sessions set ended_at = $2, end_reason = 'password_changed'
       where user_id = $1 and ended_at is null and ($3::uuid is null or id <> $3)`,
      [userId, now, keepSessionId ?? null],
    );
  }

  /**
   * Disables the user, ends every open session and revokes every API token, in one transaction:
   * from the moment it commits, no credential of theirs authenticates. Idempotent.
   */
  async disable(userId: string, by: Actor): Promise<void> {
    await this.get(userId);
    const now = this.#d.clock.now();
    await this.#d.db.transaction(async (tx) => {
      await tx.query('update users set disabled_at = coalesce(disabled_at, $2) where id = $1', [userId, now]);
      await tx.query(
        `update sessions set ended_at = $2, end_reason = 'user_disabled' where user_id = $1 and ended_at is null`,
        [userId, now],
      );
      await tx.query(
        `update api_tokens set revoked_at = $2
         where principal_kind = 'user' and principal_id = $1 and revoked_at is null`,
        [userId, now],
      );
    });
    // Disabling is the safe direction, so it stands even if audit then fails; the caller sees the error.
    await this.#d.audit.append({ ...this.#entry(by, userId, 'U', ['disabled_at']), reason: 'user_disabled' });
  }

  async setBreakGlassEligible(userId: string, eligible: boolean, by: Actor): Promise<void> {
    const before = await this.get(userId);
    await this.#d.db.query('update users set break_glass_eligible = $2 where id = $1', [userId, eligible]);
    await auditOrUndo(
      this.#d.audit,
      { ...this.#entry(by, userId, 'U', ['break_glass_eligible']), reason: eligible ? 'granted' : 'withdrawn' },
      () =>
        this.#d.db.query('update users set break_glass_eligible = $2 where id = $1', [
          userId,
          before.breakGlassEligible,
        ]),
    );
  }

  /** Step one of enrolment: a fresh secret and its URI. Nothing is stored until `confirmTotp`. */
  async startTotpEnrolment(userId: string): Promise<TotpEnrolment> {
    const user = await this.get(userId);
    const secret = generateTotpSecret();
    return { secret, uri: totpUri(secret, user.username, this.#d.totpIssuer) };
  }

  /**
   * Step two: the user proves their app holds `secret` by sending a current code; only then is the
   * secret stored (sealed with the field cipher), replacing any earlier one. The code's step is
   * recorded, so that same code cannot then be used to log in.
   */
  async confirmTotp(userId: string, secret: string, code: string, by: Actor): Promise<void> {
    await this.get(userId);
    const check = checkTotp(secret, code, this.#d.clock.now(), null);
    if (!check.ok) {
      throw new ValidationError('the one-time code does not match the secret (rule: totp_confirm)', [
        { path: 'code', message: 'totp_confirm' },
      ]);
    }
    const { rows } = await this.#d.db.query<{ totp_secret_enc: Uint8Array | null; totp_last_step: number | null }>(
      'select totp_secret_enc, totp_last_step from users where id = $1',
      [userId],
    );
    const before = rows[0];
    const sealed = this.#d.cipher.encrypt(secret, totpContext(userId));
    await this.#d.db.query('update users set totp_secret_enc = $2, totp_last_step = $3 where id = $1', [
      userId,
      sealed,
      check.step,
    ]);
    await auditOrUndo(
      this.#d.audit,
      { ...this.#entry(by, userId, 'U', ['totp_secret']), reason: 'totp_enrolled' },
      () =>
        this.#d.db.query('update users set totp_secret_enc = $2, totp_last_step = $3 where id = $1', [
          userId,
          before?.totp_secret_enc ?? null,
          before?.totp_last_step ?? null,
        ]),
    );
  }

  #entry(by: Actor, userId: string, action: 'C' | 'U', fields: string[]) {
    return {
      actor: auditActor(by),
      event: 'admin.user_changed' as const,
      action,
      outcome: 'success' as const,
      entity: { kind: 'user', id: userId },
      fields,
    };
  }
}

/**
 * @module Interactive sessions: login with password and TOTP, idle and absolute time-outs, logout.
 *
 * Login fails closed: the session token is returned only after `auth.login` is durably audited.
 * Every failure gives the caller one of two answers (AUTH_MFA_REQUIRED when no code was sent,
 * AUTH_INVALID otherwise), whatever the cause, so responses cannot be used to probe usernames,
 * passwords or lock state; audit records the precise reason.
 */
import { AuthenticationError, newId, newSecret, type Actor, type Clock } from '@steward/core';
import type { Database } from '@steward/store';
import type { AuditSink } from '../audit/audit-entry.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { LoginThrottle } from './login-throttle.js';
import type { PasswordHasher } from './passwords.js';
import { checkTotp } from './totp.js';
import { totpContext } from './users.js';
import { anonymousActor, auditActor, auditSource, bytes, sha256, type RequestSource } from './identity-support.js';

export interface SessionConfig {
  /** A session unused this long ends. Default 15 minutes. */
  readonly idleTimeoutMs?: number;
  /** A session ends this long after login, however active. Default 12 hours. */
  readonly absoluteTimeoutMs?: number;
  /** Let users without TOTP log in with a password alone. Default false: MFA for everyone. */
  readonly allowPasswordOnly?: boolean;
  /** Failed logins in a row, for one username from one address, that lock that pair. Default 10. */
  readonly maxFailedLogins?: number;
  /** How long the first lock lasts; each further lock of the same pair doubles it. Default 15 minutes. */
  readonly lockoutMs?: number;
}

export interface SessionManagerDeps {
  readonly db: Database;
  readonly audit: AuditSink;
  readonly cipher: FieldCipher;
  readonly hasher: PasswordHasher;
  readonly clock: Clock;
  readonly config?: SessionConfig;
  /** Counts failures per username and address; by default one built from `config`. */
  readonly throttle?: LoginThrottle;
}

export interface LoginInput {
  readonly username: string;
  readonly password: string;
  readonly totpCode?: string;
}

export interface LoginResult {
  /** The bearer secret (`sts_…`). Only its SHA-256 is stored. */
  readonly sessionToken: string;
  readonly sessionId: string;
  /** When the session ends if unused (slides with each request). */
  readonly expiresAt: Date;
  readonly absoluteExpiresAt: Date;
}

export type LoginFailure =
  | 'unknown_user'
  | 'disabled'
  | 'locked'
  | 'bad_password'
  | 'mfa_not_enrolled'
  | 'mfa_missing'
  | 'bad_totp'
  | 'totp_replayed';

export type SessionCheck =
  | { readonly ok: true; readonly actor: Actor }
  | {
      readonly ok: false;
      readonly reason: 'malformed' | 'unknown_session' | 'ended' | 'principal_disabled';
      readonly sessionId?: string;
    }
  | {
      readonly ok: false;
      readonly reason: 'idle_timeout' | 'absolute_timeout';
      readonly sessionId: string;
      readonly user: { readonly id: string; readonly name: string };
      /** True for the request that ended it; later uses of the same token are not audited again. */
      readonly newlyEnded: boolean;
    };

const sessionTokenPattern = /^sts_[A-Za-z0-9_-]{43}$/;
const minute = 60_000;

interface LoginRow {
  id: string;
  username: string;
  password_hash: string;
  totp_secret_enc: Uint8Array | null;
  totp_last_step: number | null;
  disabled_at: Date | null;
}

export class SessionManager {
  readonly #d: SessionManagerDeps;
  readonly #c: Required<SessionConfig>;
  readonly #throttle: LoginThrottle;

  constructor(deps: SessionManagerDeps) {
    this.#d = deps;
    this.#c = {
      idleTimeoutMs: deps.config?.idleTimeoutMs ?? 15 * minute,
      absoluteTimeoutMs: deps.config?.absoluteTimeoutMs ?? 12 * 60 * minute,
      allowPasswordOnly: deps.config?.allowPasswordOnly ?? false,
      maxFailedLogins: deps.config?.maxFailedLogins ?? 10,
      lockoutMs: deps.config?.lockoutMs ?? 15 * minute,
    };
    this.#throttle =
      deps.throttle ??
      new LoginThrottle({
        db: deps.db,
        cipher: deps.cipher,
        clock: deps.clock,
        config: { maxFailures: this.#c.maxFailedLogins, lockoutMs: this.#c.lockoutMs },
      });
  }

  async login(input: LoginInput, source?: RequestSource): Promise<LoginResult> {
    const { db, hasher } = this.#d;
    const now = this.#d.clock.now();
    const username = input.username.trim().toLowerCase();
    const codeGiven = input.totpCode !== undefined && input.totpCode !== '';
    const address = source?.address;
    const user = (
      await db.query<LoginRow>(
        `select id, username, password_hash, totp_secret_enc, totp_last_step, disabled_at
         from users where username = $1`,
        [username],
      )
    ).rows[0];
    // The same work whether or not the username exists: one Argon2 verification, one lock read,
    // and for a wrong guess one failure counted (unknown names are counted like known ones).
    const passwordOk = user
      ? await hasher.verify(user.password_hash, input.password)
      : await hasher.verifyNobody(input.password);
    const locked = await this.#throttle.isLocked(username, address);
    const fail = (reason: LoginFailure) => this.#fail(user, reason, codeGiven, source);
    const failCounted = async (reason: LoginFailure): Promise<never> => {
      await this.#throttle.failure(username, address);
      return fail(reason);
    };

    if (locked) return fail('locked');
    if (user === undefined) return failCounted('unknown_user');
    if (!passwordOk) return failCounted('bad_password');
    if (user.disabled_at !== null) return fail('disabled');

    let authMethod: 'password' | 'password+totp' = 'password';
    const sealed = bytes(user.totp_secret_enc);
    if (sealed === null) {
      if (!this.#c.allowPasswordOnly) return fail('mfa_not_enrolled');
    } else {
      if (!codeGiven) return fail('mfa_missing');
      const secret = this.#d.cipher.decrypt(sealed, totpContext(user.id)).toString('utf8');
      const check = checkTotp(secret, input.totpCode ?? '', now, user.totp_last_step);
      if (!check.ok) return failCounted(check.reason);
      // Compare-and-set: of two concurrent logins with one code, only one records the step.
      const cas = await db.query(
        'update users set totp_last_step = $2 where id = $1 and (totp_last_step is null or totp_last_step < $2)',
        [user.id, check.step],
      );
      if (cas.rowCount !== 1) return failCounted('totp_replayed');
      authMethod = 'password+totp';
    }

    await this.#throttle.success(username, address);
    if (hasher.needsRehash(user.password_hash)) {
      await db.query('update users set password_hash = $2 where id = $1', [user.id, await hasher.hash(input.password)]);
    }
    return this.#startSession(user, authMethod, now, source);
  }

  /**
   * Resolves a session token. Reads the row on every call (no cache), so logout, disabling and
   * time-outs apply to the next request. Lookup is by SHA-256 of the token: an attacker cannot
   * steer the digest, so index-lookup timing reveals nothing about valid tokens.
   *
   * One statement reads the session and, when it is live (not ended, its user not disabled, neither
   * time-out reached), slides its idle time-out: the same conditions as the checks below, so a
   * session this says is live was slid by the same statement (one round trip per request, not two).
   * The update re-checks `ended_at` on the row it locks, so a logout committed in between wins.
   */
  async check(token: string): Promise<SessionCheck> {
    if (!sessionTokenPattern.test(token)) return { ok: false, reason: 'malformed' };
    const now = this.#d.clock.now();
    const { rows } = await this.#d.db.query<{
      id: string;
      user_id: string;
      last_seen_at: Date;
      absolute_expires_at: Date;
      ended_at: Date | null;
      end_reason: string | null;
      username: string;
      disabled_at: Date | null;
      slid: boolean;
    }>(
      `with found as (
         select s.id, s.user_id, s.last_seen_at, s.absolute_expires_at, s.ended_at, s.end_reason, u.username, u.disabled_at
         from sessions s join users u on u.id = s.user_id where s.token_hash = $1
       ), slid as (
         update sessions set last_seen_at = greatest(sessions.last_seen_at, $2::timestamptz)
         from found
         where sessions.id = found.id and sessions.ended_at is null and found.ended_at is null
           and found.disabled_at is null and $2::timestamptz < found.absolute_expires_at
           and $2::timestamptz < found.last_seen_at + $3::double precision * interval '1 millisecond'
         returning sessions.id
       )
       select found.*, exists (select 1 from slid) as slid from found`,
      [sha256(token), now, this.#c.idleTimeoutMs],
    );
    const s = rows[0];
    if (s === undefined) return { ok: false, reason: 'unknown_session' };
    const user = { id: s.user_id, name: s.username };
    if (s.ended_at !== null) {
      if (s.end_reason === 'idle_timeout' || s.end_reason === 'absolute_timeout') {
        return { ok: false, reason: s.end_reason, sessionId: s.id, user, newlyEnded: false };
      }
      return { ok: false, reason: 'ended', sessionId: s.id };
    }
    if (s.disabled_at !== null) return { ok: false, reason: 'principal_disabled', sessionId: s.id };
    const timeout =
      now.getTime() >= s.absolute_expires_at.getTime()
        ? 'absolute_timeout'
        : now.getTime() >= s.last_seen_at.getTime() + this.#c.idleTimeoutMs
          ? 'idle_timeout'
          : undefined;
    if (timeout !== undefined) {
      const ended = await this.#end(s.id, now, timeout);
      return { ok: false, reason: timeout, sessionId: s.id, user, newlyEnded: ended };
    }
    if (!s.slid) return { ok: false, reason: 'ended', sessionId: s.id };
    return {
      ok: true,
      actor: { kind: 'user', id: s.user_id, name: s.username, authMethod: 'session', sessionId: s.id },
    };
  }

  /** Ends the session `actor` authenticated with, and audits `auth.logout`. Idempotent. */
  async logout(actor: Actor, source?: RequestSource): Promise<void> {
    if (actor.sessionId === undefined) return;
    const ended = await this.#end(actor.sessionId, this.#d.clock.now(), 'logout');
    if (!ended) return;
    await this.#d.audit.append({
      actor: auditActor(actor),
      event: 'auth.logout',
      action: 'E',
      outcome: 'success',
      entity: { kind: 'session', id: actor.sessionId },
      ...auditSource(source),
    });
  }

  async #startSession(
    user: LoginRow,
    authMethod: 'password' | 'password+totp',
    now: Date,
    source: RequestSource | undefined,
  ): Promise<LoginResult> {
    const id = newId();
    const sessionToken = `sts_${newSecret(32)}`;
    const absoluteExpiresAt = new Date(now.getTime() + this.#c.absoluteTimeoutMs);
    await this.#d.db.query(
      `insert into sessions (id, user_id, token_hash, created_at, last_seen_at, absolute_expires_at)
       values ($1, $2, $3, $4, $4, $5)`,
      [id, user.id, sha256(sessionToken), now, absoluteExpiresAt],
    );
    try {
      await this.#d.audit.append({
        actor: { kind: 'user', id: user.id, name: user.username, authMethod },
        event: 'auth.login',
        action: 'E',
        outcome: 'success',
        entity: { kind: 'session', id },
        ...auditSource(source),
      });
    } catch (e) {
      // Fail closed: an unaudited login issues nothing, and its row is removed.
      await this.#d.db.query('delete from sessions where id = $1', [id]).catch(() => undefined);
      throw e;
    }
    const idleEnd = now.getTime() + this.#c.idleTimeoutMs;
    return {
      sessionToken,
      sessionId: id,
      expiresAt: new Date(Math.min(idleEnd, absoluteExpiresAt.getTime())),
      absoluteExpiresAt,
    };
  }

  async #fail(
    user: LoginRow | undefined,
    reason: LoginFailure,
    codeGiven: boolean,
    source: RequestSource | undefined,
  ): Promise<never> {
    await this.#d.audit.append({
      actor: user
        ? { kind: 'user', id: user.id, name: user.username, authMethod: 'password' }
        : anonymousActor('password'),
      event: 'auth.login_failed',
      action: 'E',
      outcome: 'denied',
      ...(user ? { entity: { kind: 'user', id: user.id } } : {}),
      reason,
      ...auditSource(source),
    });
    const mfaAnswer =
      !codeGiven && (!this.#c.allowPasswordOnly || reason === 'mfa_missing' || reason === 'mfa_not_enrolled');
    if (mfaAnswer) {
      throw new AuthenticationError(
        'AUTH_MFA_REQUIRED',
        'a one-time code from your authenticator app is required; if you have not enrolled one, ask an administrator to enrol TOTP for your account',
      );
    }
    throw new AuthenticationError(
      'AUTH_INVALID',
      'the username, password or one-time code is incorrect, or the account is locked or disabled',
    );
  }

  async #end(sessionId: string, now: Date, reason: string): Promise<boolean> {
    const r = await this.#d.db.query(
      'update sessions set ended_at = $2, end_reason = $3 where id = $1 and ended_at is null',
      [sessionId, now, reason],
    );
    return r.rowCount === 1;
  }
}

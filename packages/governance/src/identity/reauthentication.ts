/**
 * @module Re-authentication before a change to one's own account security (TOTP, password, one's
 * own API tokens): a bearer alone — a stolen session or script token — must not be enough to take
 * the account over. Proof is the password and a current TOTP code (the password alone only while
 * no TOTP is enrolled), or a session that started a few minutes ago (its holder just gave both).
 *
 * Wrong proof counts as a failed sign-in for that username and address (`LoginThrottle`) and is
 * audited as `auth.login_failed` with a `reauth_` reason; the caller hears AUTH_REAUTH_REQUIRED.
 */
import { AuthenticationError, ForbiddenError, type Actor, type Clock } from '@steward/core';
import type { Database } from '@steward/store';
import type { AuditSink } from '../audit/audit-entry.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { LoginThrottle } from './login-throttle.js';
import type { PasswordHasher } from './passwords.js';
import { checkTotp } from './totp.js';
import { totpContext } from './users.js';
import { auditActor, auditSource, bytes, type RequestSource } from './identity-support.js';

export interface ReauthProof {
  readonly password: string;
  readonly totpCode?: string;
}

export interface ReauthenticatorDeps {
  readonly db: Database;
  readonly audit: AuditSink;
  readonly cipher: FieldCipher;
  readonly hasher: PasswordHasher;
  readonly clock: Clock;
  readonly throttle: LoginThrottle;
  /** A session younger than this counts as proof. Default 5 minutes. */
  readonly freshSessionMs?: number;
}

/** How the change was proven, for its audit entry. */
export type ReauthMethod = 'password+totp' | 'password' | 'fresh_session';

export class Reauthenticator {
  readonly #d: ReauthenticatorDeps;

  constructor(deps: ReauthenticatorDeps) {
    this.#d = deps;
  }

  /** Minutes a fresh session counts as proof, for messages and docs. */
  get freshMinutes(): number {
    return Math.round((this.#d.freshSessionMs ?? 5 * 60_000) / 60_000);
  }

  /** Resolves when `actor` has proven it is the account's holder now; throws AUTH_REAUTH_REQUIRED otherwise. */
  async require(actor: Actor, proof: ReauthProof | undefined, source?: RequestSource): Promise<ReauthMethod> {
    if (actor.kind !== 'user') throw new ForbiddenError('only a user changes their own account security');
    if (proof === undefined) {
      if (actor.authMethod === 'session' && actor.sessionId !== undefined && (await this.#fresh(actor.sessionId)))
        return 'fresh_session';
      return this.#refuse(actor, 'reauth_missing', source);
    }
    const { db, hasher, throttle } = this.#d;
    const row = (
      await db.query<{
        username: string;
        password_hash: string;
        totp_secret_enc: Uint8Array | null;
        totp_last_step: number | null;
      }>('select username, password_hash, totp_secret_enc, totp_last_step from users where id = $1', [actor.id])
    ).rows[0];
    if (row === undefined) return this.#refuse(actor, 'reauth_unknown_user', source);
    const passwordOk = await hasher.verify(row.password_hash, proof.password);
    if (await throttle.isLocked(row.username, source?.address)) return this.#refuse(actor, 'reauth_locked', source);
    const failed = async (reason: string): Promise<never> => {
      await throttle.failure(row.username, source?.address);
      return this.#refuse(actor, reason, source);
    };
    if (!passwordOk) return failed('reauth_bad_password');
    const sealed = bytes(row.totp_secret_enc);
    if (sealed === null) return 'password';
    if (proof.totpCode === undefined || proof.totpCode === '') return failed('reauth_mfa_missing');
    const secret = this.#d.cipher.decrypt(sealed, totpContext(actor.id)).toString('utf8');
    const check = checkTotp(secret, proof.totpCode, this.#d.clock.now(), row.totp_last_step);
    if (!check.ok) return failed(`reauth_${check.reason}`);
    // The code is spent, as at login: the same code cannot prove anything twice.
    const cas = await db.query(
      'update users set totp_last_step = $2 where id = $1 and (totp_last_step is null or totp_last_step < $2)',
      [actor.id, check.step],
    );
    if (cas.rowCount !== 1) return failed('reauth_totp_replayed');
    return 'password+totp';
  }

  async #fresh(sessionId: string): Promise<boolean> {
    const { rows } = await this.#d.db.query<{ created_at: Date }>(
      'select created_at from sessions where id = $1 and ended_at is null',
      [sessionId],
    );
    const created = rows[0]?.created_at;
    const maxAge = this.#d.freshSessionMs ?? 5 * 60_000;
    return created !== undefined && this.#d.clock.now().getTime() - created.getTime() <= maxAge;
  }

  async #refuse(actor: Actor, reason: string, source: RequestSource | undefined): Promise<never> {
    await this.#d.audit.append({
      actor: auditActor(actor),
      event: 'auth.login_failed',
      action: 'E',
      outcome: 'denied',
      entity: { kind: 'user', id: actor.id },
      reason,
      ...auditSource(source),
    });
    throw new AuthenticationError(
      'AUTH_REAUTH_REQUIRED',
      `this change needs your current password and one-time code (currentPassword, currentCode), or a sign-in within the last ${this.freshMinutes} minutes`,
    );
  }
}

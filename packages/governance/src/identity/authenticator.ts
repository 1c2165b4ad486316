/**
 * @module The one door: turns a bearer string (a session token or an API token) into an
 * authenticated `Actor`, or refuses. Every request and automation run passes through it; only
 * health checks are answered without it.
 *
 * Refusals are deliberately uniform (AUTH_INVALID for unknown, malformed, revoked, expired and
 * disabled alike) so tokens cannot be probed; the audit entry records the precise reason and the
 * token id, never the token. An idle or timed-out session answers AUTH_SESSION_EXPIRED, which
 * tells its holder to log in again and reveals nothing they did not know.
 */
import { AuthenticationError, type Actor } from '@steward/core';
import type { AuditSink } from '../audit/audit-entry.js';
import { anonymousActor, auditSource, type RequestSource } from './identity-support.js';
import type { ApiTokens } from './tokens.js';
import type { SessionManager } from './sessions.js';

export interface AuthenticatorDeps {
  readonly sessions: SessionManager;
  readonly tokens: ApiTokens;
  readonly audit: AuditSink;
}

export class Authenticator {
  readonly #d: AuthenticatorDeps;

  constructor(deps: AuthenticatorDeps) {
    this.#d = deps;
  }

  /**
   * `bearer` is the token itself, the HTTP edge having removed the `Bearer ` scheme. Exactly an
   * issued, live token is accepted; nothing is trimmed or case-folded.
   */
  async authenticate(bearer: string | undefined, source?: RequestSource): Promise<Actor> {
    if (bearer === undefined || bearer === '') {
      throw new AuthenticationError('AUTH_REQUIRED', 'authentication is required: send a session or API token');
    }
    if (bearer.startsWith('sts_')) {
      const check = await this.#d.sessions.check(bearer);
      if (check.ok) return check.actor;
      if (check.reason === 'idle_timeout' || check.reason === 'absolute_timeout') {
        if (check.newlyEnded) {
          await this.#d.audit.append({
            actor: { kind: 'user', id: check.user.id, name: check.user.name, authMethod: 'session' },
            event: 'auth.session_expired',
            action: 'E',
            outcome: 'success',
            entity: { kind: 'session', id: check.sessionId },
            reason: check.reason,
            ...auditSource(source),
          });
        }
        throw new AuthenticationError('AUTH_SESSION_EXPIRED', 'the session has expired: log in again');
      }
      return this.#reject('session', check.reason, check.sessionId, source);
    }
    const check = await this.#d.tokens.check(bearer);
    if (check.ok) return check.actor;
    return this.#reject('api_token', check.reason, check.tokenId, source);
  }

  async #reject(
    kind: 'session' | 'api_token',
    reason: string,
    id: string | undefined,
    source: RequestSource | undefined,
  ): Promise<never> {
    await this.#d.audit.append({
      actor: anonymousActor(kind === 'session' ? 'session' : 'api-token'),
      event: 'auth.token_rejected',
      action: 'E',
      outcome: 'denied',
      ...(id === undefined ? {} : { entity: { kind, id } }),
      reason,
      ...auditSource(source),
    });
    throw new AuthenticationError('AUTH_INVALID', 'the token is not valid');
  }
}

/**
 * @module API tokens for service accounts (and users' scripts): scoped, expiring, revocable.
 *
 * Format: `stw_<token id, 32 hex>_<32 random bytes, base64url>`. The id finds the row; the store
 * keeps only SHA-256 of the whole token, compared in constant time. A fast hash is enough here:
 * slow hashes exist to protect low-entropy human passwords from guessing, and 256 random bits
 * cannot be guessed, so a stolen `token_hash` column is useless either way.
 *
 * Revocation is effective at once: every authentication reads the row; nothing is cached.
 * `last_used_at` is kept to the minute: a use within a minute of the recorded one writes nothing
 * (a token used by every request of a busy client would otherwise write its row on each).
 *
 * Issuing and revoking check no permission here: requests go through `AccountService`
 * (accounts.ts, tokens.manage); calling these directly is the bootstrap path.
 */
import {
  NotFoundError,
  ValidationError,
  newId,
  newSecret,
  type Actor,
  type ActorKind,
  type Clock,
} from '@steward/core';
import type { Database } from '@steward/store';
import type { AuditSink } from '../audit/audit-entry.js';
import { auditActor, auditOrUndo, bytes, digestsEqual, isUuid, sha256 } from './identity-support.js';

const tokenPattern = /^stw_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;
// Steward's own scopes (actions, `*`), or a SMART system scope that narrows which FHIR types the
// token reads through the FHIR facade (`system/Appointment.rs`, `system/*.read`; ADR 0018).
const scopePattern = /^(?:[a-z0-9_.:*-]{1,100}|system\/(?:\*|[A-Z][A-Za-z]{1,63})\.(?:read|\*|(?=[cruds])c?r?u?d?s?))$/;
const maxScopes = 50;
const dayMs = 86_400_000;
/** How stale `last_used_at` may be: a use within this of the recorded one is not written. */
const lastUsedResolutionMs = 60_000;

export interface IssueTokenInput {
  readonly principal: { readonly kind: ActorKind; readonly id: string };
  /** What the token is for, shown in lists ("nightly referral sync"). */
  readonly name: string;
  readonly scopes: readonly string[];
  /** Required: every token expires, at most `maxLifetimeDays` from now. */
  readonly expiresAt: Date;
}

export interface IssuedToken {
  readonly id: string;
  /** The bearer secret. Shown once; the store cannot give it back. */
  readonly token: string;
  readonly expiresAt: Date;
}

export interface TokenSummary {
  readonly id: string;
  readonly principalKind: ActorKind;
  readonly principalId: string;
  readonly name: string;
  readonly scopes: readonly string[];
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;
  readonly createdAt: Date;
}

/** Why a token was refused: recorded in audit, never told to the caller (who gets AUTH_INVALID). */
export type TokenRejection =
  'malformed' | 'unknown_token' | 'hash_mismatch' | 'expired' | 'revoked' | 'principal_disabled';

export type TokenCheck =
  | { readonly ok: true; readonly actor: Actor }
  | { readonly ok: false; readonly reason: TokenRejection; readonly tokenId?: string };

export interface ApiTokensDeps {
  readonly db: Database;
  readonly audit: AuditSink;
  readonly clock: Clock;
  /** Longest lifetime a token may be issued with. Default 365. */
  readonly maxLifetimeDays?: number;
}

interface SummaryRow {
  id: string;
  principal_kind: ActorKind;
  principal_id: string;
  name: string;
  scopes: string[];
  expires_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
  created_at: Date;
}

const toSummary = (r: SummaryRow): TokenSummary => ({
  id: r.id,
  principalKind: r.principal_kind,
  principalId: r.principal_id,
  name: r.name,
  scopes: r.scopes,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  lastUsedAt: r.last_used_at,
  createdAt: r.created_at,
});

const summaryColumns =
  'id, principal_kind, principal_id, name, scopes, expires_at, revoked_at, last_used_at, created_at';

export class ApiTokens {
  readonly #d: ApiTokensDeps;

  constructor(deps: ApiTokensDeps) {
    this.#d = deps;
  }

  async issue(input: IssueTokenInput, by: Actor): Promise<IssuedToken> {
    const now = this.#d.clock.now();
    const scopes = [...new Set(input.scopes)];
    const name = input.name.trim();
    const problems: { path: string; message: string }[] = [];
    if (name.length < 1 || name.length > 100) problems.push({ path: 'name', message: 'must be 1 to 100 characters' });
    if (scopes.length < 1 || scopes.length > maxScopes || !scopes.every((s) => scopePattern.test(s))) {
      problems.push({
        path: 'scopes',
        message: `1 to ${maxScopes} scopes of a-z, 0-9, '_', '.', ':', '*', '-', or SMART system/<Type>.<rs> scopes`,
      });
    }
    const maxMs = (this.#d.maxLifetimeDays ?? 365) * dayMs;
    const expiresMs = input.expiresAt.getTime();
    if (!(expiresMs > now.getTime() && expiresMs - now.getTime() <= maxMs)) {
      problems.push({ path: 'expiresAt', message: `must be in the future and at most ${maxMs / dayMs} days away` });
    }
    if (problems.length > 0) throw new ValidationError('the token request is invalid', problems);
    await this.#requireActivePrincipal(input.principal);

    const id = newId();
    const token = `stw_${id.replaceAll('-', '')}_${newSecret(32)}`;
    await this.#d.db.query(
      `insert into api_tokens (id, principal_kind, principal_id, name, token_hash, scopes, expires_at, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [id, input.principal.kind, input.principal.id, name, sha256(token), scopes, input.expiresAt, now],
    );
    // Fail closed: an unaudited token is deleted and never handed out.
    await auditOrUndo(this.#d.audit, this.#entry(by, 'auth.token_created', 'C', id, input.principal.kind), () =>
      this.#d.db.query('delete from api_tokens where id = $1', [id]),
    );
    return { id, token, expiresAt: input.expiresAt };
  }

  /**
   * A short-lived access token a SMART Backend Services sign-in earned (smart-backend.ts, which has
   * verified the client's assertion and decided its scopes): the same format, hash and check as
   * every API token, so the authenticator accepts it unchanged. Its scopes may be SMART system
   * scopes beside action names. Expired ones of this kind older than a day are deleted here (one
   * is made per sign-in; the audit trail keeps each issue).
   */
  async issueAccess(
    input: {
      readonly principalId: string;
      readonly name: string;
      readonly scopes: readonly string[];
      readonly expiresAt: Date;
    },
    by: Actor,
  ): Promise<IssuedToken> {
    const now = this.#d.clock.now();
    await this.#requireActivePrincipal({ kind: 'service', id: input.principalId });
    await this.#d.db.query(
      `delete from api_tokens where principal_kind = 'service' and name = $1 and expires_at < $2`,
      [input.name, new Date(now.getTime() - dayMs)],
    );
    const id = newId();
    const token = `stw_${id.replaceAll('-', '')}_${newSecret(32)}`;
    await this.#d.db.query(
      `insert into api_tokens (id, principal_kind, principal_id, name, token_hash, scopes, expires_at, created_at)
       values ($1, 'service', $2, $3, $4, $5, $6, $7)`,
      [id, input.principalId, input.name, sha256(token), [...input.scopes], input.expiresAt, now],
    );
    await auditOrUndo(
      this.#d.audit,
      { ...this.#entry(by, 'auth.token_created', 'C', id, 'service'), reason: 'smart_backend' },
      () => this.#d.db.query('delete from api_tokens where id = $1', [id]),
    );
    return { id, token, expiresAt: input.expiresAt };
  }

  /** Revokes at once: the very next authentication with it fails. Revoking twice is a no-op. */
  async revoke(tokenId: string, by: Actor): Promise<void> {
    const row = isUuid(tokenId)
      ? (
          await this.#d.db.query<{ principal_kind: ActorKind; revoked_at: Date | null }>(
            'select principal_kind, revoked_at from api_tokens where id = $1',
            [tokenId],
          )
        ).rows[0]
      : undefined;
    if (row === undefined) throw new NotFoundError('API token');
    if (row.revoked_at !== null) return;
    await this.#d.db.query('update api_tokens set revoked_at = $2 where id = $1 and revoked_at is null', [
      tokenId,
      this.#d.clock.now(),
    ]);
    await this.#d.audit.append(this.#entry(by, 'auth.token_revoked', 'U', tokenId, row.principal_kind));
  }

  /** Tokens, newest first; never their secrets or hashes. */
  async list(filter: { readonly principalId?: string } = {}): Promise<TokenSummary[]> {
    if (filter.principalId !== undefined && !isUuid(filter.principalId)) return [];
    const { rows } = await this.#d.db.query<SummaryRow>(
      `select ${summaryColumns} from api_tokens where ($1::uuid is null or principal_id = $1)
       order by created_at desc, id`,
      [filter.principalId ?? null],
    );
    return rows.map(toSummary);
  }

  /**
   * Resolves a bearer string into the actor it stands for, or says precisely why not. Reads the
   * token and its principal on every call, so revocation and disabling apply to the next request.
   */
  async check(token: string): Promise<TokenCheck> {
    const m = tokenPattern.exec(token);
    if (m === null) return { ok: false, reason: 'malformed' };
    const hex = m[1] ?? '';
    const tokenId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    const { rows } = await this.#d.db.query<{
      token_hash: Uint8Array;
      principal_kind: ActorKind;
      principal_id: string;
      scopes: string[];
      expires_at: Date;
      revoked_at: Date | null;
      last_used_at: Date | null;
      principal_name: string | null;
      principal_disabled_at: Date | null;
    }>(
      `select t.token_hash, t.principal_kind, t.principal_id, t.scopes, t.expires_at, t.revoked_at, t.last_used_at,
              coalesce(u.username, s.name) as principal_name,
              coalesce(u.disabled_at, s.disabled_at) as principal_disabled_at
       from api_tokens t
       left join users u on t.principal_kind = 'user' and u.id = t.principal_id
       left join service_accounts s on t.principal_kind = 'service' and s.id = t.principal_id
       where t.id = $1`,
      [tokenId],
    );
    const row = rows[0];
    if (row === undefined) return { ok: false, reason: 'unknown_token', tokenId };
    if (!digestsEqual(bytes(row.token_hash) ?? Buffer.alloc(0), sha256(token))) {
      return { ok: false, reason: 'hash_mismatch', tokenId };
    }
    const now = this.#d.clock.now();
    if (row.revoked_at !== null) return { ok: false, reason: 'revoked', tokenId };
    if (row.expires_at.getTime() <= now.getTime()) return { ok: false, reason: 'expired', tokenId };
    if (row.principal_name === null || row.principal_disabled_at !== null) {
      return { ok: false, reason: 'principal_disabled', tokenId };
    }
    const sinceUse = row.last_used_at === null ? Infinity : now.getTime() - row.last_used_at.getTime();
    if (!(sinceUse >= 0 && sinceUse < lastUsedResolutionMs)) {
      await this.#d.db.query('update api_tokens set last_used_at = $2 where id = $1', [tokenId, now]);
    }
    return {
      ok: true,
      actor: {
        kind: row.principal_kind,
        id: row.principal_id,
        name: row.principal_name,
        authMethod: 'api-token',
        // For user tokens too: scopes narrow what the user's grants allow when they act by script.
        scopes: row.scopes,
        tokenId,
      },
    };
  }

  async #requireActivePrincipal(p: IssueTokenInput['principal']): Promise<void> {
    const table = p.kind === 'user' ? 'users' : 'service_accounts';
    const row = isUuid(p.id)
      ? (await this.#d.db.query<{ disabled_at: Date | null }>(`select disabled_at from ${table} where id = $1`, [p.id]))
          .rows[0]
      : undefined;
    if (row === undefined) throw new NotFoundError(p.kind === 'user' ? 'user' : 'service account');
    if (row.disabled_at !== null) {
      throw new ValidationError('a disabled principal cannot be given a token', [
        { path: 'principal', message: 'disabled' },
      ]);
    }
  }

  #entry(
    by: Actor,
    event: 'auth.token_created' | 'auth.token_revoked',
    action: 'C' | 'U',
    id: string,
    kind: ActorKind,
  ) {
    return {
      actor: auditActor(by),
      event,
      action,
      outcome: 'success' as const,
      entity: { kind: 'api_token', id },
      reason: `principal_${kind}`,
    };
  }
}

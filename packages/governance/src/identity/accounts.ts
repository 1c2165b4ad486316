/**
 * @module Governed account administration: users, service accounts and API tokens. Each method
 * takes the request context first and does the whole act — the policy decision (users.manage,
 * tokens.manage, or self-service with re-authentication), the change, and its audit entry (written
 * by the directory that makes it). Routes and commands call these; the directories underneath are
 * for the bootstrap path (`steward init`, demo and local accounts) with an explicit system actor.
 */
import { UnexpectedError, ValidationError, type Clock, type RequestContext } from '@steward/core';
import type { Reauthenticator, ReauthProof } from './reauthentication.js';
import type { RequestSource } from './identity-support.js';
import type { ServiceAccount, ServiceAccountDirectory } from './service-accounts.js';
import type { NewSmartClient, SmartBackendServices, SmartClient } from './smart-backend.js';
import type { ApiTokens, IssuedToken, TokenSummary } from './tokens.js';
import type { TotpEnrolment, UserDirectory, UserSummary } from './users.js';

/**
 * What this service asks of the policy decision point (which sits beside identity, not below it):
 * each call decides, audits a denial and throws FORBIDDEN.
 */
export interface AccountPolicy {
  enforce(ctx: RequestContext, action: 'users.manage' | 'tokens.manage'): Promise<unknown>;
  enforceSelf(ctx: RequestContext, userId: string): Promise<void>;
}

export interface AccountServiceDeps {
  readonly policy: AccountPolicy;
  readonly users: UserDirectory;
  readonly serviceAccounts: ServiceAccountDirectory;
  readonly tokens: ApiTokens;
  /** SMART Backend Services registrations (a service account's public keys and allowed scopes). */
  readonly smart?: SmartBackendServices;
  readonly reauth: Reauthenticator;
  readonly clock: Clock;
}

/** Re-authentication for a change to one's own account, as a request sends it. */
export interface ReauthInput {
  readonly currentPassword?: string;
  readonly currentCode?: string;
}

export interface NewTokenInput extends ReauthInput {
  readonly principalKind: 'user' | 'service';
  readonly principalId: string;
  readonly name: string;
  readonly scopes: readonly string[];
  readonly expiresInDays: number;
}

const proofOf = (b: ReauthInput): ReauthProof | undefined =>
  b.currentPassword === undefined
    ? undefined
    : { password: b.currentPassword, ...(b.currentCode !== undefined ? { totpCode: b.currentCode } : {}) };

const sourceOf = (ctx: RequestContext): RequestSource => ({
  ...(ctx.sourceAddress !== undefined ? { address: ctx.sourceAddress } : {}),
  ...(ctx.requestId !== undefined ? { requestId: ctx.requestId } : {}),
});

export class AccountService {
  readonly #d: AccountServiceDeps;

  constructor(deps: AccountServiceDeps) {
    this.#d = deps;
  }

  readonly users = {
    create: async (
      ctx: RequestContext,
      input: { readonly username: string; readonly password: string },
    ): Promise<UserSummary> => {
      await this.#manage(ctx);
      return this.#d.users.create(input, ctx.actor);
    },
    list: async (ctx: RequestContext): Promise<UserSummary[]> => {
      await this.#manage(ctx);
      return this.#d.users.list();
    },
    /** Ends the user's sessions and revokes their tokens at once. */
    disable: async (ctx: RequestContext, userId: string): Promise<void> => {
      await this.#manage(ctx);
      await this.#d.users.disable(userId, ctx.actor);
    },
    setBreakGlassEligible: async (ctx: RequestContext, userId: string, eligible: boolean): Promise<void> => {
      await this.#manage(ctx);
      await this.#d.users.setBreakGlassEligible(userId, eligible, ctx.actor);
    },
    /** Lifts every sign-in lock on the user, from every address. */
    unlock: async (ctx: RequestContext, userId: string): Promise<{ readonly locksLifted: number }> => {
      await this.#manage(ctx);
      return this.#d.users.unlock(userId, ctx.actor);
    },
    /** For oneself (the token must carry `account.self`) or as admin; nothing stored until confirmed. */
    startTotpEnrolment: async (ctx: RequestContext, userId: string): Promise<TotpEnrolment> => {
      await this.#selfOrManage(ctx, userId);
      return this.#d.users.startTotpEnrolment(userId);
    },
    /** For one's own account also with re-authentication (current password and code, or a fresh session). */
    confirmTotp: async (
      ctx: RequestContext,
      userId: string,
      input: ReauthInput & { readonly secret: string; readonly code: string },
    ): Promise<void> => {
      if (await this.#selfOrManage(ctx, userId)) await this.#reauthenticate(ctx, input);
      await this.#d.users.confirmTotp(userId, input.secret, input.code, ctx.actor);
    },
    /**
     * One's own password (with re-authentication; one's other sessions end) or a user's as admin
     * (all their sessions end).
     */
    setPassword: async (
      ctx: RequestContext,
      userId: string,
      input: ReauthInput & { readonly newPassword: string },
    ): Promise<void> => {
      const self = await this.#selfOrManage(ctx, userId);
      if (self) await this.#reauthenticate(ctx, input);
      await this.#d.users.setPassword(
        userId,
        input.newPassword,
        ctx.actor,
        ...(self && ctx.actor.sessionId !== undefined ? [ctx.actor.sessionId] : []),
      );
    },
  };

  readonly services = {
    create: async (ctx: RequestContext, input: { readonly name: string }): Promise<ServiceAccount> => {
      await this.#manage(ctx);
      return this.#d.serviceAccounts.create(input.name, ctx.actor);
    },
    list: async (ctx: RequestContext): Promise<ServiceAccount[]> => {
      await this.#manage(ctx);
      return this.#d.serviceAccounts.list();
    },
    /** Disables the account and revokes its tokens. */
    disable: async (ctx: RequestContext, id: string): Promise<void> => {
      await this.#manage(ctx);
      await this.#d.serviceAccounts.disable(id, ctx.actor);
    },
    /**
     * SMART Backend Services sign-in for the account: its public key set (or JWKS URL) and the
     * scopes it may be granted. A credential like a token, so under tokens.manage.
     */
    smart: {
      set: async (ctx: RequestContext, id: string, input: NewSmartClient): Promise<SmartClient> => {
        await this.#d.policy.enforce(ctx, 'tokens.manage');
        return this.#smart().register(ctx.actor, id, input);
      },
      get: async (ctx: RequestContext, id: string): Promise<SmartClient> => {
        await this.#d.policy.enforce(ctx, 'tokens.manage');
        return this.#smart().get(id);
      },
      remove: async (ctx: RequestContext, id: string): Promise<void> => {
        await this.#d.policy.enforce(ctx, 'tokens.manage');
        await this.#smart().remove(ctx.actor, id);
      },
    },
  };

  readonly tokens = {
    /** The secret is in the answer once, and stored hashed. */
    issue: async (ctx: RequestContext, input: NewTokenInput): Promise<IssuedToken> => {
      await this.#d.policy.enforce(ctx, 'tokens.manage');
      // A token for oneself is a new credential for one's own account: prove it is really you.
      if (input.principalKind === 'user' && ctx.actor.kind === 'user' && input.principalId === ctx.actor.id) {
        await this.#d.policy.enforceSelf(ctx, input.principalId);
        await this.#reauthenticate(ctx, input);
      }
      const now = this.#d.clock.now();
      return this.#d.tokens.issue(
        {
          principal: { kind: input.principalKind, id: input.principalId },
          name: input.name,
          scopes: input.scopes,
          expiresAt: new Date(now.getTime() + input.expiresInDays * 86_400_000),
        },
        ctx.actor,
      );
    },
    /** Never their secrets. */
    list: async (ctx: RequestContext): Promise<TokenSummary[]> => {
      await this.#d.policy.enforce(ctx, 'tokens.manage');
      return this.#d.tokens.list();
    },
    /** Effective at once. */
    revoke: async (ctx: RequestContext, tokenId: string): Promise<void> => {
      await this.#d.policy.enforce(ctx, 'tokens.manage');
      await this.#d.tokens.revoke(tokenId, ctx.actor);
    },
    /**
     * The token this request carries ends itself (`steward logout` with a token). Like logging out
     * of a session it needs no grant: a credential may always give itself up, and no other.
     */
    revokeOwn: async (ctx: RequestContext): Promise<void> => {
      if (ctx.actor.tokenId === undefined)
        throw new ValidationError('this request carries no API token', [
          { path: 'authorization', message: 'a session ends with POST /auth/logout' },
        ]);
      await this.#d.tokens.revoke(ctx.actor.tokenId, ctx.actor);
    },
  };

  #smart(): SmartBackendServices {
    if (this.#d.smart === undefined) throw new UnexpectedError('SMART Backend Services are not wired in');
    return this.#d.smart;
  }

  async #manage(ctx: RequestContext): Promise<void> {
    await this.#d.policy.enforce(ctx, 'users.manage');
  }

  /** True when the caller acts on their own account (self-service allowed), else users.manage. */
  async #selfOrManage(ctx: RequestContext, userId: string): Promise<boolean> {
    if (ctx.actor.kind !== 'user' || ctx.actor.id !== userId) {
      await this.#manage(ctx);
      return false;
    }
    await this.#d.policy.enforceSelf(ctx, userId);
    return true;
  }

  async #reauthenticate(ctx: RequestContext, input: ReauthInput): Promise<void> {
    await this.#d.reauth.require(ctx.actor, proofOf(input), sourceOf(ctx));
  }
}

/**
 * @module Administration: users, service accounts, API tokens and grants. Each route asks the
 * policy decision point first (users.manage, tokens.manage, grants.manage); each change is audited
 * by the directory that makes it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors, IdParams } from '../contract/common.js';
import {
  Answer,
  BreakGlassEligibility,
  ConfirmTotp,
  ListAnswer,
  NewGrant,
  NewPassword,
  NewServiceAccount,
  NewToken,
  NewUser,
  NoContentAnswer,
  Unlocked,
} from '../contract/admin.js';
import { typed } from '../typed.js';

export function adminRoutes(app: FastifyInstance, kernel: Kernel): void {
  const api = typed(app);
  // --- users ---
  api.post(
    '/users',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create a user',
        body: NewUser,
        response: Answer,
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      await kernel.policy.enforce(ctx, 'users.manage');
      void reply.status(201);
      return kernel.users.create(request.body, ctx.actor);
    },
  );
  api.get('/users', { schema: { tags: ['admin'], summary: 'List users', response: ListAnswer } }, async (request) => {
    await kernel.policy.enforce(contextOf(request), 'users.manage');
    return { items: await kernel.users.list() };
  });
  api.post(
    '/users/:id/disable',
    {
      schema: {
        tags: ['admin'],
        summary: 'Disable a user: ends sessions and revokes tokens at once',
        params: IdParams,
        response: NoContentAnswer,
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      await kernel.policy.enforce(ctx, 'users.manage');
      await kernel.users.disable(request.params.id, ctx.actor);
      void reply.status(204);
    },
  );
  api.put(
    '/users/:id/break-glass',
    {
      schema: {
        tags: ['admin'],
        summary: 'Put a user on or off the break-glass list',
        params: IdParams,
        body: BreakGlassEligibility,
        response: NoContentAnswer,
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      await kernel.policy.enforce(ctx, 'users.manage');
      await kernel.users.setBreakGlassEligible(request.params.id, request.body.eligible, ctx.actor);
      void reply.status(204);
    },
  );
  // Self-service (the caller's own account): the token must carry `account.self`, and a change
  // needs re-authentication (current password and code, or a fresh session). Others' accounts:
  // users.manage.
  const mine = async (request: FastifyRequest & { readonly params: { readonly id: string } }): Promise<boolean> => {
    const ctx = contextOf(request);
    if (ctx.actor.kind !== 'user' || ctx.actor.id !== request.params.id) {
      await kernel.policy.enforce(ctx, 'users.manage');
      return false;
    }
    await kernel.policy.enforceSelf(ctx, request.params.id);
    return true;
  };
  const proofOf = (b: { currentPassword?: string; currentCode?: string }) =>
    b.currentPassword === undefined
      ? undefined
      : { password: b.currentPassword, ...(b.currentCode !== undefined ? { totpCode: b.currentCode } : {}) };
  const source = (request: FastifyRequest) => ({ address: request.ip, requestId: request.id });

  api.post(
    '/users/:id/totp',
    {
      schema: {
        tags: ['admin'],
        summary: 'Start TOTP enrolment (for yourself, or as admin); nothing is stored until confirmed',
        params: IdParams,
        response: Answer,
      },
    },
    async (request) => {
      await mine(request);
      return kernel.users.startTotpEnrolment(request.params.id);
    },
  );
  api.post(
    '/users/:id/totp/confirm',
    {
      schema: {
        tags: ['admin'],
        summary:
          'Confirm TOTP enrolment with a current code; for your own account also with your current password and code (or within 5 minutes of signing in)',
        params: IdParams,
        body: ConfirmTotp,
        response: NoContentAnswer,
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      if (await mine(request)) await kernel.reauth.require(ctx.actor, proofOf(request.body), source(request));
      await kernel.users.confirmTotp(request.params.id, request.body.secret, request.body.code, ctx.actor);
      void reply.status(204);
    },
  );
  api.post(
    '/users/:id/password',
    {
      schema: {
        tags: ['admin'],
        summary:
          "Set a password: your own (with your current password and code, or within 5 minutes of signing in; your other sessions end), or a user's as admin (their sessions end)",
        params: IdParams,
        body: NewPassword,
        response: NoContentAnswer,
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const self = await mine(request);
      if (self) await kernel.reauth.require(ctx.actor, proofOf(request.body), source(request));
      await kernel.users.setPassword(
        request.params.id,
        request.body.newPassword,
        ctx.actor,
        ...(self && ctx.actor.sessionId !== undefined ? [ctx.actor.sessionId] : []),
      );
      void reply.status(204);
    },
  );
  api.post(
    '/users/:id/unlock',
    {
      schema: {
        tags: ['admin'],
        summary: 'Lift every sign-in lock on a user (from every address) and clear the failure counts',
        params: IdParams,
        response: { 200: Unlocked, ...errors },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      await kernel.policy.enforce(ctx, 'users.manage');
      return kernel.users.unlock(request.params.id, ctx.actor);
    },
  );

  // --- service accounts ---
  api.post(
    '/service-accounts',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create a service account',
        body: NewServiceAccount,
        response: Answer,
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      await kernel.policy.enforce(ctx, 'users.manage');
      void reply.status(201);
      return kernel.serviceAccounts.create(request.body.name, ctx.actor);
    },
  );
  api.get(
    '/service-accounts',
    { schema: { tags: ['admin'], summary: 'List service accounts', response: ListAnswer } },
    async (request) => {
      await kernel.policy.enforce(contextOf(request), 'users.manage');
      return { items: await kernel.serviceAccounts.list() };
    },
  );
  api.post(
    '/service-accounts/:id/disable',
    {
      schema: {
        tags: ['admin'],
        summary: 'Disable a service account and revoke its tokens',
        params: IdParams,
        response: NoContentAnswer,
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      await kernel.policy.enforce(ctx, 'users.manage');
      await kernel.serviceAccounts.disable(request.params.id, ctx.actor);
      void reply.status(204);
    },
  );

  // --- API tokens ---
  api.post(
    '/tokens',
    {
      schema: {
        tags: ['admin'],
        summary: 'Issue an API token (shown once; stored hashed)',
        body: NewToken,
        response: Answer,
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      await kernel.policy.enforce(ctx, 'tokens.manage');
      const b = request.body;
      // A token for oneself is a new credential for one's own account: prove it is really you.
      if (b.principalKind === 'user' && ctx.actor.kind === 'user' && b.principalId === ctx.actor.id) {
        await kernel.policy.enforceSelf(ctx, b.principalId);
        await kernel.reauth.require(ctx.actor, proofOf(b), source(request));
      }
      const issued = await kernel.tokens.issue(
        {
          principal: { kind: b.principalKind, id: b.principalId },
          name: b.name,
          scopes: b.scopes,
          expiresAt: new Date(kernel.clock.now().getTime() + b.expiresInDays * 86_400_000),
        },
        ctx.actor,
      );
      void reply.status(201);
      return issued;
    },
  );
  api.get(
    '/tokens',
    { schema: { tags: ['admin'], summary: 'List API tokens (never their secrets)', response: ListAnswer } },
    async (request) => {
      await kernel.policy.enforce(contextOf(request), 'tokens.manage');
      return { items: await kernel.tokens.list() };
    },
  );
  api.delete(
    '/tokens/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Revoke an API token, effective at once',
        params: IdParams,
        response: NoContentAnswer,
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      await kernel.policy.enforce(ctx, 'tokens.manage');
      await kernel.tokens.revoke(request.params.id, ctx.actor);
      void reply.status(204);
    },
  );

  // --- grants ---
  api.post(
    '/grants',
    {
      schema: {
        tags: ['admin'],
        summary: 'Grant a role, scoped by site and workflow, for a purpose of use',
        body: NewGrant,
        response: Answer,
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      await kernel.policy.enforce(ctx, 'grants.manage');
      void reply.status(201);
      return kernel.grants.add(ctx.actor, request.body);
    },
  );
  api.get(
    '/grants',
    { schema: { tags: ['admin'], summary: 'List live grants', response: ListAnswer } },
    async (request) => {
      await kernel.policy.enforce(contextOf(request), 'grants.manage');
      return { items: await kernel.grants.list() };
    },
  );
  api.delete(
    '/grants/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Revoke a grant, effective at once',
        params: IdParams,
        response: NoContentAnswer,
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      await kernel.policy.enforce(ctx, 'grants.manage');
      await kernel.grants.revoke(ctx.actor, request.params.id);
      void reply.status(204);
    },
  );
}

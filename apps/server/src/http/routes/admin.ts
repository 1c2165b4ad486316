/**
 * @module Administration: users, service accounts, API tokens and grants. Each route asks the
 * policy decision point first (users.manage, tokens.manage, grants.manage); each change is audited
 * by the directory that makes it.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { purposesOfUse, roles, type PurposeOfUse, type Role } from '@steward/core';
import { actions, selfServiceScope } from '@steward/governance';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors, idParams, scopeCode } from '../schemas.js';

const object = (required: readonly string[], properties: Record<string, unknown>) =>
  ({ type: 'object', additionalProperties: false, required, properties }) as const;
const list = (items: Record<string, unknown> = { type: 'object', additionalProperties: true }) => ({
  200: { type: 'object', properties: { items: { type: 'array', items } } },
  ...errors,
});
const noContent = { 204: { type: 'null' }, ...errors };

/** Re-authentication for a change to one's own account: the current password and TOTP code. */
interface Proof {
  currentPassword?: string;
  currentCode?: string;
}
const proofFields = {
  currentPassword: { type: 'string', minLength: 1, maxLength: 1024 },
  currentCode: { type: 'string', pattern: '^\\d{6}$' },
} as const;
const anyObject = {
  200: { type: 'object', additionalProperties: true },
  201: { type: 'object', additionalProperties: true },
  ...errors,
};

export function adminRoutes(app: FastifyInstance, kernel: Kernel): void {
  // --- users ---
  app.post<{ Body: { username: string; password: string } }>(
    '/users',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create a user',
        body: object(['username', 'password'], {
          username: { type: 'string', maxLength: 64 },
          password: { type: 'string', maxLength: 1024 },
        }),
        response: anyObject,
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      await kernel.policy.enforce(ctx, 'users.manage');
      void reply.status(201);
      return kernel.users.create(request.body, ctx.actor);
    },
  );
  app.get('/users', { schema: { tags: ['admin'], summary: 'List users', response: list() } }, async (request) => {
    await kernel.policy.enforce(contextOf(request), 'users.manage');
    return { items: await kernel.users.list() };
  });
  app.post<{ Params: { id: string } }>(
    '/users/:id/disable',
    {
      schema: {
        tags: ['admin'],
        summary: 'Disable a user: ends sessions and revokes tokens at once',
        params: idParams,
        response: noContent,
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      await kernel.policy.enforce(ctx, 'users.manage');
      await kernel.users.disable(request.params.id, ctx.actor);
      void reply.status(204);
    },
  );
  app.put<{ Params: { id: string }; Body: { eligible: boolean } }>(
    '/users/:id/break-glass',
    {
      schema: {
        tags: ['admin'],
        summary: 'Put a user on or off the break-glass list',
        params: idParams,
        body: object(['eligible'], { eligible: { type: 'boolean' } }),
        response: noContent,
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
  const mine = async (request: FastifyRequest<{ Params: { id: string } }>): Promise<boolean> => {
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

  app.post<{ Params: { id: string } }>(
    '/users/:id/totp',
    {
      schema: {
        tags: ['admin'],
        summary: 'Start TOTP enrolment (for yourself, or as admin); nothing is stored until confirmed',
        params: idParams,
        response: anyObject,
      },
    },
    async (request) => {
      await mine(request);
      return kernel.users.startTotpEnrolment(request.params.id);
    },
  );
  app.post<{ Params: { id: string }; Body: { secret: string; code: string } & Proof }>(
    '/users/:id/totp/confirm',
    {
      schema: {
        tags: ['admin'],
        summary:
          'Confirm TOTP enrolment with a current code; for your own account also with your current password and code (or within 5 minutes of signing in)',
        params: idParams,
        body: object(['secret', 'code'], {
          secret: { type: 'string', pattern: '^[A-Z2-7]{16,128}=*$' },
          code: { type: 'string', pattern: '^\\d{6}$' },
          ...proofFields,
        }),
        response: noContent,
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      if (await mine(request)) await kernel.reauth.require(ctx.actor, proofOf(request.body), source(request));
      await kernel.users.confirmTotp(request.params.id, request.body.secret, request.body.code, ctx.actor);
      void reply.status(204);
    },
  );
  app.post<{ Params: { id: string }; Body: { newPassword: string } & Proof }>(
    '/users/:id/password',
    {
      schema: {
        tags: ['admin'],
        summary:
          "Set a password: your own (with your current password and code, or within 5 minutes of signing in; your other sessions end), or a user's as admin (their sessions end)",
        params: idParams,
        body: object(['newPassword'], { newPassword: { type: 'string', maxLength: 1024 }, ...proofFields }),
        response: noContent,
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
  app.post<{ Params: { id: string } }>(
    '/users/:id/unlock',
    {
      schema: {
        tags: ['admin'],
        summary: 'Lift every sign-in lock on a user (from every address) and clear the failure counts',
        params: idParams,
        response: { 200: { type: 'object', properties: { locksLifted: { type: 'integer' } } }, ...errors },
      },
    },
    async (request) => {
      const ctx = contextOf(request);
      await kernel.policy.enforce(ctx, 'users.manage');
      return kernel.users.unlock(request.params.id, ctx.actor);
    },
  );

  // --- service accounts ---
  app.post<{ Body: { name: string } }>(
    '/service-accounts',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create a service account',
        body: object(['name'], { name: { type: 'string', maxLength: 64 } }),
        response: anyObject,
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      await kernel.policy.enforce(ctx, 'users.manage');
      void reply.status(201);
      return kernel.serviceAccounts.create(request.body.name, ctx.actor);
    },
  );
  app.get(
    '/service-accounts',
    { schema: { tags: ['admin'], summary: 'List service accounts', response: list() } },
    async (request) => {
      await kernel.policy.enforce(contextOf(request), 'users.manage');
      return { items: await kernel.serviceAccounts.list() };
    },
  );
  app.post<{ Params: { id: string } }>(
    '/service-accounts/:id/disable',
    {
      schema: {
        tags: ['admin'],
        summary: 'Disable a service account and revoke its tokens',
        params: idParams,
        response: noContent,
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
  app.post<{
    Body: {
      principalKind: 'user' | 'service';
      principalId: string;
      name: string;
      scopes: string[];
      expiresInDays: number;
    } & Proof;
  }>(
    '/tokens',
    {
      schema: {
        tags: ['admin'],
        summary: 'Issue an API token (shown once; stored hashed)',
        body: object(['principalKind', 'principalId', 'name', 'scopes', 'expiresInDays'], {
          principalKind: { type: 'string', enum: ['user', 'service'] },
          principalId: idParams.properties.id,
          name: { type: 'string', minLength: 1, maxLength: 64 },
          scopes: {
            type: 'array',
            minItems: 1,
            maxItems: actions.length + 2,
            uniqueItems: true,
            items: { type: 'string', enum: ['*', selfServiceScope, ...actions] },
          },
          expiresInDays: { type: 'integer', minimum: 1, maximum: 365 },
          ...proofFields,
        }),
        response: anyObject,
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
  app.get(
    '/tokens',
    { schema: { tags: ['admin'], summary: 'List API tokens (never their secrets)', response: list() } },
    async (request) => {
      await kernel.policy.enforce(contextOf(request), 'tokens.manage');
      return { items: await kernel.tokens.list() };
    },
  );
  app.delete<{ Params: { id: string } }>(
    '/tokens/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Revoke an API token, effective at once',
        params: idParams,
        response: noContent,
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
  app.post<{
    Body: {
      principalKind: 'user' | 'service';
      principalId: string;
      role: Role;
      site: string;
      workflow: string;
      purposeOfUse: PurposeOfUse;
    };
  }>(
    '/grants',
    {
      schema: {
        tags: ['admin'],
        summary: 'Grant a role, scoped by site and workflow, for a purpose of use',
        body: object(['principalKind', 'principalId', 'role', 'site', 'workflow', 'purposeOfUse'], {
          principalKind: { type: 'string', enum: ['user', 'service'] },
          principalId: idParams.properties.id,
          role: { type: 'string', enum: [...roles] },
          site: scopeCode,
          workflow: scopeCode,
          purposeOfUse: { type: 'string', enum: [...purposesOfUse] },
        }),
        response: anyObject,
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      await kernel.policy.enforce(ctx, 'grants.manage');
      void reply.status(201);
      return kernel.grants.add(ctx.actor, request.body);
    },
  );
  app.get(
    '/grants',
    { schema: { tags: ['admin'], summary: 'List live grants', response: list() } },
    async (request) => {
      await kernel.policy.enforce(contextOf(request), 'grants.manage');
      return { items: await kernel.grants.list() };
    },
  );
  app.delete<{ Params: { id: string } }>(
    '/grants/:id',
    {
      schema: { tags: ['admin'], summary: 'Revoke a grant, effective at once', params: idParams, response: noContent },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      await kernel.policy.enforce(ctx, 'grants.manage');
      await kernel.grants.revoke(ctx.actor, request.params.id);
      void reply.status(204);
    },
  );
}

/**
 * @module Administration: users, service accounts, API tokens and grants. Each route is its schema
 * and one call to a governed service (kernel.accounts, kernel.grantAdmin), which decides
 * (users.manage, tokens.manage, grants.manage, or self-service with re-authentication), changes
 * and audits.
 */
import type { FastifyInstance } from 'fastify';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors, IdParams } from '../contract/common.js';
import {
  answer,
  BreakGlassEligibility,
  ConfirmTotp,
  Grant,
  IssuedToken,
  listAnswer,
  NewGrant,
  NewPassword,
  NewServiceAccount,
  NewToken,
  NewUser,
  NoContentAnswer,
  ServiceAccount,
  TokenSummary,
  TotpEnrolment,
  Unlocked,
  User,
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
        response: answer(User),
      },
    },
    async (request, reply) => {
      const created = await kernel.accounts.users.create(contextOf(request), request.body);
      void reply.status(201);
      return created;
    },
  );
  api.get(
    '/users',
    { schema: { tags: ['admin'], summary: 'List users', response: listAnswer(User) } },
    async (request) => {
      return { items: await kernel.accounts.users.list(contextOf(request)) };
    },
  );
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
      await kernel.accounts.users.disable(contextOf(request), request.params.id);
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
      await kernel.accounts.users.setBreakGlassEligible(contextOf(request), request.params.id, request.body.eligible);
      void reply.status(204);
    },
  );
  // Self-service (the caller's own account): the token must carry `account.self`, and a change
  // needs re-authentication (current password and code, or a fresh session). Others' accounts:
  // users.manage. The service decides which.
  api.post(
    '/users/:id/totp',
    {
      schema: {
        tags: ['admin'],
        summary: 'Start TOTP enrolment (for yourself, or as admin); nothing is stored until confirmed',
        params: IdParams,
        response: answer(TotpEnrolment),
      },
    },
    async (request) => kernel.accounts.users.startTotpEnrolment(contextOf(request), request.params.id),
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
      await kernel.accounts.users.confirmTotp(contextOf(request), request.params.id, request.body);
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
      await kernel.accounts.users.setPassword(contextOf(request), request.params.id, request.body);
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
    async (request) => kernel.accounts.users.unlock(contextOf(request), request.params.id),
  );

  // --- service accounts ---
  api.post(
    '/service-accounts',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create a service account',
        body: NewServiceAccount,
        response: answer(ServiceAccount),
      },
    },
    async (request, reply) => {
      const created = await kernel.accounts.services.create(contextOf(request), request.body);
      void reply.status(201);
      return created;
    },
  );
  api.get(
    '/service-accounts',
    { schema: { tags: ['admin'], summary: 'List service accounts', response: listAnswer(ServiceAccount) } },
    async (request) => {
      return { items: await kernel.accounts.services.list(contextOf(request)) };
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
      await kernel.accounts.services.disable(contextOf(request), request.params.id);
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
        response: answer(IssuedToken),
      },
    },
    async (request, reply) => {
      const issued = await kernel.accounts.tokens.issue(contextOf(request), request.body);
      void reply.status(201);
      return issued;
    },
  );
  api.get(
    '/tokens',
    {
      schema: { tags: ['admin'], summary: 'List API tokens (never their secrets)', response: listAnswer(TokenSummary) },
    },
    async (request) => {
      return { items: await namePrincipals(kernel, await kernel.accounts.tokens.list(contextOf(request))) };
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
      await kernel.accounts.tokens.revoke(contextOf(request), request.params.id);
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
        response: answer(Grant),
      },
    },
    async (request, reply) => {
      const grant = await kernel.grantAdmin.add(contextOf(request), request.body);
      void reply.status(201);
      return grant;
    },
  );
  api.get(
    '/grants',
    { schema: { tags: ['admin'], summary: 'List live grants', response: listAnswer(Grant) } },
    async (request) => {
      return { items: await namePrincipals(kernel, await kernel.grantAdmin.list(contextOf(request))) };
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
      await kernel.grantAdmin.revoke(contextOf(request), request.params.id);
      void reply.status(204);
    },
  );
}

/** Items with their principal's name added (after the service decided the list may be read), so a screen never shows a bare id. */
async function namePrincipals<T extends { readonly principalId: string }>(
  kernel: Pick<Kernel, 'roster'>,
  items: readonly T[],
): Promise<(T & { principalName?: string })[]> {
  const names = await kernel.roster.actorNames(items.map((i) => i.principalId));
  return items.map((i) => {
    const principalName = names.get(i.principalId);
    return principalName !== undefined ? { ...i, principalName } : i;
  });
}

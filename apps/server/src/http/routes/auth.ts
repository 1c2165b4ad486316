/** @module /auth: log in (password + TOTP) for a session token, log out, and who am I. */
import type { FastifyInstance } from 'fastify';
import { actions, roleAllows } from '@steward/governance';
import type { Kernel } from '../../kernel.js';
import type { AppConfig } from '../app.js';
import { contextOf } from '../authenticate.js';
import { errors, NoContent } from '../contract/common.js';
import { LoginBody, LoginResult, Me } from '../contract/auth.js';
import { typed } from '../typed.js';

export function authRoutes(app: FastifyInstance, kernel: Kernel, config: AppConfig): void {
  const api = typed(app);
  api.post(
    '/auth/login',
    {
      config: { public: true, rateLimit: { max: config.loginRateLimitPerMinute, timeWindow: 60_000 } },
      schema: {
        tags: ['auth'],
        summary: 'Log in with username, password and TOTP code; returns a session token',
        security: [],
        body: LoginBody,
        response: { 200: LoginResult, ...errors },
      },
    },
    async (request) => {
      const r = await kernel.sessions.login(request.body, { address: request.ip, requestId: request.id });
      return {
        sessionToken: r.sessionToken,
        expiresAt: r.expiresAt,
        absoluteExpiresAt: r.absoluteExpiresAt,
        idleTimeoutSeconds: config.sessionIdleMinutes * 60,
      };
    },
  );

  api.post(
    '/auth/logout',
    { schema: { tags: ['auth'], summary: 'End this session', response: { 204: NoContent, ...errors } } },
    async (request, reply) => {
      await kernel.sessions.logout(contextOf(request).actor, { address: request.ip, requestId: request.id });
      void reply.status(204);
    },
  );

  api.get(
    '/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The authenticated actor, its grants, what they allow where, and break-glass in force',
        response: { 200: Me, ...errors },
      },
    },
    async (request) => {
      const { actor } = contextOf(request);
      const grants = await kernel.grants.forPrincipal(actor.id);
      const permissions: Record<string, string[]> = {};
      for (const grant of grants) {
        for (const action of actions) {
          if (!roleAllows(grant.role, action)) continue;
          const sites = (permissions[action] ??= []);
          if (!sites.includes(grant.site)) sites.push(grant.site);
        }
      }
      const breakGlass = actor.kind === 'user' ? await kernel.breakGlass.inForce(actor.id) : [];
      return { ...actor, grants, permissions, breakGlass };
    },
  );
}

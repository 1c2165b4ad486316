/** @module /auth: log in (password + TOTP) for a session token, log out, and who am I. */
import type { FastifyInstance } from 'fastify';
import { actions, roleAllows } from '@steward/governance';
import type { Kernel } from '../../kernel.js';
import type { AppConfig } from '../app.js';
import { contextOf } from '../authenticate.js';
import { errors } from '../schemas.js';

export function authRoutes(app: FastifyInstance, kernel: Kernel, config: AppConfig): void {
  app.post<{ Body: { username: string; password: string; totpCode?: string } }>(
    '/auth/login',
    {
      config: { public: true, rateLimit: { max: config.loginRateLimitPerMinute, timeWindow: 60_000 } },
      schema: {
        tags: ['auth'],
        summary: 'Log in with username, password and TOTP code; returns a session token',
        security: [],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'password'],
          properties: {
            username: { type: 'string', minLength: 1, maxLength: 64 },
            password: { type: 'string', minLength: 1, maxLength: 1024 },
            totpCode: { type: 'string', pattern: '^\\d{6}$' },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              sessionToken: { type: 'string' },
              expiresAt: { type: 'string', format: 'date-time' },
              absoluteExpiresAt: { type: 'string', format: 'date-time' },
              idleTimeoutSeconds: { type: 'integer' },
            },
          },
          ...errors,
        },
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

  app.post(
    '/auth/logout',
    { schema: { tags: ['auth'], summary: 'End this session', response: { 204: { type: 'null' }, ...errors } } },
    async (request, reply) => {
      await kernel.sessions.logout(contextOf(request).actor, { address: request.ip, requestId: request.id });
      void reply.status(204);
    },
  );

  app.get(
    '/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The authenticated actor, its grants, what they allow where, and break-glass in force',
        response: {
          200: {
            type: 'object',
            properties: {
              kind: { type: 'string' },
              id: { type: 'string' },
              name: { type: 'string' },
              authMethod: { type: 'string' },
              scopes: { type: 'array', items: { type: 'string' } },
              grants: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'string' },
                    role: { type: 'string' },
                    site: { type: 'string' },
                    workflow: { type: 'string' },
                    purposeOfUse: { type: 'string' },
                  },
                },
              },
              permissions: {
                description: 'Each action the grants allow, with the sites where ("*" for every site)',
                type: 'object',
                additionalProperties: { type: 'array', items: { type: 'string' } },
              },
              breakGlass: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'string' },
                    site: { type: 'string' },
                    reason: { type: 'string' },
                    startedAt: { type: 'string', format: 'date-time' },
                    expiresAt: { type: 'string', format: 'date-time' },
                  },
                },
              },
            },
          },
          ...errors,
        },
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

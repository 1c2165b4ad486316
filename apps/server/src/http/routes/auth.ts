/**
 * @module /auth: log in (password + TOTP) for a session token, or for the console's session
 * cookie; log out (which ends the session at the server and clears the cookie); and who am I.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actions, breakGlassActions, roleAllows } from '@steward/governance';
import type { Kernel } from '../../kernel.js';
import type { AppConfig } from '../app.js';
import { assertCsrfHeader, contextOf, sessionCookieName, sessionCookieOf } from '../authenticate.js';
import { errors, NoContent } from '../contract/common.js';
import { LoginBody, LoginResult, Me, SignInInfo } from '../contract/auth.js';
import { typed } from '../typed.js';

export function authRoutes(app: FastifyInstance, kernel: Kernel, config: AppConfig, demo = false): void {
  const api = typed(app);
  api.get(
    '/auth/sign-in',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'What the sign-in page may say before anyone signs in: whether the sandbox demo runs (no data)',
        security: [],
        response: { 200: SignInInfo },
      },
    },
    () => ({ demo }),
  );
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
    async (request, reply) => {
      const { cookie, ...credentials } = request.body;
      const asCookie = cookie === true && cookieWouldStick(request);
      // A login into a cookie is state-changing too: another site's page must not sign a browser in.
      if (asCookie) assertCsrfHeader(request);
      const r = await kernel.sessions.login(credentials, { address: request.ip, requestId: request.id });
      if (asCookie) setSessionCookie(reply, r.sessionToken);
      return {
        ...(asCookie ? {} : { sessionToken: r.sessionToken }),
        sessionCookie: asCookie,
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
      if (sessionCookieOf(request) !== undefined) setSessionCookie(reply, '');
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
      // An episode in force allows what break-glass unlocks at its site, so the console can show it.
      for (const episode of breakGlass) {
        for (const action of breakGlassActions) {
          const sites = (permissions[action] ??= []);
          if (!sites.includes(episode.site) && !sites.includes('*')) sites.push(episode.site);
        }
      }
      const breakGlassEligible =
        actor.kind === 'user' && (await kernel.roster.breakGlassEligible(actor.id)) !== undefined;
      return {
        ...actor,
        grants,
        permissions,
        breakGlassEligible,
        serverTime: kernel.clock.now(),
        ...(actor.authMethod === 'session' ? { idleTimeoutSeconds: config.sessionIdleMinutes * 60 } : {}),
        breakGlass,
      };
    },
  );
}

/**
 * A Secure cookie sticks only over HTTPS (TLS here, or a trusted proxy's X-Forwarded-Proto) or on
 * loopback, which browsers treat as a secure context. Elsewhere the console gets a bearer token.
 */
function cookieWouldStick(request: FastifyRequest): boolean {
  return request.protocol === 'https' || ['localhost', '127.0.0.1', '[::1]'].includes(request.hostname);
}

/**
 * The session cookie: HttpOnly (no script reads it), Secure, SameSite=Strict (no other site's
 * request carries it), for the browser's session (the server's idle and absolute limits end it
 * sooner). An empty value clears it.
 */
function setSessionCookie(reply: FastifyReply, token: string): void {
  const attributes = ['Path=/', 'HttpOnly', 'Secure', 'SameSite=Strict', ...(token === '' ? ['Max-Age=0'] : [])];
  void reply.header('set-cookie', [`${sessionCookieName}=${token}`, ...attributes].join('; '));
}

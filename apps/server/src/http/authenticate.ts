/**
 * @module Every request carries an authenticated actor: this hook resolves the bearer token
 * (a session or an API token) before any handler runs. Only routes marked `public` (health
 * checks, the OpenAPI document, login) answer without one.
 *
 * The console's session rides in an HttpOnly cookie instead (ADR 0014): without an
 * Authorization header, the session cookie is the credential, and then every state-changing
 * request must carry the `X-Steward-CSRF: 1` header, which no other site's page can send (a
 * custom header needs a CORS preflight this server never grants). A bearer header wins over the
 * cookie, so the API, the CLI and service accounts work as before.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  purposesOfUse,
  UnexpectedError,
  UserError,
  ValidationError,
  type Actor,
  type PurposeOfUse,
  type RequestContext,
} from '@steward/core';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Answers without Steward authentication. Only health checks, the API document, login, and EHR
     * notifications (which check the connection's own secret instead).
     */
    public?: boolean;
    /** A FHIR endpoint: errors are answered as an OperationOutcome. */
    fhir?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | undefined;
  }
}

/** The console's session cookie. `__Host-`: Secure, Path=/ and no Domain, or the browser drops it. */
export const sessionCookieName = '__Host-steward_session';
/** The header every state-changing request authenticated by the cookie must carry, with value `1`. */
export const csrfHeader = 'x-steward-csrf';
const safeMethods: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session cookie's value, if the request carries one. */
export function sessionCookieOf(request: FastifyRequest): string | undefined {
  const raw = request.headers.cookie;
  if (raw === undefined) return undefined;
  for (const part of raw.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === sessionCookieName) {
      const value = part.slice(eq + 1).trim();
      return value === '' ? undefined : value;
    }
  }
  return undefined;
}

/** Refuses a state-changing request that a cookie would authenticate without the CSRF header. */
export function assertCsrfHeader(request: FastifyRequest): void {
  if (safeMethods.has(request.method) || request.headers[csrfHeader] === '1') return;
  throw new UserError(
    'CSRF_REFUSED',
    `a request authenticated by the session cookie must send the header X-Steward-CSRF: 1`,
  );
}

export interface ActorResolver {
  authenticate(bearer: string | undefined, source?: { address?: string; requestId?: string }): Promise<Actor>;
}

export function authenticateRequests(app: FastifyInstance, resolver: ActorResolver): void {
  app.decorateRequest('actor', undefined);
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.public === true) return;
    const header = request.headers.authorization;
    let bearer = header !== undefined && /^Bearer /i.test(header) ? header.slice(7).trim() : undefined;
    if (bearer === undefined) {
      const cookie = sessionCookieOf(request);
      if (cookie !== undefined) {
        assertCsrfHeader(request);
        bearer = cookie;
      }
    }
    request.actor = await resolver.authenticate(bearer, { address: request.ip, requestId: request.id });
  });
}

/**
 * The request's governance context: who, why (X-Purpose-Of-Use, an HL7 PurposeOfUse code) and in
 * which workflow (X-Steward-Workflow).
 */
export function contextOf(request: FastifyRequest): RequestContext {
  if (request.actor === undefined) throw new UnexpectedError('a handler ran without an authenticated actor');
  const purpose = header(request, 'x-purpose-of-use');
  if (purpose !== undefined && !purposesOfUse.includes(purpose as PurposeOfUse)) {
    throw new ValidationError('unknown purpose of use', [
      { path: 'header/x-purpose-of-use', message: `one of ${purposesOfUse.join(', ')}` },
    ]);
  }
  const workflow = header(request, 'x-steward-workflow');
  if (workflow !== undefined && !/^[a-z0-9][a-z0-9._-]{0,63}$/.test(workflow)) {
    throw new ValidationError('invalid workflow', [
      { path: 'header/x-steward-workflow', message: 'a lowercase workflow name' },
    ]);
  }
  return {
    actor: request.actor,
    ...(purpose !== undefined ? { purposeOfUse: purpose as PurposeOfUse } : {}),
    ...(workflow !== undefined ? { workflow } : {}),
    sourceAddress: request.ip,
    requestId: request.id,
  };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

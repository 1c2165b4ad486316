/**
 * @module Every request carries an authenticated actor: this hook resolves the bearer token
 * (a session or an API token) before any handler runs. Only routes marked `public` (health
 * checks, the OpenAPI document, login) answer without one.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  purposesOfUse,
  UnexpectedError,
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

export interface ActorResolver {
  authenticate(bearer: string | undefined, source?: { address?: string; requestId?: string }): Promise<Actor>;
}

export function authenticateRequests(app: FastifyInstance, resolver: ActorResolver): void {
  app.decorateRequest('actor', undefined);
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.public === true) return;
    const header = request.headers.authorization;
    const bearer = header !== undefined && /^Bearer /i.test(header) ? header.slice(7).trim() : undefined;
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

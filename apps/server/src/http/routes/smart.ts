/**
 * @module SMART Backend Services sign-in to Steward (issue 18): the discovery document
 * (`/.well-known/smart-configuration`), the token endpoint (`POST /auth/smart/token`, form-encoded
 * client credentials with a signed JWT assertion, answered in RFC 6749's shapes), and the
 * administration of a service account's registration (`/service-accounts/:id/smart`, tokens.manage).
 * The exchange itself is governance's (`kernel.smartBackend`); the token it issues is an API token
 * the authenticator accepts like any other.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { rolePermissions } from '@steward/governance';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors, IdParams, NoContent } from '../contract/common.js';
import {
  NewSmartClient,
  SmartClient,
  SmartConfiguration,
  SmartTokenAnswer,
  SmartTokenError,
  SmartTokenRequest,
} from '../contract/smart.js';
import { typed } from '../typed.js';

export const smartTokenPath = '/auth/smart/token';

export interface SmartRouteOptions {
  /** STEWARD_PUBLIC_URL: Steward's base URL as clients reach it; the token endpoint's `aud` is built from it. */
  readonly publicUrl?: string;
  readonly loginRateLimitPerMinute: number;
}

/** The scopes the discovery document lists: every type for reading and searching, and what an outside service may do. */
const scopesSupported = ['system/*.rs', 'system/*.read', ...[...rolePermissions.agent].sort()];

/** The token endpoint's URL: from STEWARD_PUBLIC_URL when set, else as this request reached the server. */
function tokenUrlOf(request: FastifyRequest, publicUrl: string | undefined): string {
  if (publicUrl !== undefined) return `${publicUrl.replace(/\/+$/, '')}${smartTokenPath}`;
  return `${request.protocol}://${request.host}${smartTokenPath}`;
}

/** A form body as a record; a parameter sent twice (RFC 6749 §3.2 forbids it) becomes invalid. */
function parseForm(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    out[key] = key in out ? '' : value;
  }
  return out;
}

export function smartRoutes(app: FastifyInstance, kernel: Kernel, options: SmartRouteOptions): void {
  const api = typed(app);
  api.get(
    '/.well-known/smart-configuration',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'SMART Backend Services discovery: the token endpoint and what it accepts',
        security: [],
        response: { 200: SmartConfiguration },
      },
    },
    (request) => ({
      token_endpoint: tokenUrlOf(request, options.publicUrl),
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
      grant_types_supported: ['client_credentials'],
      scopes_supported: scopesSupported,
      response_types_supported: ['token'],
      capabilities: ['client-confidential-asymmetric'],
    }),
  );

  // Form-encoded bodies are parsed for this route only (the rest of the API is JSON only).
  void app.register((scope, _opts, done) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_request, body, parsed) => parsed(null, parseForm(String(body))),
    );
    typed(scope).post(
      smartTokenPath,
      {
        config: { public: true, rateLimit: { max: options.loginRateLimitPerMinute, timeWindow: 60_000 } },
        // OAuth answers its own errors (RFC 6749 §5.2): a missing or unknown field is the exchange's to name.
        attachValidation: true,
        schema: {
          tags: ['auth'],
          summary:
            'SMART Backend Services token endpoint: client_credentials with a private_key_jwt assertion (RS384/ES384) for a short-lived access token',
          security: [],
          consumes: ['application/x-www-form-urlencoded'],
          body: SmartTokenRequest,
          response: { 200: SmartTokenAnswer, 400: SmartTokenError, 401: SmartTokenError },
        },
      },
      async (request, reply) => {
        const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<
          string,
          unknown
        >;
        const form = Object.fromEntries(
          Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : '']),
        ) as Record<string, string>;
        const urls = [tokenUrlOf(request, options.publicUrl)];
        const result = await kernel.smartBackend.exchange(form, urls, { address: request.ip, requestId: request.id });
        void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
        if (result.ok) return result.body;
        void reply.status(result.status);
        return result.body;
      },
    );
    done();
  });

  // --- a service account's registration (tokens.manage) ---
  const withEndpoint = <T extends object>(request: FastifyRequest, client: T): T & { tokenEndpoint: string } => ({
    ...client,
    tokenEndpoint: tokenUrlOf(request, options.publicUrl),
  });
  api.put(
    '/service-accounts/:id/smart',
    {
      schema: {
        tags: ['admin'],
        summary:
          'Register (or replace) a service account for SMART Backend Services: its public key set or JWKS URL, and the scopes it may be granted',
        params: IdParams,
        body: NewSmartClient,
        response: { 200: SmartClient, ...errors },
      },
    },
    async (request) =>
      withEndpoint(
        request,
        await kernel.accounts.services.smart.set(contextOf(request), request.params.id, request.body),
      ),
  );
  api.get(
    '/service-accounts/:id/smart',
    {
      schema: {
        tags: ['admin'],
        summary: "A service account's SMART Backend Services registration (public keys only)",
        params: IdParams,
        response: { 200: SmartClient, ...errors },
      },
    },
    async (request) =>
      withEndpoint(request, await kernel.accounts.services.smart.get(contextOf(request), request.params.id)),
  );
  api.delete(
    '/service-accounts/:id/smart',
    {
      schema: {
        tags: ['admin'],
        summary:
          'End SMART Backend Services sign-in for a service account (tokens already issued run out by themselves)',
        params: IdParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await kernel.accounts.services.smart.remove(contextOf(request), request.params.id);
      void reply.status(204);
    },
  );
}

/**
 * @module The HTTP API: Fastify with JSON-schema validation of every body, parameter and header
 * (unknown fields refused, no type coercion), body-size and rate limits, security headers,
 * authentication on every route but health checks, login and the API document, and one error
 * mapping. The OpenAPI document is generated from the same schemas the server validates with.
 */
import { readFileSync } from 'node:fs';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import { newId, UserError, ValidationError } from '@steward/core';
import type { Logger } from '@steward/governance';
import type { EhrRuntime } from '@steward/ehr';
import type { Kernel } from '../kernel.js';
import type { GovernanceConfig, HttpConfig } from '../config/index.js';
import { authenticateRequests } from './authenticate.js';
import { lazySchemaCompilers } from './lazy-schemas.js';
import { errorHandler, toErrorBody } from './error-handler.js';
import { healthRoutes } from './routes/health.js';
import { automationMapRoutes } from './routes/automation-maps.js';
import { automationRunRoutes } from './routes/automation-runs.js';
import { intakeRoutes } from './routes/intake.js';
import { authRoutes } from './routes/auth.js';
import { authTokenRoutes } from './routes/auth-token.js';
import { adminRoutes } from './routes/admin.js';
import { patientRoutes } from './routes/patients.js';
import { patientPageRoutes } from './routes/patient-page.js';
import { patientReviewRoutes } from './routes/patient-reviews.js';
import { breakGlassRoutes } from './routes/break-glass.js';
import { egressRoutes } from './routes/egress.js';
import { auditRoutes } from './routes/audit.js';
import { ehrRoutes } from './routes/ehr.js';
import { ehrConnectionAddRoutes } from './routes/ehr-connections-add.js';
import { referralRuleRoutes } from './routes/referral-rules.js';
import { directoryRoutes } from './routes/directory.js';
import { reviewRoutes } from './routes/review.js';
import { proposalRoutes } from './routes/proposals.js';
import { reviewConsoleRoutes } from './routes/review-console.js';
import { contactRoutes } from './routes/contacts.js';
import { followupRoutes } from './routes/followups.js';
import { referralRoutes } from './routes/referrals.js';
import { operationsRoutes } from './routes/operations.js';
import { retentionRoutes } from './routes/retention.js';
import { siteRoutes } from './routes/sites.js';
import { staffRoutes } from './routes/staff.js';
import { handoffRoutes } from './routes/handoffs.js';
import { incidentRoutes } from './routes/incidents.js';
import { smartRoutes } from './routes/smart.js';
import { aiRoutes } from './routes/ai.js';
import { eventRoutes } from './routes/events.js';
import { consoleRoutes, contentSecurityPolicy } from './console.js';
import { fhirRoutes } from './routes/fhir.js';
import { isFhirFacadeUrl } from './fhir-outcome.js';

/** What the HTTP app reads: its own section, and the session idle limit it tells clients. */
export type AppConfig = Pick<
  HttpConfig,
  'tls' | 'bodyLimitBytes' | 'rateLimitPerMinute' | 'loginRateLimitPerMinute' | 'trustProxy'
> &
  Pick<GovernanceConfig, 'sessionIdleMinutes'>;

export interface AppParts {
  /** The running EHR layer, for the notification route and connection status. */
  readonly ehr?: EhrRuntime;
  /** The sandbox demo runs (synthetic clinic, demo staff accounts): the sign-in page says how to get them. */
  readonly demo?: boolean;
  /** STEWARD_PUBLIC_URL: how clients reach Steward (the SMART token endpoint's `aud`). */
  readonly publicUrl?: string;
  /** How often an idle event stream sends its heartbeat comment (ms). Default 15,000 (tests shorten it). */
  readonly streamHeartbeatMs?: number;
}

export async function buildApp(
  kernel: Kernel,
  config: AppConfig,
  logger: Logger,
  parts: AppParts = {},
): Promise<FastifyInstance> {
  const schemas = lazySchemaCompilers();
  const app = Fastify({
    loggerInstance: logger,
    // Each route's validators and serializers compiled at its first use, not all at start.
    schemaController: schemas.schemaController,
    // Log the route pattern, never the URL: query strings can carry identifiers.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => newId(),
    bodyLimit: config.bodyLimitBytes,
    // Off by default: request.ip is the peer. Behind named proxies, the client they forwarded for.
    trustProxy: config.trustProxy === false ? false : [...config.trustProxy],
    ...(config.tls !== undefined
      ? {
          https: {
            cert: readFileSync(config.tls.certFile),
            key: readFileSync(config.tls.keyFile),
            minVersion: 'TLSv1.2' as const,
          },
        }
      : {}),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true, useDefaults: false } },
    routerOptions: { maxParamLength: 200 },
    // Errors the router raises before any route (bad URL encoding, over-long parameters).
    frameworkErrors: (error, request, reply) => errorHandler(error, request, reply),
  }) as unknown as FastifyInstance;
  schemas.attach(app);

  app.setErrorHandler(errorHandler);
  // JSON only: Fastify parses text/plain by default, which would reach handlers as a string.
  app.removeContentTypeParser('text/plain');
  // PostgreSQL text cannot hold NUL: refuse it at the edge, in every parameter, with a clear code.
  app.addHook('preValidation', (request, _reply, done) => {
    const where = findNul({ body: request.body, query: request.query, params: request.params });
    if (where !== undefined) {
      done(
        new ValidationError('text may not contain NUL characters', [
          { path: where, message: 'contains a NUL character' },
        ]),
      );
      return;
    }
    done();
  });
  app.setNotFoundHandler((request, reply) => {
    if (isFhirFacadeUrl(request.url)) {
      errorHandler(
        new UserError('ROUTE_NOT_FOUND', 'no such FHIR interaction: this endpoint serves metadata, read and search'),
        request,
        reply,
      );
      return;
    }
    void reply.status(404).send({
      code: 'ROUTE_NOT_FOUND',
      message: 'no such route: see /openapi.json',
      details: [],
      requestId: request.id,
    });
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });

  await app.register(helmet, {
    hsts: config.tls !== undefined ? { maxAge: 31_536_000 } : false,
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(config.tls !== undefined) },
  });
  await app.register(rateLimit, {
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (request, context) => ({
      statusCode: 429,
      ...toErrorBody({ statusCode: 429 }, request.id).body,
      message: `too many requests: retry after ${Math.ceil(context.ttl / 1000)} s`,
    }),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Steward API', version: '0.1.0', description: 'The governed operational layer around an EHR.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });

  authenticateRequests(app, kernel.authenticator);
  healthRoutes(app, kernel);
  authRoutes(app, kernel, config, parts.demo === true);
  authTokenRoutes(app, kernel);
  adminRoutes(app, kernel);
  patientRoutes(app, kernel);
  patientReviewRoutes(app, kernel);
  patientPageRoutes(app, kernel);
  breakGlassRoutes(app, kernel);
  egressRoutes(app, kernel);
  auditRoutes(app, kernel);
  ehrRoutes(app, kernel, parts.ehr, config.rateLimitPerMinute);
  ehrConnectionAddRoutes(app, kernel, parts.ehr);
  referralRuleRoutes(app, kernel);
  reviewRoutes(app, kernel);
  proposalRoutes(app, kernel);
  reviewConsoleRoutes(app, kernel);
  contactRoutes(app, kernel);
  followupRoutes(app, kernel);
  referralRoutes(app, kernel);
  directoryRoutes(app, kernel);
  operationsRoutes(app, kernel);
  retentionRoutes(app, kernel);
  siteRoutes(app, kernel);
  staffRoutes(app, kernel);
  handoffRoutes(app, kernel);
  incidentRoutes(app, kernel);
  automationRunRoutes(app, kernel);
  intakeRoutes(app, kernel);
  automationMapRoutes(app, kernel);
  fhirRoutes(app, kernel);
  smartRoutes(app, kernel, {
    loginRateLimitPerMinute: config.loginRateLimitPerMinute,
    ...(parts.publicUrl !== undefined ? { publicUrl: parts.publicUrl } : {}),
  });
  aiRoutes(app, kernel);
  eventRoutes(app, kernel, parts.streamHeartbeatMs !== undefined ? { heartbeatMs: parts.streamHeartbeatMs } : {});
  await consoleRoutes(app);
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, () => app.swagger());
  await app.ready();
  return app;
}

/** The path of the first string holding U+0000 in a parsed request, if any. */
function findNul(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '/' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value)) {
    if (k.includes('\u0000')) return `${path}/${k.replaceAll('\u0000', '')}`;
    const found = findNul(v, `${path}/${k}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

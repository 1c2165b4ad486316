/**
 * @module /ehr: the running EHR connections (status, check, dead letters, flagged events; for
 * whoever may manage configuration, decided in the EHR and workflows packages' services) and the
 * route EHRs post FHIR subscription notifications to. That route is not
 * behind Steward's login: it checks the connection's own notification secret, files as the
 * connection's service account, answers 200 only once everything is stored (so the EHR retries
 * otherwise), and answers errors as FHIR OperationOutcomes.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AuthenticationError } from '@steward/core';
import type { EhrRuntime } from '@steward/ehr';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors } from '../contract/common.js';
import { ConnectionNameParams } from '../contract/config.js';
import {
  AttentionList,
  ConnectionCheckReport,
  ConnectionOverviewList,
  FlaggedEventPage,
  FlaggedEventsQuery,
  NotificationAnswer,
  NotificationBody,
  NotificationParams,
  NotificationQuery,
} from '../contract/ehr.js';
import { typed } from '../typed.js';

export function ehrRoutes(
  app: FastifyInstance,
  kernel: Pick<Kernel, 'connectionOperations' | 'eventFlags'>,
  runtime: EhrRuntime | undefined,
  limitPerMinute: number,
): void {
  const api = typed(app);
  // FHIR servers send application/fhir+json; parse it as JSON here only.
  app.addContentTypeParser(['application/fhir+json'], { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(Object.assign(new Error('bad json'), { code: 'FST_ERR_CTP_INVALID_JSON_BODY', statusCode: 400 }));
    }
  });

  // Authenticate, then rate limit by who the sender is: a connection that proved its secret spends
  // its own budget; anything else spends the budget of its address, so a flood of forged posts
  // (which need only the connection id in the path) never touches the real EHR's budget.
  const verified = new WeakSet<FastifyRequest>();
  const idOf = (request: FastifyRequest) => (request.params as { id?: string }).id ?? '';
  api.post(
    '/ehr/connections/:id/notifications',
    {
      config: { public: true, fhir: true, rateLimit: false },
      onRequest: [
        (request, _reply, done) => {
          if (runtime?.authenticates(idOf(request), request.headers.authorization) === true) verified.add(request);
          done();
        },
        app.rateLimit({
          max: limitPerMinute,
          timeWindow: 60_000,
          keyGenerator: (request) =>
            verified.has(request) ? `notifications:${idOf(request)}` : `notifications-unverified:${request.ip}`,
        }),
      ],
      schema: {
        tags: ['ehr'],
        summary: 'FHIR subscription notifications from an EHR (R4 backport rest-hook)',
        security: [],
        params: NotificationParams,
        querystring: NotificationQuery,
        body: NotificationBody,
        response: { 200: NotificationAnswer },
      },
    },
    async (request) => {
      // Credentials first, as on every other route: nothing is said about connections to a stranger.
      if (request.headers.authorization === undefined)
        throw new AuthenticationError('AUTH_REQUIRED', 'a notification needs the connection secret (Authorization)');
      if (runtime === undefined || !verified.has(request))
        throw new AuthenticationError('AUTH_INVALID', 'notification refused: unknown connection or wrong secret');
      const result = await runtime.notify(request.params.id, request.headers.authorization, request.body);
      return { type: result.type, events: result.events };
    },
  );

  api.get(
    '/ehr/connections',
    {
      schema: {
        tags: ['ehr'],
        summary: 'EHR connections and what each is doing (listener, subscriptions, last poll)',
        response: { 200: ConnectionOverviewList, ...errors },
      },
    },
    async (request) => kernel.connectionOperations.overview(contextOf(request), runtime?.status()),
  );

  api.post(
    '/ehr/connections/:name/check',
    {
      schema: {
        tags: ['ehr'],
        summary: 'Prove a connection works: discovery, a SMART token, a read',
        params: ConnectionNameParams,
        response: { 200: ConnectionCheckReport, ...errors },
      },
    },
    async (request) => kernel.connectionOperations.check(contextOf(request), request.params.name),
  );

  api.get(
    '/ehr/connections/:name/dead-letters',
    {
      schema: {
        tags: ['ehr'],
        summary:
          'The attention list: messages not processed (dead letters), filed under a reused control id, or kept but not routed (ignored), with counts per kind and the reason (never their content)',
        params: ConnectionNameParams,
        response: { 200: AttentionList, ...errors },
      },
    },
    async (request) => kernel.connectionOperations.attention(contextOf(request), request.params.name),
  );

  api.get(
    '/ehr/connections/:name/flagged-events',
    {
      schema: {
        tags: ['ehr'],
        summary:
          'Events filed with something a person should look at (schedule conflicts, inferred time zones): codes and field names, never content',
        params: ConnectionNameParams,
        querystring: FlaggedEventsQuery,
        response: { 200: FlaggedEventPage, ...errors },
      },
    },
    async (request) =>
      kernel.eventFlags.list(contextOf(request), request.params.name, Number(request.query.limit ?? 100)),
  );
}

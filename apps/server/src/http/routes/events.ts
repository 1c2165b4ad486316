/**
 * @module /events: webhook subscriptions, the dead-letter list and replay, and the server-sent event
 * stream (ADR 0019). The caller is a service account with `events.subscribe` (role `agent`); the
 * services decide, scope by its grants and audit. The stream: `text/event-stream`, each event's id
 * its `id:`, resumed from `Last-Event-ID` (or `?after=`), a comment line as heartbeat every 15 s,
 * ended when the client goes or the server stops.
 */
import type { FastifyInstance } from 'fastify';
import { ValidationError } from '@steward/core';
import { eventTypes } from '@steward/events';
import type { Kernel } from '../../kernel.js';
import { contextOf } from '../authenticate.js';
import { errors, IdParams, NoContent } from '../contract/common.js';
import {
  DeadLetterList,
  DeadLetterQuery,
  NewSubscriptionBody,
  StreamQuery,
  SubscriptionCreated,
  SubscriptionList,
} from '../contract/events.js';
import { typed } from '../typed.js';

/** How often an idle stream sends a comment line, so proxies and clients know it is alive. */
export const heartbeatMs = 15_000;

export function eventRoutes(
  app: FastifyInstance,
  kernel: Pick<Kernel, 'events'>,
  options: { readonly heartbeatMs?: number } = {},
): void {
  const every = options.heartbeatMs ?? heartbeatMs;
  const api = typed(app);
  const { subscriptions, stream } = kernel.events;
  const open = new Set<AbortController>();
  // Open streams end when the server stops (else closing would wait for every client to go).
  app.addHook('preClose', (done) => {
    for (const c of open) c.abort();
    done();
  });

  api.post(
    '/events/subscriptions',
    {
      schema: {
        tags: ['events'],
        summary: 'Subscribe to events by webhook (the secret is shown once)',
        body: NewSubscriptionBody,
        response: { 201: SubscriptionCreated, ...errors },
      },
    },
    async (request, reply) => {
      const created = await subscriptions.subscribe(contextOf(request), request.body);
      void reply.status(201);
      return created;
    },
  );

  api.get(
    '/events/subscriptions',
    {
      schema: {
        tags: ['events'],
        summary: "The caller's webhook subscriptions",
        response: { 200: SubscriptionList, ...errors },
      },
    },
    async (request) => ({ items: await subscriptions.list(contextOf(request)) }),
  );

  api.delete(
    '/events/subscriptions/:id',
    {
      schema: {
        tags: ['events'],
        summary: 'End a webhook subscription',
        params: IdParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await subscriptions.unsubscribe(contextOf(request), request.params.id);
      void reply.status(204);
      return null;
    },
  );

  api.get(
    '/events/dead-letters',
    {
      schema: {
        tags: ['events'],
        summary: "Deliveries given up after the last attempt (the caller's subscriptions)",
        querystring: DeadLetterQuery,
        response: { 200: DeadLetterList, ...errors },
      },
    },
    async (request) => ({
      items: await subscriptions.deadLetters(
        contextOf(request),
        request.query.limit === undefined ? undefined : Number(request.query.limit),
      ),
    }),
  );

  api.post(
    '/events/dead-letters/:id/replay',
    {
      schema: {
        tags: ['events'],
        summary: 'Deliver a dead letter again (a fresh count of attempts)',
        params: IdParams,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await subscriptions.replay(contextOf(request), request.params.id);
      void reply.status(204);
      return null;
    },
  );

  api.get(
    '/events/stream',
    {
      schema: {
        tags: ['events'],
        summary: 'Server-sent events: the caller’s events as they come (resume with Last-Event-ID or ?after=)',
        querystring: StreamQuery,
        response: { ...errors },
      },
    },
    async (request, reply) => {
      const ctx = contextOf(request);
      const lastEventId = request.headers['last-event-id'];
      const after =
        request.query.after ?? (typeof lastEventId === 'string' && lastEventId !== '' ? lastEventId : undefined);
      const types = request.query.types?.split(',').filter((t) => t !== '');
      const unknown = (types ?? []).filter((t) => !eventTypes.includes(t));
      if (unknown.length > 0)
        throw new ValidationError('unknown event type', [
          { path: 'types', message: `must be among: ${eventTypes.join(', ')}` },
        ]);
      const wanted = {
        ...(after !== undefined ? { after } : {}),
        ...(request.query.since !== undefined ? { since: new Date(request.query.since) } : {}),
        ...(types !== undefined ? { types } : {}),
        phi: request.query.phi === 'true',
      };
      // Checked before the stream opens, so a refusal is an ordinary error answer.
      const position = await stream.open(ctx, wanted);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write('retry: 2000\n\n');
      const controller = new AbortController();
      open.add(controller);
      const stop = (): void => controller.abort();
      request.raw.on('close', stop);
      raw.on('close', stop);
      raw.on('error', stop);
      const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), every);
      try {
        for await (const item of stream.follow(ctx, position, wanted, controller.signal)) {
          const more = raw.write(`id: ${item.id}\nevent: ${item.type}\ndata: ${JSON.stringify(item.payload)}\n\n`);
          if (!more && !controller.signal.aborted)
            await new Promise<void>((resolve) => {
              raw.once('drain', resolve);
              controller.signal.addEventListener('abort', () => resolve(), { once: true });
            });
        }
      } catch (e) {
        request.log.warn(
          { code: (e as { code?: string }).code ?? 'INTERNAL', err: e },
          'event stream ended by an error',
        );
      } finally {
        clearInterval(heartbeat);
        open.delete(controller);
        raw.end();
      }
    },
  );
}

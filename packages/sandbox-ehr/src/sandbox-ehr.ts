/**
 * @module The sandbox EHR's composition root: one node:http server with the FHIR API at `/fhir/R4/`, the SMART
 * token endpoint at `/auth/token`, the fault-injection control at `/$sandbox/faults`, subscriptions, and a browser
 * EHR over the same data at `/web/<variant>/` (three clinic variants, sign-in with TOTP and an idle time-out; its
 * controls at `/$sandbox/web/...`, see `web-screens/`).
 *
 * With `dataDir`, every committed write is journaled there (fsync before the answer) and replayed at the next
 * start, and the seed is applied only to an empty store; without it everything lives in memory and is lost on
 * close. Known limits: plain HTTP on localhost (a test double, not a deployment); the `$sandbox/faults` control
 * and `$sandbox/web` controls are not authenticated, so bind to 127.0.0.1; registered clients, tokens, fault rules,
 * web users and web sessions are not kept.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { systemClock } from '@steward/core';
import type { Clock } from '@steward/core';
import { parseSearchRequest } from '@medplum/core';
import { FhirRouter } from '@medplum/fhir-router';
import type { Subscription } from '@medplum/fhirtypes';
import type { JSONWebKeySet } from 'jose';
import { FaultInjector, parseFaultRules } from './faults/index.js';
import { FhirHandler, SandboxRepository, jsonReply, loadFhirDefinitions, outcomeReply } from './fhir-server/index.js';
import type { HttpReply, SandboxRequest } from './fhir-server/index.js';
import { Journal } from './persistence/index.js';
import { seedSynthea } from './seed/index.js';
import type { SeedReport } from './seed/index.js';
import { TokenEndpoint } from './smart-auth/index.js';
import { SubscriptionManager, subscriptionTopicUrls, subscriptionTopics, topicAsBasic } from './subscriptions/index.js';
import type { DeliveryStats } from './subscriptions/index.js';
import { WebScreens } from './web-screens/index.js';
import type { WebUser } from './web-screens/index.js';

export interface SandboxEhrOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  readonly seed?: { readonly fixturesDir: string; readonly maxPatients?: number };
  /** Where the EHR keeps its data across restarts (created if missing). None: in memory only. */
  readonly dataDir?: string;
  /** Access token lifetime (default 300 s). */
  readonly accessTokenTtlSeconds?: number;
  readonly faultSeed?: number;
  /** Largest accepted request body (default 10 MiB). */
  readonly maxBodyBytes?: number;
  /** Subscription delivery tuning (see SubscriptionManagerOptions). */
  readonly subscriptionRetryDelayMs?: number;
  readonly subscriptionMaxAttempts?: number;
  readonly clock?: Clock;
  /** Who may sign in to the web screens (more through `POST /$sandbox/web/users`). */
  readonly webUsers?: readonly WebUser[];
  /** Idle time after which a web session shows "Session expired" (default 15 min). */
  readonly webIdleTimeoutMs?: number;
}

export interface SandboxClient {
  readonly clientId: string;
  readonly jwks: JSONWebKeySet;
  readonly allowedScopes: readonly string[];
}

export interface SandboxEhr {
  /** e.g. http://127.0.0.1:40123 */
  readonly url: string;
  /** e.g. http://127.0.0.1:40123/fhir/R4 (no trailing slash) */
  readonly fhirBaseUrl: string;
  readonly tokenUrl: string;
  readonly faults: FaultInjector;
  readonly repository: SandboxRepository;
  readonly router: FhirRouter;
  /** The browser EHR's screens, users and sessions. */
  readonly web: WebScreens;
  /** What the seed wrote, at the start that applied it (kept in the data directory for later starts). */
  readonly seedReport: SeedReport | undefined;
  /** Whether this start found data from an earlier run in `dataDir`. */
  readonly restored: boolean;
  /** The data directory, when the EHR persists. */
  readonly dataDir: string | undefined;
  registerClient(client: SandboxClient): void;
  subscriptionStats(): DeliveryStats;
  close(): Promise<void>;
}

const fhirMount = '/fhir/R4';

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: HttpReply): void {
  res.writeHead(reply.status, reply.headers);
  res.end(reply.body);
}

export async function startSandboxEhr(options: SandboxEhrOptions = {}): Promise<SandboxEhr> {
  loadFhirDefinitions();
  const router = new FhirRouter();
  const journal = options.dataDir !== undefined ? new Journal(options.dataDir) : undefined;
  const repository = new SandboxRepository(journal ? { journal } : {});
  const restored = repository.changeCount > 0;
  const faults = new FaultInjector(options.faultSeed ?? 1);
  const maxBody = options.maxBodyBytes ?? 10 * 1024 * 1024;
  const sockets = new Set<Socket>();
  const host = options.host ?? '127.0.0.1';

  // Handlers need the public URL, known only once listening; they are built right after.
  let dispatch: (req: IncomingMessage, res: ServerResponse) => Promise<void> = () => Promise.resolve();
  const server: Server = createServer((req, res) => {
    dispatch(req, res).catch(() => {
      if (!res.headersSent) send(res, outcomeReply(500, 'internal error in the sandbox'));
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const fhirBaseUrl = `${url}${fhirMount}`;
  const tokenUrl = `${url}/auth/token`;

  const tokens = new TokenEndpoint({
    tokenUrl,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 300,
    clock: options.clock ?? systemClock,
  });
  const subscriptions = new SubscriptionManager({
    repository,
    fhirBaseUrl,
    ...(options.subscriptionMaxAttempts !== undefined ? { maxAttempts: options.subscriptionMaxAttempts } : {}),
    ...(options.subscriptionRetryDelayMs !== undefined ? { retryDelayMs: options.subscriptionRetryDelayMs } : {}),
  });
  const fhir = new FhirHandler({
    router,
    repository,
    fhirBaseUrl,
    tokenUrl,
    subscriptionTopics: subscriptionTopicUrls,
    softwareVersion: '0.1.0',
    introspect: (token) => tokens.introspect(token),
    validateWrite: (resource) => subscriptions.validate(resource),
  });

  for (const topic of subscriptionTopics) {
    const basic = topicAsBasic(topic);
    if (!repository.hasHistory(basic.resourceType, basic.id ?? '')) await repository.updateResource(basic);
  }
  // The seed goes into an empty store once; later starts keep what the clinic and clients did since.
  let seedReport = repository.meta<SeedReport>('seed');
  if (options.seed && seedReport === undefined) {
    // One unit: one journal line and fsync for the whole seed, and a failed seed leaves nothing behind.
    const seedOptions = options.seed;
    seedReport = await repository.importUnit(() => seedSynthea(router, repository, seedOptions));
    await repository.setMeta('seed', seedReport);
  }
  subscriptions.start();
  if (restored) {
    subscriptions.resume(await repository.searchResources(parseSearchRequest<Subscription>('Subscription', {})));
  }

  const web = new WebScreens({
    repository,
    clock: options.clock ?? systemClock,
    ...(options.webIdleTimeoutMs !== undefined ? { idleTimeoutMs: options.webIdleTimeoutMs } : {}),
    users: options.webUsers ?? [],
  });

  const handle = async (req: SandboxRequest): Promise<HttpReply> => {
    if (req.path === '/auth/token') {
      if (req.method !== 'POST')
        return jsonReply(405, { error: 'invalid_request', error_description: 'POST only' }, {}, 'application/json');
      const result = await tokens.handle(new URLSearchParams(req.body.toString('utf8')));
      return jsonReply(result.status, result.body, { 'cache-control': 'no-store' }, 'application/json');
    }
    if (req.path === '/$sandbox/faults') {
      if (req.method === 'POST') {
        try {
          faults.setRules(parseFaultRules(JSON.parse(req.body.toString('utf8'))));
        } catch (e) {
          return jsonReply(400, { error: e instanceof Error ? e.message : 'invalid rules' }, {}, 'application/json');
        }
      } else if (req.method === 'DELETE') faults.clear();
      return jsonReply(200, faults.state(), {}, 'application/json');
    }
    if (req.path.startsWith('/$sandbox/web/')) return web.control(req);
    if (req.path === '/web' || req.path.startsWith('/web/')) return web.handle(req);
    if (req.path === fhirMount || req.path.startsWith(`${fhirMount}/`)) {
      return fhir.handle({ ...req, path: req.path.slice(fhirMount.length + 1) });
    }
    return outcomeReply(404, 'not found');
  };

  dispatch = async (req, res) => {
    const target = new URL(req.url ?? '/', url);
    const method = (req.method ?? 'GET').toUpperCase();
    let body: Buffer;
    try {
      body = await readBody(req, maxBody);
    } catch (e) {
      if (e instanceof BodyTooLarge) {
        res.setHeader('connection', 'close');
        send(res, outcomeReply(413, `request body exceeds ${maxBody} bytes`));
        return;
      }
      throw e;
    }
    const request: SandboxRequest = {
      method,
      path: target.pathname,
      search: target.searchParams,
      headers: req.headers,
      body,
    };
    const decision = target.pathname.startsWith('/$sandbox/')
      ? { kind: 'none' as const }
      : faults.decide(method, target.pathname);
    switch (decision.kind) {
      case 'timeout':
        return; // never answered; the socket stays open until the client gives up or the sandbox closes
      case 'drop':
        req.socket.destroy();
        return;
      case 'status':
        send(res, outcomeReply(decision.status, 'injected fault'));
        return;
      case 'rate-limit':
        send(res, outcomeReply(429, 'injected rate limit', { 'retry-after': String(decision.retryAfterSeconds) }));
        return;
      case 'latency':
        await new Promise((resolve) => setTimeout(resolve, decision.ms));
        break;
      case 'lost-response': {
        await handle(request); // committed for real...
        req.socket.destroy(); // ...and the answer never reaches the client
        return;
      }
      case 'commit-then-timeout':
        await handle(request); // committed for real, and never answered: the client times out
        return;
      case 'late-commit':
        await new Promise((resolve) => setTimeout(resolve, decision.ms));
        await handle(request); // committed after a client with a shorter time-out gave up
        req.socket.destroy();
        return;
      case 'none':
        break;
    }
    send(res, await handle(request));
  };

  return {
    url,
    fhirBaseUrl,
    tokenUrl,
    faults,
    repository,
    router,
    web,
    seedReport,
    restored,
    dataDir: options.dataDir,
    registerClient: (client) => tokens.registerClient(client),
    subscriptionStats: () => subscriptions.stats,
    close: async () => {
      await subscriptions.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
      journal?.close();
    },
  };
}

/**
 * @module The EHR layer, running inside the server: one ConnectionRuntime per enabled
 * connection, each acting as that connection's own service account, and the check the
 * notification route makes before it files anything.
 *
 * Notification secret: each connection's Subscriptions carry `Authorization: Bearer <secret>`,
 * where the secret is a keyed hash (the key ring's blind index) of the connection id. Steward can
 * recompute it at every start without storing it, so Subscriptions survive restarts; the route
 * compares in constant time and files as the connection, whose `ehr.ingest` grant the journal
 * still enforces. The endpoint carries a short fingerprint of the secret (see subscriptions.ts).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { AuthenticationError, NotFoundError, systemClock, type Clock, type RequestContext } from '@steward/core';
import type { EhrJournal, KeyRing } from '@steward/governance';
import type { ConnectionRegistry, EhrConnection } from '../connections/index.js';
import type { NotificationResult } from '../inbound/index.js';
import type { ConnectionClients } from './connection-client.js';
import { ConnectionRuntime, type ConnectionStatus, type RuntimeLogger } from './connection-runtime.js';
import type { Resource } from '@medplum/fhirtypes';
import { directoryFactsFromFhir, type DirectoryService } from '@steward/clinic';

export interface EhrRuntimeDeps {
  readonly connections: ConnectionRegistry;
  readonly journal: EhrJournal;
  /** The process's one client per connection (shared with the applier and workflows). */
  readonly clients: ConnectionClients;
  readonly cipher: Pick<KeyRing, 'blindIndex'>;
  readonly logger: RuntimeLogger;
  readonly clock?: Clock;
  /** The clinic directory: learns the directory's resources each connection files (as that connection's account). */
  readonly directory?: Pick<DirectoryService, 'learn'>;
  /** Intake: takes the document of each filed HL7 MDM message (as the connection's account, at its site). */
  readonly documents?: (ctx: RequestContext, connection: EhrConnection, raw: string) => Promise<void>;
}

export interface EhrRuntimeOptions {
  /** Steward's own base URL as the EHR reaches it (for Subscription endpoints); none = polling only. */
  readonly publicUrl?: string;
  readonly mllpHost?: string;
  /** Worker threads per MLLP listener decoding HL7 off the writer's thread (0..16; default 1, 0: inline). */
  readonly mllpDecodeThreads?: number;
  /** The MLLP TLS key and certificate (PEM), for connections that ask for TLS. */
  readonly mllpTls?: { readonly key: string; readonly cert: string; readonly ca?: string };
  /** Per connection name: overrides for tests and the demo (ephemeral MLLP port, poll interval). */
  readonly overrides?: Readonly<Record<string, { readonly mllpPort?: number; readonly pollIntervalMs?: number }>>;
}

export class EhrRuntime {
  readonly #running = new Map<string, ConnectionRuntime>();
  readonly #clock: Clock;
  #publicUrl: string | undefined;

  constructor(
    private readonly deps: EhrRuntimeDeps,
    private readonly options: EhrRuntimeOptions = {},
  ) {
    this.#clock = deps.clock ?? systemClock;
    this.#publicUrl = options.publicUrl;
  }

  /**
   * Starts every enabled connection. One that fails to start is logged and skipped; the rest run.
   * `publicUrl` may be given here when it is known only once the API listens (an ephemeral port).
   */
  async start(at: { readonly publicUrl?: string } = {}): Promise<void> {
    if (at.publicUrl !== undefined) this.#publicUrl = at.publicUrl;
    for (const c of await this.deps.connections.all()) {
      try {
        await this.startConnection(c);
      } catch (e) {
        const code = e instanceof Error && 'code' in e ? String((e as { code: unknown }).code) : 'INTERNAL';
        this.deps.logger.error({ connection: c.name, code, err: e }, 'EHR connection did not start');
      }
    }
  }

  async startConnection(connection: EhrConnection): Promise<ConnectionRuntime> {
    await this.#running.get(connection.id)?.stop();
    const d = this.deps;
    const o = this.options.overrides?.[connection.name] ?? {};
    const actor = d.connections.actorOf(connection);
    const client = connection.fhirBaseUrl === undefined ? undefined : await d.clients.for(connection);
    const directory = d.directory;
    const documents = d.documents;
    const runtime = new ConnectionRuntime({
      connection,
      ...(directory !== undefined
        ? {
            directory: (resources: readonly Resource[]) =>
              directory.learn(
                { actor, sourceAddress: 'ehr-runtime' },
                connection.id,
                resources.flatMap((r) => directoryFactsFromFhir(r) ?? []),
              ),
          }
        : {}),
      ...(documents !== undefined
        ? { documents: (raw: string) => documents({ actor, sourceAddress: 'ehr-runtime' }, connection, raw) }
        : {}),
      journal: d.journal.forConnection({ actor, sourceAddress: 'ehr-runtime' }, connection),
      marks: {
        get: (type) => d.connections.highWater(connection.id, type),
        set: (type, value) => d.connections.setHighWater(connection.id, type, value),
      },
      client,
      logger: d.logger,
      clock: this.#clock,
      ...(this.options.mllpHost !== undefined ? { mllpHost: this.options.mllpHost } : {}),
      ...(this.options.mllpDecodeThreads !== undefined ? { mllpDecodeThreads: this.options.mllpDecodeThreads } : {}),
      ...(this.options.mllpTls !== undefined ? { mllpTls: this.options.mllpTls } : {}),
      ...(o.mllpPort !== undefined ? { mllpPort: o.mllpPort } : {}),
      ...(o.pollIntervalMs !== undefined ? { pollIntervalMs: o.pollIntervalMs } : {}),
      ...(this.#publicUrl !== undefined
        ? {
            notifications: {
              endpoint: this.notificationEndpoint(connection),
              authorization: `Bearer ${this.#secret(connection)}`,
            },
          }
        : {}),
    });
    // Registered before it starts: an EHR's subscription handshake may arrive while it starts.
    this.#running.set(connection.id, runtime);
    try {
      await runtime.start();
    } catch (e) {
      this.#running.delete(connection.id);
      await runtime.stop();
      throw e;
    }
    return runtime;
  }

  /** The running connection by id or name. */
  get(idOrName: string): ConnectionRuntime {
    for (const r of this.#running.values()) {
      if (r.connection.id === idOrName || r.connection.name === idOrName) return r;
    }
    throw new NotFoundError(`running EHR connection ${idOrName}`);
  }

  status(): ConnectionStatus[] {
    return [...this.#running.values()].map((r) => r.status());
  }

  notificationEndpoint(connection: EhrConnection): string {
    const base = (this.#publicUrl ?? '').replace(/\/+$/, '');
    return `${base}/ehr/connections/${connection.id}/notifications?k=${this.#fingerprint(connection)}`;
  }

  /**
   * Checks a notification's `Authorization` header against the connection's secret, then files it
   * as the connection. Throws AuthenticationError (401) before reading anything else.
   */
  async notify(connectionId: string, authorization: string | undefined, body: unknown): Promise<NotificationResult> {
    const runtime = this.#sender(connectionId, authorization);
    if (runtime === undefined) {
      throw new AuthenticationError('AUTH_INVALID', 'notification refused: unknown connection or wrong secret');
    }
    return runtime.notification(body);
  }

  /**
   * Whether `authorization` carries this running connection's notification secret: cheap (one
   * keyed hash), so the HTTP edge asks it before rate limiting and keys the limit by the sender.
   */
  authenticates(connectionId: string, authorization: string | undefined): boolean {
    return this.#sender(connectionId, authorization) !== undefined;
  }

  #sender(connectionId: string, authorization: string | undefined): ConnectionRuntime | undefined {
    const runtime = [...this.#running.values()].find((r) => r.connection.id === connectionId);
    const presented = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    const expected = runtime !== undefined ? this.#secret(runtime.connection) : undefined;
    if (
      runtime === undefined ||
      presented === undefined ||
      expected === undefined ||
      presented.length !== expected.length ||
      !timingSafeEqual(Buffer.from(presented), Buffer.from(expected))
    )
      return undefined;
    return runtime;
  }

  async stop(): Promise<void> {
    const all = [...this.#running.values()];
    this.#running.clear();
    await Promise.all(all.map((r) => r.stop()));
  }

  #secret(connection: EhrConnection): string {
    return this.deps.cipher.blindIndex('ehr.notification-secret', connection.id).toString('base64url');
  }

  #fingerprint(connection: EhrConnection): string {
    return createHash('sha256').update(this.#secret(connection)).digest('hex').slice(0, 12);
  }
}

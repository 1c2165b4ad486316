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
 *
 * Several processes (issue 20): with `locks` (PostgreSQL), each connection's listener, polls and
 * subscriptions run in exactly one process, the one holding the connection's lock (session-locks.ts
 * in the store says why a session advisory lock). The others stand by: every `standbyMs` they try
 * the locks they lack (and pick up connections added elsewhere), so when the owner dies a standby
 * binds the same MLLP port within about that interval. An owner whose lock session is lost stops
 * that connection's listener and polls at once, and competes again after 5 intervals (the
 * standbys first). Notifications file on any EHR node, owner or standby (the journal dedupes).
 * Without `locks` (the embedded store: one process) this process owns every connection.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { hostname } from 'node:os';
import { AuthenticationError, NotFoundError, systemClock, type Clock, type RequestContext } from '@steward/core';
import type { EhrJournal, KeyRing } from '@steward/governance';
import type { SessionLocks } from '@steward/store';
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
  /** Ownership across processes (PostgreSQL); the runtime closes it on stop. None: this process owns all. */
  readonly locks?: SessionLocks;
}

/** Who runs a connection: this node (`owner`) or another (`standby`: this node waits to take over). */
export interface ConnectionOwnership {
  readonly role: 'owner' | 'standby';
  /** This node's id (host:pid). */
  readonly node: string;
  /** Since when this node has held the role. */
  readonly since: string;
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
  /** With `locks`: how often a standby tries to take the connections it lacks (default 2 s). */
  readonly standbyMs?: number;
  /** This process's id in ownership reports (default host:pid). */
  readonly node?: string;
}

interface Held {
  runtime: ConnectionRuntime;
  ownership: ConnectionOwnership;
}

/** A connection's lock name: this prefix and its id. */
const lockPrefix = 'ehr-connection:';

export class EhrRuntime {
  /** Every connection this node knows: running here (owner) or held ready for notifications (standby). */
  readonly #running = new Map<string, Held>();
  readonly #clock: Clock;
  readonly #node: string;
  #publicUrl: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #tick: Promise<void> | undefined;
  #stopped = false;
  /** After losing a lock session: when this node competes for connections again. */
  #pausedUntil = 0;

  constructor(
    private readonly deps: EhrRuntimeDeps,
    private readonly options: EhrRuntimeOptions = {},
  ) {
    this.#clock = deps.clock ?? systemClock;
    this.#publicUrl = options.publicUrl;
    this.#node = options.node ?? `${hostname()}:${process.pid}`;
    deps.locks?.onLost(({ names, code }) => {
      // The others get a head start: a node whose session was lost may be the one in trouble.
      this.#pausedUntil = Date.now() + 5 * (this.options.standbyMs ?? 2_000);
      for (const name of names) {
        const id = name.slice(lockPrefix.length);
        const held = this.#running.get(id);
        if (held === undefined || held.ownership.role !== 'owner') continue;
        this.deps.logger.error(
          { connection: held.runtime.connection.name, code, node: this.#node },
          'EHR connection ownership lost: stopping its listener and polls',
        );
        // Stopped at once (the listener closes, a poll in flight is aborted); it still files
        // notifications, as a standby's does, until this node owns the connection again.
        held.runtime
          .stop()
          .catch((e: unknown) =>
            this.deps.logger.error(
              { connection: held.runtime.connection.name, code: (e as { code?: string }).code ?? 'INTERNAL' },
              'EHR connection did not stop cleanly',
            ),
          );
        this.#running.set(id, { runtime: held.runtime, ownership: this.#role('standby') });
      }
    });
  }

  /** This process's id in ownership reports. */
  get node(): string {
    return this.#node;
  }

  /**
   * Starts every enabled connection this node may own (with `locks`: those whose lock it takes now;
   * the rest are tried every `standbyMs`). One that fails to start is logged and skipped.
   * `publicUrl` may be given here when it is known only once the API listens (an ephemeral port).
   */
  async start(at: { readonly publicUrl?: string } = {}): Promise<void> {
    if (at.publicUrl !== undefined) this.#publicUrl = at.publicUrl;
    await this.#round();
    if (this.deps.locks !== undefined && !this.#stopped) this.#schedule();
  }

  async startConnection(connection: EhrConnection): Promise<ConnectionRuntime> {
    const locks = this.deps.locks;
    const name = this.#lockName(connection);
    const previous = this.#running.get(connection.id);
    if (locks !== undefined && !(await locks.tryAcquire(name))) {
      // Another node owns it: stand by (notifications still file here).
      if (previous?.ownership.role === 'standby') return previous.runtime;
      await previous?.runtime.stop();
      const standby = await this.#build(connection);
      this.#running.set(connection.id, { runtime: standby, ownership: this.#role('standby') });
      return standby;
    }
    await previous?.runtime.stop();
    const runtime = await this.#build(connection);
    // Registered before it starts: an EHR's subscription handshake may arrive while it starts.
    this.#running.set(connection.id, { runtime, ownership: this.#role('owner') });
    try {
      await runtime.start();
    } catch (e) {
      this.#running.delete(connection.id);
      await runtime.stop();
      await locks?.release(name);
      throw e;
    }
    if (locks !== undefined && !locks.held().has(name)) {
      // The lock session was lost while it started: what started is stopped again.
      await runtime.stop();
      this.#running.set(connection.id, { runtime, ownership: this.#role('standby') });
      return runtime;
    }
    if (locks !== undefined) {
      await this.deps.connections
        .recordOwner(connection.id, this.#node, locks.pid ?? 0)
        .catch((e: unknown) =>
          this.deps.logger.warn(
            { connection: connection.name, code: (e as { code?: string }).code ?? 'INTERNAL' },
            'EHR connection owner not recorded',
          ),
        );
      this.deps.logger.info({ connection: connection.name, node: this.#node }, 'EHR connection owned here');
    }
    return runtime;
  }

  /** Who runs each connection this node knows, as this node sees it. */
  ownership(): { readonly name: string; readonly ownership: ConnectionOwnership }[] {
    return [...this.#running.values()].map((h) => ({ name: h.runtime.connection.name, ownership: h.ownership }));
  }

  #role(role: ConnectionOwnership['role']): ConnectionOwnership {
    return { role, node: this.#node, since: this.#clock.now().toISOString() };
  }

  #lockName(connection: EhrConnection): string {
    return `${lockPrefix}${connection.id}`;
  }

  /** One pass: every enabled connection not running here is started (with locks: if its lock is free). */
  async #round(): Promise<void> {
    if (Date.now() < this.#pausedUntil) return;
    for (const c of await this.deps.connections.all()) {
      if (this.#stopped) return;
      if (this.#running.get(c.id)?.ownership.role === 'owner') continue;
      try {
        await this.startConnection(c);
      } catch (e) {
        const code = e instanceof Error && 'code' in e ? String((e as { code: unknown }).code) : 'INTERNAL';
        this.deps.logger.error({ connection: c.name, code, err: e }, 'EHR connection did not start');
      }
    }
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      this.#tick = this.#round()
        .catch((e: unknown) => {
          const code = e instanceof Error && 'code' in e ? String((e as { code: unknown }).code) : 'INTERNAL';
          this.deps.logger.warn({ code, node: this.#node }, 'EHR standby round failed: retrying');
        })
        .finally(() => {
          this.#tick = undefined;
          if (!this.#stopped) this.#schedule();
        });
    }, this.options.standbyMs ?? 2_000);
    this.#timer.unref();
  }

  async #build(connection: EhrConnection): Promise<ConnectionRuntime> {
    const d = this.deps;
    const o = this.options.overrides?.[connection.name] ?? {};
    const actor = d.connections.actorOf(connection);
    const directory = d.directory;
    const documents = d.documents;
    const client = connection.fhirBaseUrl === undefined ? undefined : await d.clients.for(connection);
    return new ConnectionRuntime({
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
  }

  /** The running connection by id or name. */
  /** The connection by id or name, running here (this node owns it). */
  get(idOrName: string): ConnectionRuntime {
    for (const { runtime, ownership } of this.#running.values()) {
      if (ownership.role === 'owner' && (runtime.connection.id === idOrName || runtime.connection.name === idOrName))
        return runtime;
    }
    throw new NotFoundError(`running EHR connection ${idOrName}`);
  }

  /** The connections running here (owned by this node), each with since when. */
  status(): ConnectionStatus[] {
    return [...this.#running.values()]
      .filter((h) => h.ownership.role === 'owner')
      .map((h) => ({ ...h.runtime.status(), owner: { node: h.ownership.node, since: h.ownership.since } }));
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
    const runtime = this.#running.get(connectionId)?.runtime;
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
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#tick;
    const all = [...this.#running.values()];
    this.#running.clear();
    await Promise.all(all.map((h) => h.runtime.stop()));
    // Given back only once the listeners are closed: a standby binds the port next.
    await this.deps.locks?.close();
  }

  #secret(connection: EhrConnection): string {
    return this.deps.cipher.blindIndex('ehr.notification-secret', connection.id).toString('base64url');
  }

  #fingerprint(connection: EhrConnection): string {
    return createHash('sha256').update(this.#secret(connection)).digest('hex').slice(0, 12);
  }
}

/**
 * @module One connection, running: its HL7 v2 listener (if it has a feed), its FHIR change
 * follower — subscriptions where the EHR offers topics, polling `_lastUpdated` on an interval
 * always (the safety net: a lost notification is caught by the next poll, and the journal's dedup
 * makes the overlap free) — and the notification entry point the HTTP route calls.
 *
 * Polls never overlap (the next is scheduled when one ends). A failing poll is logged with its
 * error code and retried with a doubling delay, up to 5 minutes; the feed and subscriptions keep
 * working meanwhile. Logs carry connection names, counts and codes, never content.
 */
import type { AddressInfo } from 'node:net';
import { ConfigError, isStewardError, systemClock, type Clock, type InboundJournal } from '@steward/core';
import type { EhrConnection } from '../connections/index.js';
import { MllpListener, type Hl7Logger } from '../hl7v2/index.js';
import { FhirChanges, type NotificationResult, type PollResult } from '../inbound/index.js';
import { parseCapabilityStatement, profileFor } from '../vendors/index.js';
import type { ConnectionClient } from './connection-client.js';
import { ensureSubscriptions, type SubscriptionSetup } from './subscriptions.js';
import type { Resource } from '@medplum/fhirtypes';

/** The types Steward follows: the operational record, not the chart. */
export const followedTypes = ['Appointment', 'ServiceRequest', 'Task', 'Encounter', 'DocumentReference'] as const;

export interface RuntimeLogger extends Hl7Logger {
  error(fields: Record<string, unknown>, message: string): void;
}

export interface ConnectionRuntimeOptions {
  readonly connection: EhrConnection;
  /**
   * The clinic directory's intake: each Practitioner, PractitionerRole, Organization, Location or
   * HealthcareService the connection files (a subscription may send them) is handed over. They are
   * not polled by default: the followed types stay the workflow resources.
   */
  readonly directory?: (resources: readonly Resource[]) => Promise<unknown>;
  /** Intake's document arrivals: each filed HL7 MDM message of this connection. */
  readonly documents?: (raw: string) => Promise<void>;
  /** The journal as the connection's own service account sees it. */
  readonly journal: InboundJournal;
  readonly marks: { get(type: string): Promise<string | undefined>; set(type: string, value: string): Promise<void> };
  /** Undefined when the connection has no FHIR base URL (an HL7-only feed). */
  readonly client: ConnectionClient | undefined;
  readonly logger: RuntimeLogger;
  /**
   * Where the MLLP listener binds. Default 127.0.0.1: loopback, never every interface by accident
   * (`0.0.0.0` is refused unless the connection has an allow-list of source addresses).
   */
  readonly mllpHost?: string;
  /** The MLLP TLS key and certificate (PEM), for connections whose settings ask for TLS. */
  readonly mllpTls?: { readonly key: string; readonly cert: string; readonly ca?: string };
  /** Overrides the registered port (tests use 0 for an ephemeral one). */
  readonly mllpPort?: number;
  /** Worker threads that parse and map the MLLP listener's messages off the writer's thread (default 1; 0: inline). */
  readonly mllpDecodeThreads?: number;
  /** Subscription endpoint and secret; without it, polling only. */
  readonly notifications?: { readonly endpoint: string; readonly authorization: string };
  /** Overrides the registered poll interval (ms); 0 disables the poll loop (polls run on demand). */
  readonly pollIntervalMs?: number;
  readonly clock?: Clock;
}

export interface ConnectionStatus {
  readonly name: string;
  readonly mllp: { readonly host: string; readonly port: number } | undefined;
  readonly subscriptions: SubscriptionSetup | { readonly error: string } | undefined;
  readonly lastPoll: { readonly at: string; readonly result: PollResult } | undefined;
  readonly lastPollError: string | undefined;
  /** The last subscription notification filed: when, its type and how many events it gave. */
  readonly lastNotification: { readonly at: string; readonly type: string; readonly events: number } | undefined;
  /** The node running it (host:pid) and since when (set by the EHR runtime). */
  readonly owner?: { readonly node: string; readonly since: string };
}

const maxBackoffMs = 300_000;

export class ConnectionRuntime {
  readonly connection: EhrConnection;
  readonly changes: FhirChanges | undefined;
  #listener: MllpListener | undefined;
  #mllp: AddressInfo | undefined;
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<PollResult> | undefined;
  #stopped = false;
  readonly #abort = new AbortController();
  #failures = 0;
  #subscriptions: ConnectionStatus['subscriptions'];
  #lastPoll: ConnectionStatus['lastPoll'];
  #lastPollError: string | undefined;
  #lastNotification: ConnectionStatus['lastNotification'];
  readonly #o: ConnectionRuntimeOptions;
  readonly #clock: Clock;

  constructor(options: ConnectionRuntimeOptions) {
    this.#o = options;
    this.connection = options.connection;
    this.#clock = options.clock ?? systemClock;
    const profile = profileFor(options.connection.vendor);
    this.changes =
      options.client === undefined
        ? undefined
        : new FhirChanges({
            connectionId: options.connection.id,
            client: options.client.client,
            profile,
            journal: options.journal,
            marks: options.marks,
            resourceTypes: followedTypes.filter((t) => profile.resources[t] !== undefined),
            ...(options.directory !== undefined ? { directory: options.directory } : {}),
            facilityTimeZone: options.connection.facilityTimeZone,
            ...(options.connection.settings.zonelessTimes !== undefined
              ? { zonelessTimes: options.connection.settings.zonelessTimes }
              : {}),
            clock: this.#clock,
          });
  }

  async start(): Promise<void> {
    const c = this.connection;
    const port = this.#o.mllpPort ?? c.settings.mllpPort;
    if (port !== undefined) {
      const profile = profileFor(c.vendor);
      const m = c.settings.mllp ?? {};
      if (m.tls === true && this.#o.mllpTls === undefined)
        throw new ConfigError([
          {
            path: 'STEWARD_MLLP_TLS_CERT_FILE',
            message: `connection ${c.name} asks for MLLP over TLS: set a certificate`,
          },
        ]);
      this.#listener = new MllpListener({
        connectionId: c.id,
        facilityTimeZone: c.facilityTimeZone,
        journal: this.#o.journal,
        host: this.#o.mllpHost ?? '127.0.0.1',
        port,
        maxMessageBytes: 1024 * 1024,
        decodeThreads: this.#o.mllpDecodeThreads ?? 1,
        ...(m.allowedSources !== undefined ? { allowedSources: m.allowedSources } : {}),
        senders: {
          ...(m.sendingApplications !== undefined ? { sendingApplications: m.sendingApplications } : {}),
          ...(m.sendingFacilities !== undefined ? { sendingFacilities: m.sendingFacilities } : {}),
        },
        routing: {
          ...(m.routeTypes !== undefined ? { route: m.routeTypes } : {}),
          ...(m.ignoreTypes !== undefined ? { ignore: m.ignoreTypes } : {}),
        },
        ...(m.tls === true && this.#o.mllpTls !== undefined ? { tls: this.#o.mllpTls } : {}),
        identifierSystems: profile.identifierSystems,
        ...(c.settings.zonelessTimes !== undefined ? { zonelessTimes: c.settings.zonelessTimes } : {}),
        clock: this.#clock,
        logger: this.#o.logger,
        ...(this.#o.documents !== undefined ? { documents: this.#o.documents } : {}),
      });
      this.#mllp = await this.#listener.start();
      this.#o.logger.info({ connection: c.name, port: this.#mllp.port }, 'HL7 v2 MLLP listener started');
    }
    if (this.changes !== undefined) {
      await this.#subscribe();
      const interval = this.#o.pollIntervalMs ?? c.settings.pollIntervalSeconds * 1000;
      if (interval > 0) this.#schedule(0, interval);
    }
  }

  /** The MLLP listener's bound address, once started. */
  get mllpAddress(): { host: string; port: number } | undefined {
    return this.#mllp === undefined ? undefined : { host: this.#mllp.address, port: this.#mllp.port };
  }

  status(): ConnectionStatus {
    return {
      name: this.connection.name,
      mllp: this.mllpAddress,
      subscriptions: this.#subscriptions,
      lastPoll: this.#lastPoll,
      lastPollError: this.#lastPollError,
      lastNotification: this.#lastNotification,
    };
  }

  /** Files one notification body (the HTTP route's job ends here). */
  async notification(body: unknown): Promise<NotificationResult> {
    if (this.changes === undefined) throw new Error('this connection has no FHIR server to notify about');
    const result = await this.changes.notification(body);
    // Only a notification filed counts: an operator reads this as "the EHR's pushes arrive".
    this.#lastNotification = { at: this.#clock.now().toISOString(), type: result.type, events: result.events };
    return result;
  }

  /** One poll now (serialized with the loop's polls). */
  async pollNow(): Promise<PollResult> {
    if (this.changes === undefined) return { resources: 0, events: 0, duplicates: 0, unsupported: [] };
    while (this.#polling !== undefined) await this.#polling.catch(() => undefined);
    const changes = this.changes;
    const run = changes.pollOnce(this.#abort.signal);
    this.#polling = run;
    try {
      const result = await run;
      this.#lastPoll = { at: this.#clock.now().toISOString(), result };
      this.#lastPollError = undefined;
      return result;
    } finally {
      this.#polling = undefined;
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#polling?.catch(() => undefined);
    await this.#listener?.close();
  }

  async #subscribe(): Promise<void> {
    const n = this.#o.notifications;
    const client = this.#o.client?.client;
    if (n === undefined || client === undefined) return;
    const profile = profileFor(this.connection.vendor);
    try {
      const server = parseCapabilityStatement(await client.capabilities());
      const topics = [...new Set([...server.subscriptionTopics, ...profile.subscriptionTopics])];
      if (!(server.topicSubscriptions || profile.subscriptions === 'r4b-backport') || topics.length === 0) return;
      const setup = await ensureSubscriptions(client, { ...n, topics });
      this.#subscriptions = setup;
      this.#o.logger.info({ connection: this.connection.name, ...setup }, 'FHIR subscriptions in place');
    } catch (e) {
      // Polling still follows every change; subscriptions are tried again at the next start.
      const code = isStewardError(e) ? e.code : 'INTERNAL';
      this.#subscriptions = { error: code };
      this.#o.logger.warn(
        { connection: this.connection.name, code, err: e },
        'FHIR subscriptions not set up: polling only',
      );
    }
  }

  #schedule(delayMs: number, intervalMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      void this.pollNow().then(
        (r) => {
          this.#failures = 0;
          if (r.events > 0)
            this.#o.logger.info({ connection: this.connection.name, events: r.events }, 'FHIR changes filed');
          this.#schedule(intervalMs, intervalMs);
        },
        (e: unknown) => {
          this.#failures++;
          const code = isStewardError(e) ? e.code : 'INTERNAL';
          this.#lastPollError = code;
          const backoff = Math.min(maxBackoffMs, intervalMs * 2 ** Math.min(this.#failures, 10));
          this.#o.logger.warn(
            { connection: this.connection.name, code, retryInMs: backoff, err: e },
            'FHIR poll failed: retrying',
          );
          this.#schedule(backoff, intervalMs);
        },
      );
    }, delayMs);
    this.#timer.unref();
  }
}

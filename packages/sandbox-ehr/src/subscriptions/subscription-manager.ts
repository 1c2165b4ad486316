/**
 * @module Topic-based rest-hook subscriptions (R4 backport IG): a handshake when a Subscription is created, then
 * one notification Bundle per matching create/update, delivered in order per subscription, retried on failure,
 * and always after the write that caused it has been answered (delivery is queued, never inline).
 *
 * Known limits: no filter criteria (`backport-filter-criteria` is ignored: every event of the topic is sent), no
 * heartbeats, no `$status`/`$events` operations; a notification still failing after the last retry is dropped and
 * the Subscription is marked `error`. Log lines (none here) would never carry payloads.
 */
import type { WithId } from '@medplum/core';
import type {
  Bundle,
  BundleEntry,
  Extension,
  Parameters,
  ParametersParameter,
  Resource,
  Subscription,
} from '@medplum/fhirtypes';
import type { ResourceChange, SandboxRepository } from '../fhir-server/index.js';
import { subscriptionTopics } from './topics.js';

const backport = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';
type PayloadContent = 'empty' | 'id-only' | 'full-resource';

export interface SubscriptionManagerOptions {
  readonly repository: SandboxRepository;
  readonly fhirBaseUrl: string;
  /** Delivery attempts per notification (default 5) and the first retry delay, doubled each time (default 200 ms). */
  readonly maxAttempts?: number;
  readonly retryDelayMs?: number;
  /** Per-attempt time-out (default 5000 ms). */
  readonly timeoutMs?: number;
}

interface Notification {
  readonly type: 'handshake' | 'event-notification';
  readonly eventNumber?: number;
  readonly focus?: WithId<Resource>;
  readonly at: string;
}

interface Tracked {
  readonly id: string;
  readonly topic: string;
  readonly resourceType: string;
  readonly endpoint: string;
  readonly headers: Record<string, string>;
  readonly content: PayloadContent;
  eventsSinceStart: number;
  readonly queue: Notification[];
  draining: boolean;
}

export interface DeliveryStats {
  delivered: number;
  failedAttempts: number;
  dropped: number;
}

function payloadContent(sub: Subscription): PayloadContent {
  // R4 carries the backport's payload content as an extension on the primitive `payload` (`_payload`).
  const primitive = (sub.channel as { _payload?: { extension?: Extension[] } })._payload;
  const code = primitive?.extension?.find((e) => e.url === `${backport}/backport-payload-content`)?.valueCode;
  return code === 'empty' || code === 'full-resource' ? code : 'id-only';
}

export class SubscriptionManager {
  readonly #o: SubscriptionManagerOptions;
  readonly #tracked = new Map<string, Tracked>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #abort = new AbortController();
  readonly #stats: DeliveryStats = { delivered: 0, failedAttempts: 0, dropped: 0 };
  #unsubscribe: (() => void) | undefined;

  constructor(options: SubscriptionManagerOptions) {
    this.#o = options;
  }

  start(): void {
    this.#unsubscribe ??= this.#o.repository.onChange((change) => this.#onChange(change));
  }

  /**
   * Takes up Subscriptions stored before a restart: each active or requested one gets a handshake again, and
   * its event numbering starts over (the handshake tells the subscriber so).
   */
  resume(subscriptions: readonly WithId<Subscription>[]): void {
    for (const sub of subscriptions) if (!this.#tracked.has(sub.id)) this.#track(sub);
  }

  get stats(): DeliveryStats {
    return { ...this.#stats };
  }

  /** Rejects Subscriptions this server cannot serve, before they are stored; undefined when acceptable. */
  validate(resource: Resource): string | undefined {
    if (resource.resourceType !== 'Subscription') return undefined;
    if (!subscriptionTopics.some((t) => t.url === resource.criteria))
      return 'Subscription.criteria is not a known SubscriptionTopic';
    if (resource.channel?.type !== 'rest-hook') return 'Subscription.channel.type must be rest-hook';
    if (!/^https?:\/\//.test(resource.channel.endpoint ?? ''))
      return 'Subscription.channel.endpoint must be an http(s) URL';
    if ((resource.channel.payload ?? 'application/fhir+json') !== 'application/fhir+json') {
      return 'Subscription.channel.payload must be application/fhir+json';
    }
    return undefined;
  }

  async close(): Promise<void> {
    this.#unsubscribe?.();
    this.#abort.abort();
    await Promise.allSettled([...this.#inFlight]);
  }

  #onChange(change: ResourceChange): void {
    if (change.resourceType === 'Subscription') {
      if (change.kind === 'delete') this.#tracked.delete(change.id);
      else if (change.resource && !this.#tracked.has(change.id)) this.#track(change.resource as WithId<Subscription>);
      return;
    }
    if (change.kind === 'delete' || !change.resource) return;
    for (const sub of this.#tracked.values()) {
      if (sub.resourceType !== change.resourceType) continue;
      sub.eventsSinceStart += 1;
      this.#enqueue(sub, {
        type: 'event-notification',
        eventNumber: sub.eventsSinceStart,
        focus: change.resource,
        at: change.at,
      });
    }
  }

  #track(sub: WithId<Subscription>): void {
    if (sub.status !== 'requested' && sub.status !== 'active') return;
    const topic = subscriptionTopics.find((t) => t.url === sub.criteria);
    if (!topic || !sub.channel.endpoint) return;
    const headers: Record<string, string> = {};
    for (const line of sub.channel.header ?? []) {
      const at = line.indexOf(':');
      if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
    }
    const tracked: Tracked = {
      id: sub.id,
      topic: topic.url,
      resourceType: topic.resourceType,
      endpoint: sub.channel.endpoint,
      headers,
      content: payloadContent(sub),
      eventsSinceStart: 0,
      queue: [],
      draining: false,
    };
    this.#tracked.set(sub.id, tracked);
    this.#enqueue(tracked, { type: 'handshake', at: new Date().toISOString() });
  }

  #enqueue(sub: Tracked, n: Notification): void {
    sub.queue.push(n);
    if (sub.draining) return;
    sub.draining = true;
    // setImmediate: the write that caused this is answered first.
    const run = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#drain(sub));
    this.#inFlight.add(run);
    void run.finally(() => this.#inFlight.delete(run));
  }

  async #drain(sub: Tracked): Promise<void> {
    while (sub.queue.length > 0 && !this.#abort.signal.aborted && this.#tracked.get(sub.id) === sub) {
      const next = sub.queue[0];
      if (!next) break;
      const ok = await this.#deliver(sub, next);
      // A delivery cut short by close() is not the subscriber's failure: the Subscription keeps its status,
      // so the next start takes it up again (marking it `error` here lost it across a restart).
      if (this.#abort.signal.aborted) break;
      sub.queue.shift();
      if (ok) this.#stats.delivered += 1;
      else this.#stats.dropped += 1;
      if (next.type === 'handshake' || !ok) await this.#setStatus(sub.id, ok ? 'active' : 'error');
    }
    sub.draining = false;
  }

  async #deliver(sub: Tracked, n: Notification): Promise<boolean> {
    const attempts = this.#o.maxAttempts ?? 5;
    let delay = this.#o.retryDelayMs ?? 200;
    const body = JSON.stringify(this.#bundle(sub, n));
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      if (this.#abort.signal.aborted) return false;
      try {
        const res = await fetch(sub.endpoint, {
          method: 'POST',
          headers: { ...sub.headers, 'content-type': 'application/fhir+json' },
          body,
          signal: AbortSignal.any([this.#abort.signal, AbortSignal.timeout(this.#o.timeoutMs ?? 5000)]),
        });
        await res.arrayBuffer();
        if (res.ok) return true;
      } catch {
        // network error or time-out: retried below
      }
      this.#stats.failedAttempts += 1;
      if (attempt < attempts) {
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay *= 2;
      }
    }
    return false;
  }

  async #setStatus(id: string, status: 'active' | 'error'): Promise<void> {
    try {
      const current = await this.#o.repository.readResource<Subscription>('Subscription', id);
      if (current.status !== status) await this.#o.repository.updateResource({ ...current, status });
    } catch {
      // deleted meanwhile: nothing to record
    }
  }

  #bundle(sub: Tracked, n: Notification): Bundle {
    const base = this.#o.fhirBaseUrl;
    const parameter: ParametersParameter[] = [
      { name: 'subscription', valueReference: { reference: `${base}/Subscription/${sub.id}` } },
      { name: 'topic', valueCanonical: sub.topic },
      { name: 'status', valueCode: n.type === 'handshake' ? 'requested' : 'active' },
      { name: 'type', valueCode: n.type },
      { name: 'events-since-subscription-start', valueString: String(n.eventNumber ?? sub.eventsSinceStart) },
    ];
    const entries: BundleEntry[] = [];
    if (n.type === 'event-notification' && n.eventNumber !== undefined) {
      const part: ParametersParameter[] = [
        { name: 'event-number', valueString: String(n.eventNumber) },
        { name: 'timestamp', valueInstant: n.at },
      ];
      if (n.focus && sub.content !== 'empty') {
        const url = `${base}/${n.focus.resourceType}/${n.focus.id}`;
        part.push({ name: 'focus', valueReference: { reference: url } });
        const created = n.focus.meta?.versionId === '1';
        entries.push({
          fullUrl: url,
          ...(sub.content === 'full-resource' ? { resource: n.focus } : {}),
          request: {
            method: created ? 'POST' : 'PUT',
            url: created ? n.focus.resourceType : `${n.focus.resourceType}/${n.focus.id}`,
          },
          response: { status: created ? '201' : '200' },
        });
      }
      parameter.push({ name: 'notification-event', part });
    }
    const status: Parameters = {
      resourceType: 'Parameters',
      meta: { profile: [`${backport}/backport-subscription-status-r4`] },
      parameter,
    };
    return {
      resourceType: 'Bundle',
      meta: { profile: [`${backport}/backport-subscription-notification-r4`] },
      type: 'history',
      timestamp: new Date().toISOString(),
      entry: [
        {
          fullUrl: `urn:uuid:${crypto.randomUUID()}`,
          resource: status,
          request: { method: 'GET', url: `${base}/Subscription/${sub.id}/$status` },
          response: { status: '200' },
        },
        ...entries,
      ],
    };
  }
}

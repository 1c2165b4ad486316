/**
 * @module The webhook delivery worker (ADR 0019): at least once, in order per patient, signed with
 * the Standard Webhooks scheme, retried with exponential back-off and jitter, dead-lettered after
 * `maxAttempts`. All its state is in `events_deliveries`, so a restart continues where it stopped.
 *
 * A round: fan out (each subscription's new outbox events become delivery rows, filtered by type
 * and by the sites the subscriber's grants cover, its cursor moved in the same transaction), claim
 * (due pending rows with no earlier pending row of the same subscription and patient, leased for
 * `leaseMs`), send each claimed row (no round waits for another's slow receiver: sends run while
 * the next rounds claim), record each answer in one statement with its attempt. A destination with
 * a BAA on record whose subscriber may read PHI at the event's site gets the PHI part, and each
 * such send is audited first (`phi.export` naming the patient, the event and the destination);
 * any other gets references only.
 */
import { systemClock, type Clock, type PurposeOfUse } from '@steward/core';
import type {
  AuditSink,
  EgressDestination,
  EgressRegistry,
  EgressSender,
  PolicyDecisionPoint,
} from '@steward/governance';
import type { Database } from '@steward/store';
import { Webhook } from 'standardwebhooks';
import { toPayload, type StewardEvent } from '../model/event-record.js';
import type { EventOutbox } from '../outbox/event-outbox.js';
import type { ActiveSubscription, AttemptRecord, EventSubscriptions } from '../subscriptions/event-subscriptions.js';

/** Who a delivery is decided for: the subscribing account, in the workflow it subscribed in. */
type Subscriber = Pick<ActiveSubscription, 'actor' | 'workflow'>;

export interface DeliveryOptions {
  /** Attempts before a delivery is dead-lettered. Default 8. */
  readonly maxAttempts?: number;
  /** The first retry's delay (ms); each next one doubles, jittered to 50–100 %. Default 1,000. */
  readonly backoffMs?: number;
  /** The longest delay between attempts (ms). Default 1 hour. */
  readonly maxBackoffMs?: number;
  /** How long a claimed row is this worker's (ms); a dead worker's rows are sent again after it. Default 30,000. */
  readonly leaseMs?: number;
  /** A receiver's time to answer (ms). Default 10,000. */
  readonly timeoutMs?: number;
  /** Sends in flight at most. Default 128. */
  readonly concurrency?: number;
  /** Rows claimed per round at most. Default 500. */
  readonly batchSize?: number;
  /** How often an idle worker looks for due retries and other processes' events (ms). Default 500. */
  readonly pollMs?: number;
  /** How long a decision, a destination and an egress authorization are reused (ms). Default 1,000. */
  readonly reuseMs?: number;
  readonly clock?: Clock;
  /** Told of a round that failed (the next round tries again). */
  readonly onError?: (error: unknown) => void;
}

interface ClaimedRow {
  id: string;
  subscription_id: string;
  position: string | number;
  event_id: string;
  attempts: number;
}

interface Outcome {
  readonly id: string;
  readonly status: 'pending' | 'delivered' | 'dead';
  readonly nextAt: Date;
  readonly code: number | null;
  readonly error: string | null;
  readonly entry: AttemptRecord;
}

const okStatus = (s: number): boolean => s >= 200 && s < 300;

/** Pending rows a claim looks at, at most (a bound on its cost when everything in front waits). */
const claimWindow = 50_000;

export class DeliveryWorker {
  readonly #db: Database;
  readonly #outbox: EventOutbox;
  readonly #subscriptions: Pick<EventSubscriptions, 'active'>;
  readonly #policy: PolicyDecisionPoint;
  readonly #audit: AuditSink;
  readonly #egress: Pick<EgressRegistry, 'list' | 'sender'>;
  readonly #o: Required<Omit<DeliveryOptions, 'clock' | 'onError'>>;
  readonly #clock: Clock;
  readonly #onError: (error: unknown) => void;
  readonly #decisions = new Map<string, { until: number; purpose: PurposeOfUse | undefined }>();
  readonly #senders = new Map<string, { until: number; sender: Promise<EgressSender> }>();
  readonly #webhooks = new Map<string, Webhook>();
  #destinations: { until: number; byId: Promise<Map<string, EgressDestination>> } | undefined;
  #inFlight = new Set<Promise<void>>();
  #done: Outcome[] = [];
  #wake: (() => void) | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  #unlisten: (() => void) | undefined;

  constructor(
    deps: {
      readonly db: Database;
      readonly outbox: EventOutbox;
      readonly subscriptions: Pick<EventSubscriptions, 'active'>;
      readonly policy: PolicyDecisionPoint;
      readonly audit: AuditSink;
      readonly egress: Pick<EgressRegistry, 'list' | 'sender'>;
    },
    options: DeliveryOptions = {},
  ) {
    this.#db = deps.db;
    this.#outbox = deps.outbox;
    this.#subscriptions = deps.subscriptions;
    this.#policy = deps.policy;
    this.#audit = deps.audit;
    this.#egress = deps.egress;
    this.#clock = options.clock ?? systemClock;
    this.#onError = options.onError ?? (() => undefined);
    this.#o = {
      maxAttempts: options.maxAttempts ?? 8,
      backoffMs: options.backoffMs ?? 1_000,
      maxBackoffMs: options.maxBackoffMs ?? 3_600_000,
      leaseMs: options.leaseMs ?? 30_000,
      timeoutMs: options.timeoutMs ?? 10_000,
      concurrency: options.concurrency ?? 128,
      batchSize: options.batchSize ?? 500,
      pollMs: options.pollMs ?? 500,
      reuseMs: options.reuseMs ?? 1_000,
    };
  }

  /** Runs rounds in the background until `stop`. */
  start(): void {
    if (this.#running !== undefined) return;
    this.#stopped = false;
    this.#unlisten = this.#outbox.onAppend(() => this.#nudge());
    this.#running = this.#loop();
  }

  /** Stops claiming, lets the sends in flight finish and records them, then releases nothing else. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unlisten?.();
    this.#nudge();
    await this.#running;
    this.#running = undefined;
  }

  /** Rounds until nothing is due now and nothing is in flight (tests, and a clean stop). */
  async drain(): Promise<number> {
    let sent = 0;
    for (;;) {
      const claimed = await this.round();
      await Promise.all(this.#inFlight);
      sent += this.#done.length;
      await this.#record();
      if (claimed === 0) return sent;
    }
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      let claimed = 0;
      try {
        await this.#record();
        claimed = await this.round();
      } catch (e) {
        this.#onError(e);
      }
      if (this.#stopped) break;
      if (claimed === 0 && this.#done.length === 0)
        await this.#sleep(this.#inFlight.size > 0 ? undefined : this.#o.pollMs);
    }
    await Promise.all(this.#inFlight);
    await this.#record().catch(this.#onError);
  }

  #sleep(ms: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => this.#nudge(), ms);
      this.#wake = () => {
        if (timer !== undefined) clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
    });
  }

  #nudge(): void {
    this.#wake?.();
  }

  /** Fans out, claims and starts sending. Returns how many rows it claimed. */
  async round(): Promise<number> {
    const subscriptions = await this.#subscriptions.active();
    await this.#fanOut(subscriptions);
    // Claims come in batches: with sends in flight, wait until half the room is free again.
    const room = this.#o.concurrency - this.#inFlight.size;
    if (room <= 0 || (this.#inFlight.size > 0 && room < Math.min(this.#o.batchSize, this.#o.concurrency / 2))) return 0;
    const claimed = await this.#claim(Math.min(room, this.#o.batchSize));
    if (claimed.length === 0) return 0;
    const events = await this.#outbox.at(claimed.map((r) => Number(r.position)));
    const byId = new Map(subscriptions.map((s) => [s.id, s]));
    for (const row of claimed) {
      const task = this.#send(row, byId.get(row.subscription_id), events.get(Number(row.position))).then(
        (o) => {
          this.#done.push(o);
        },
        (e: unknown) => {
          this.#onError(e);
        },
      );
      const tracked = task.finally(() => {
        this.#inFlight.delete(tracked);
        if (this.#inFlight.size <= this.#o.concurrency / 2) this.#nudge();
      });
      this.#inFlight.add(tracked);
    }
    return claimed.length;
  }

  /** Each subscription's new events as delivery rows (its types, its granted sites), cursor moved with them. */
  async #fanOut(subscriptions: readonly ActiveSubscription[]): Promise<void> {
    for (const s of subscriptions) {
      const heads = await this.#outbox.heads(s.afterPosition, 2_000);
      const last = heads.at(-1);
      if (last === undefined) continue;
      const wanted: typeof heads = [];
      for (const h of heads) {
        if (s.types.length > 0 && !s.types.includes(h.type)) continue;
        if ((await this.#allowed(s, 'events.subscribe', h.site)) === undefined) continue;
        wanted.push(h);
      }
      const now = this.#clock.now();
      await this.#db.transaction(async (tx) => {
        const { rowCount } = await tx.query(
          'update events_subscriptions set after_position = $3 where id = $1 and after_position = $2',
          [s.id, s.afterPosition, last.position],
        );
        if (rowCount === 0) return; // another worker fanned this batch out
        if (wanted.length === 0) return;
        await tx.query(
          `insert into events_deliveries (id, subscription_id, position, event_id, order_key, status, next_attempt_at,
             created_at, updated_at)
           select gen_random_uuid(), $1, u.position, u.event_id, u.order_key, 'pending', $2, $2, $2
             from unnest($3::bigint[], $4::uuid[], $5::text[]) as u(position, event_id, order_key)
           on conflict (subscription_id, position) do nothing`,
          [
            s.id,
            now,
            wanted.map((h) => h.position),
            wanted.map((h) => h.id),
            wanted.map((h) => h.patientId ?? `event:${h.id}`),
          ],
        );
      });
    }
  }

  /**
   * Due rows whose patient has no earlier undelivered row in the same subscription, leased to this
   * worker. The pending rows are walked in position order (an index) and each is checked with one
   * index probe, lazily, until `limit` are found: the cost follows the rows looked at, not the rows
   * pending. At most `claimWindow` rows are looked at per claim (locked as they are read, skipped when
   * another worker holds them).
   */
  async #claim(limit: number): Promise<ClaimedRow[]> {
    const now = this.#clock.now();
    const { rows } = await this.#db.query<ClaimedRow>(
      `update events_deliveries d set lease_until = $2
         from (select c.id
                 from (select id, subscription_id, order_key, position, next_attempt_at, lease_until
                         from events_deliveries where status = 'pending'
                        order by position limit $4
                          for update skip locked) c
                where c.next_attempt_at <= $1 and (c.lease_until is null or c.lease_until <= $1)
                  and not exists (select 1 from events_deliveries e
                                   where e.subscription_id = c.subscription_id and e.order_key = c.order_key
                                     and e.status = 'pending' and e.position < c.position)
                limit $3) x
        where d.id = x.id
        returning d.id, d.subscription_id, d.position, d.event_id, d.attempts`,
      [now, new Date(now.getTime() + this.#o.leaseMs), limit, claimWindow],
    );
    return rows;
  }

  async #send(
    row: ClaimedRow,
    subscription: ActiveSubscription | undefined,
    event: StewardEvent | undefined,
  ): Promise<Outcome> {
    const started = this.#clock.now();
    const attempt = row.attempts + 1;
    const fail = (code: number | null, error: string | null): Outcome => {
      const dead = attempt >= this.#o.maxAttempts || error === 'FORBIDDEN';
      return {
        id: row.id,
        status: dead ? 'dead' : 'pending',
        nextAt: new Date(this.#clock.now().getTime() + this.backoff(attempt)),
        code,
        error,
        entry: {
          at: started.toISOString(),
          ...(code !== null ? { status: code } : {}),
          ...(error !== null ? { error } : {}),
          ms: this.#clock.now().getTime() - started.getTime(),
        },
      };
    };
    if (subscription === undefined || event === undefined) return fail(null, 'GONE');
    // Grants are read again at send time: a revoked grant stops what was queued.
    const allowed = await this.#allowed(subscription, 'events.subscribe', event.site);
    if (allowed === undefined) return fail(null, 'FORBIDDEN');
    try {
      const destination = (await this.#destinationsById()).get(subscription.destinationId);
      if (destination === undefined) return fail(null, 'EGRESS_NOT_REGISTERED');
      const phi = destination.baaOnRecord && (await this.#phiAllowed(subscription, event.site)) !== undefined;
      const sender = await this.#sender(subscription, phi);
      if (phi) {
        await this.#audit.append({
          actor: subscription.actor,
          event: 'phi.export',
          action: 'E',
          outcome: 'success',
          entity: { kind: 'StewardEvent', id: event.id },
          ...(event.patientId !== undefined ? { patientIds: [event.patientId] } : {}),
          site: event.site,
          purposeOfUse: allowed.purpose,
          reason: `webhook:${destination.name}`,
        });
      }
      const body = JSON.stringify(toPayload(event, phi));
      const at = this.#clock.now();
      const response = await sender.send(subscription.url, {
        headers: {
          'content-type': 'application/json',
          'webhook-id': event.id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': this.#webhook(subscription).sign(event.id, at, body),
        },
        body,
        timeoutMs: this.#o.timeoutMs,
      });
      if (okStatus(response.status)) {
        return {
          id: row.id,
          status: 'delivered',
          nextAt: started,
          code: response.status,
          error: null,
          entry: {
            at: started.toISOString(),
            status: response.status,
            ms: this.#clock.now().getTime() - started.getTime(),
          },
        };
      }
      return fail(response.status, null);
    } catch (e) {
      const code = (e as { code?: unknown; name?: unknown }).code;
      const name = (e as { name?: unknown }).name;
      return fail(
        null,
        typeof code === 'string' && !code.startsWith('UND_ERR')
          ? code
          : /Timeout/.test(String(name)) || String(code).includes('TIMEOUT')
            ? 'TIMEOUT'
            : 'UNREACHABLE',
      );
    }
  }

  /** The delay before attempt `attempt + 1`: doubling from `backoffMs`, capped, jittered to 50–100 %. */
  backoff(attempt: number): number {
    const full = Math.min(this.#o.maxBackoffMs, this.#o.backoffMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(full / 2 + Math.random() * (full / 2));
  }

  /** Writes every finished attempt: one statement for all of them. */
  async #record(): Promise<void> {
    if (this.#done.length === 0) return;
    const done = this.#done;
    this.#done = [];
    try {
      await this.#db.query(
        `update events_deliveries d
            set status = u.status, attempts = d.attempts + 1, next_attempt_at = u.next_at, lease_until = null,
                last_status = u.code, last_error = u.err, attempt_log = d.attempt_log || jsonb_build_array(u.entry::jsonb),
                updated_at = $1
           from unnest($2::uuid[], $3::text[], $4::timestamptz[], $5::int[], $6::text[], $7::text[])
                as u(id, status, next_at, code, err, entry)
          where d.id = u.id`,
        [
          this.#clock.now(),
          done.map((o) => o.id),
          done.map((o) => o.status),
          done.map((o) => o.nextAt),
          done.map((o) => o.code),
          done.map((o) => o.error),
          done.map((o) => JSON.stringify(o.entry)),
        ],
      );
    } catch (e) {
      // Not recorded: the leases run out and the rows are sent again (at least once).
      this.#onError(e);
    }
  }

  /** A decision for the subscriber at a site, reused for `reuseMs`: the purpose when allowed, undefined when not. */
  async #allowed(
    subscriber: Subscriber,
    action: 'events.subscribe' | 'phi.read',
    site: string,
  ): Promise<{ readonly purpose: PurposeOfUse } | undefined> {
    const { actor, workflow } = subscriber;
    const key = `${actor.id} ${workflow ?? ''} ${action} ${site}`;
    const now = this.#clock.now().getTime();
    const kept = this.#decisions.get(key);
    if (kept !== undefined && now < kept.until)
      return kept.purpose === undefined ? undefined : { purpose: kept.purpose };
    const ctx = { actor, sourceAddress: 'events-delivery', ...(workflow !== undefined ? { workflow } : {}) };
    const d = await this.#policy.decide(ctx, action, { site });
    if (this.#decisions.size > 10_000) this.#decisions.clear();
    this.#decisions.set(key, { until: now + this.#o.reuseMs, purpose: d.allowed ? d.purposeOfUse : undefined });
    return d.allowed ? { purpose: d.purposeOfUse } : undefined;
  }

  /** PHI goes to a subscriber whose grant at the site lets it read PHI, for treatment or operations. */
  async #phiAllowed(subscriber: Subscriber, site: string) {
    const d = await this.#allowed(subscriber, 'phi.read', site);
    return d !== undefined && (d.purpose === 'TREAT' || d.purpose === 'HOPERAT') ? d : undefined;
  }

  #destinationsById(): Promise<Map<string, EgressDestination>> {
    const now = this.#clock.now().getTime();
    if (this.#destinations === undefined || now >= this.#destinations.until) {
      const byId = this.#egress.list().then((list) => new Map(list.map((d) => [d.id, d])));
      byId.catch(() => {
        this.#destinations = undefined;
      });
      this.#destinations = { until: now + this.#o.reuseMs, byId };
    }
    return this.#destinations.byId;
  }

  #sender(s: ActiveSubscription, phi: boolean): Promise<EgressSender> {
    const key = `${s.id} ${String(phi)}`;
    const now = this.#clock.now().getTime();
    const kept = this.#senders.get(key);
    if (kept !== undefined && now < kept.until) return kept.sender;
    const sender = this.#egress.sender(s.actor, s.url, { phi });
    sender.catch(() => this.#senders.delete(key));
    this.#senders.set(key, { until: now + this.#o.reuseMs, sender });
    return sender;
  }

  #webhook(s: ActiveSubscription): Webhook {
    let w = this.#webhooks.get(s.id);
    if (w === undefined) {
      w = new Webhook(s.secret);
      this.#webhooks.set(s.id, w);
    }
    return w;
  }
}

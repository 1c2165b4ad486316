/**
 * @module The webhook delivery worker (ADR 0019): at least once, in order per patient, signed with
 * the Standard Webhooks scheme, retried with exponential back-off and jitter, dead-lettered after
 * `maxAttempts`. All its state is in `events_deliveries`, so a restart continues where it stopped.
 *
 * A round: read each subscription's new outbox events and decide them (type, and the sites the
 * subscriber's grants cover; the subscriptions themselves are read every `reuseMs`); then one
 * transaction (one connection from the pool) that locks those subscriptions' rows, records the
 * answers that came in since the last round (each with its attempt, the head-of-line flag passed
 * to the patient's next pending row when one is delivered or dead), files the new events as
 * delivery rows (a row whose patient has no pending head becomes the head), moves the cursors, and
 * claims due heads, leased for `leaseMs`, with their outbox rows, in one statement. Only a head is
 * ever sent, so a patient's events go one at a time, in order. Sends run while the next rounds go
 * on (no round waits for a slow receiver). A destination with a BAA on record whose subscriber may
 * read PHI at the event's site gets the PHI part; the PHI sends of a claim are audited first, one
 * `phi.export` entry per subscription, site and purpose naming every patient and event in it (the
 * sends wait for it, and fail if it cannot be written); any other destination gets references only.
 */
import { systemClock, type Clock, type PurposeOfUse } from '@steward/core';
import type {
  AuditSink,
  EgressDestination,
  EgressRegistry,
  EgressSender,
  PolicyDecisionPoint,
} from '@steward/governance';
import type { Database, Sql } from '@steward/store';
import { toPayload, type StewardEvent } from '../model/event-record.js';
import type { EventOutbox, OutboxRow } from '../outbox/event-outbox.js';
import { WebhookSigner } from './webhook-signature.js';
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
  /** Sends in flight at most. Default 256. */
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

/** A claimed delivery with its outbox row (`o_id` null when the event is no longer in the outbox). */
interface ClaimedRow extends Omit<OutboxRow, 'id' | 'position' | 'type' | 'site'> {
  id: string;
  subscription_id: string;
  position: string | number;
  event_id: string;
  attempts: number;
  o_id: string | null;
  type: string | null;
  site: string | null;
}

interface Outcome {
  readonly id: string;
  readonly subscriptionId: string;
  readonly status: 'pending' | 'delivered' | 'dead';
  readonly nextAt: Date;
  readonly code: number | null;
  readonly error: string | null;
  readonly entry: AttemptRecord;
}

/** A claimed row, decided: where it goes and whether with PHI, or why it fails at once. */
interface Prepared {
  readonly row: ClaimedRow;
  readonly subscription?: ActiveSubscription;
  readonly event?: StewardEvent;
  readonly destination?: EgressDestination;
  readonly purpose?: PurposeOfUse;
  readonly phi: boolean;
  readonly error?: string;
}

/** One subscription's new events, decided: filed if its cursor is still at `after`. */
interface FanOut {
  readonly subscription: ActiveSubscription;
  readonly after: number;
  readonly last: number;
  readonly wanted: readonly { position: number; id: string; patientId: string | null }[];
}

const okStatus = (s: number): boolean => s >= 200 && s < 300;

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
  readonly #decisions = new Map<string, { until: number; purpose: Promise<PurposeOfUse | undefined> }>();
  readonly #senders = new Map<string, { until: number; sender: Promise<EgressSender> }>();
  readonly #signers = new Map<string, WebhookSigner>();
  #destinations: { until: number; byId: Promise<Map<string, EgressDestination>> } | undefined;
  /** The live subscriptions, read again every `reuseMs` (or when a cursor was found moved by another worker). */
  #subscriptionsRead: { until: number; list: Promise<ActiveSubscription[]> } | undefined;
  /** Where this worker filed each subscription up to since it read them (ahead of their read `afterPosition`). */
  readonly #after = new Map<string, number>();
  #inFlight = new Set<Promise<void>>();
  #done: Outcome[] = [];
  #recorded = 0;
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
      concurrency: options.concurrency ?? 256,
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

  /** Rounds until nothing is due now and nothing is in flight (tests, and a clean stop). Returns the answers recorded. */
  async drain(): Promise<number> {
    const from = this.#recorded;
    this.#subscriptionsRead = undefined;
    this.#after.clear();
    for (;;) {
      const claimed = await this.round();
      await Promise.all(this.#inFlight);
      if (claimed === 0 && this.#done.length === 0) return this.#recorded - from;
    }
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      let claimed = 0;
      try {
        claimed = await this.round();
      } catch (e) {
        this.#onError(e);
      }
      if (this.#stopped) break;
      if (claimed === 0 && this.#done.length === 0)
        await this.#sleep(this.#inFlight.size > 0 ? undefined : this.#o.pollMs);
    }
    await Promise.all(this.#inFlight);
    await this.#round(false).catch(this.#onError);
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

  /** Records the answers in, fans out, claims and starts sending. Returns how many rows it claimed. */
  round(): Promise<number> {
    return this.#round(true);
  }

  async #round(claim: boolean): Promise<number> {
    const subscriptions = await this.#active();
    const fanOut = await this.#decideNew(subscriptions);
    const done = this.#done;
    this.#done = [];
    // Claims come in batches: with sends in flight, wait until half the room is free again.
    const room = claim ? this.#o.concurrency - this.#inFlight.size : 0;
    const limit =
      room <= 0 || (this.#inFlight.size > 0 && room < Math.min(this.#o.batchSize, this.#o.concurrency / 2))
        ? 0
        : Math.min(room, this.#o.batchSize);
    if (done.length === 0 && fanOut.length === 0 && limit === 0) return 0;
    let claimed: ClaimedRow[] = [];
    try {
      // One transaction (one connection from the pool) per round: record, file, claim.
      claimed = await this.#db.transaction(async (tx) => {
        if (done.length > 0 || fanOut.length > 0) {
          // The subscriptions' rows locked, in one order, before anything moves a head (migration 048).
          const ids = [...new Set([...fanOut.map((f) => f.subscription.id), ...done.map((o) => o.subscriptionId)])];
          const { rows: locked } = await tx.query<{ id: string; after_position: string | number; live: boolean }>(
            `select id, after_position, deleted_at is null as live from events_subscriptions
              where id = any($1::uuid[]) order by id for update`,
            [ids],
          );
          if (done.length > 0) await this.#record(tx, done);
          const current = new Map(locked.map((r) => [r.id, r]));
          for (const f of fanOut) {
            const row = current.get(f.subscription.id);
            if (row === undefined || !row.live || Number(row.after_position) !== f.after) {
              // Another worker filed this batch first, or the subscription ended: read again next round.
              this.#subscriptionsRead = undefined;
              this.#after.delete(f.subscription.id);
              continue;
            }
            await this.#file(tx, f);
          }
        }
        return limit > 0 ? this.#claim(tx, limit) : [];
      });
    } catch (e) {
      // Kept for the next round; if this process ends first, the leases run out and the rows are sent again.
      this.#done.unshift(...done);
      this.#subscriptionsRead = undefined;
      this.#after.clear();
      throw e;
    }
    this.#recorded += done.length;
    for (const f of fanOut) if (this.#subscriptionsRead !== undefined) this.#after.set(f.subscription.id, f.last);
    if (claimed.length === 0) return 0;
    const byId = new Map(subscriptions.map((s) => [s.id, s]));
    const prepared = await Promise.all(claimed.map((row) => this.#prepare(row, byId.get(row.subscription_id))));
    for (const [audited, group] of this.#auditPhi(prepared)) {
      for (const p of group) {
        const task = audited
          .then(
            () => this.#send(p),
            () => this.#fail(p.row, this.#clock.now(), null, 'AUDIT_UNAVAILABLE'),
          )
          .then(
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
    }
    return claimed.length;
  }

  /** Each subscription's new events, decided: the ones its types and its subscriber's grants let through. */
  async #decideNew(subscriptions: readonly ActiveSubscription[]) {
    const out: FanOut[] = [];
    for (const s of subscriptions) {
      const after = Math.max(s.afterPosition, this.#after.get(s.id) ?? 0);
      const heads = await this.#outbox.heads(after, 2_000);
      const last = heads.at(-1);
      if (last === undefined) continue;
      const wanted: typeof heads = [];
      for (const h of heads) {
        if (s.types.length > 0 && !s.types.includes(h.type)) continue;
        if ((await this.#allowed(s, 'events.subscribe', h.site)) === undefined) continue;
        wanted.push(h);
      }
      out.push({ subscription: s, after, last: last.position, wanted });
    }
    return out;
  }

  /**
   * Files one subscription's new events as delivery rows and moves its cursor, in one statement
   * (its row locked). The first new row of a patient with no pending head becomes the head.
   */
  async #file(tx: Sql, f: FanOut): Promise<void> {
    const now = this.#clock.now();
    await tx.query(
      `with moved as (update events_subscriptions set after_position = $3 where id = $1)
       insert into events_deliveries (id, subscription_id, position, event_id, order_key, status, next_attempt_at,
          created_at, updated_at, head)
       select gen_random_uuid(), $1, u.position, u.event_id, u.order_key, 'pending', $2, $2, $2,
              u.first and not exists (select 1 from events_deliveries e
                                       where e.subscription_id = $1 and e.order_key = u.order_key
                                         and e.status = 'pending' and e.head)
         from (select t.*, row_number() over (partition by t.order_key order by t.position) = 1 as first
                 from unnest($4::bigint[], $5::uuid[], $6::text[]) as t(position, event_id, order_key)) u
       on conflict (subscription_id, position) do nothing`,
      [
        f.subscription.id,
        now,
        f.last,
        f.wanted.map((h) => h.position),
        f.wanted.map((h) => h.id),
        f.wanted.map((h) => h.patientId ?? `event:${h.id}`),
      ],
    );
  }

  /**
   * Due heads, oldest first, leased to this worker (their next attempt moved to the lease's end), with
   * their outbox rows: one statement, whose cost follows the rows it claims (an index of due heads).
   * Rows another worker is claiming are skipped.
   */
  async #claim(tx: Sql, limit: number): Promise<ClaimedRow[]> {
    const now = this.#clock.now();
    const { rows } = await tx.query<ClaimedRow>(
      `update events_deliveries d set lease_until = $2, next_attempt_at = $2
         from (select c.id, o.id as o_id, o.type, o.site, o.patient_id, o.occurred_at, o.recorded_at, o.source_key,
                      o.refs, o.data_enc
                 from (select id, position from events_deliveries
                        where status = 'pending' and head and next_attempt_at <= $1
                          and (lease_until is null or lease_until <= $1)
                        order by next_attempt_at, position limit $3
                          for update skip locked) c
                 left join events_outbox o on o.position = c.position) x
        where d.id = x.id
        returning d.id, d.subscription_id, d.position, d.event_id, d.attempts, x.o_id, x.type, x.site, x.patient_id,
                  x.occurred_at, x.recorded_at, x.source_key, x.refs, x.data_enc`,
      [now, new Date(now.getTime() + this.#o.leaseMs), limit],
    );
    return rows;
  }

  /** Decides a claimed row: the grant at send time (a revoked grant stops what was queued), the destination, PHI or not. */
  async #prepare(row: ClaimedRow, subscription: ActiveSubscription | undefined): Promise<Prepared> {
    if (subscription === undefined || row.o_id === null || row.site === null) return { row, phi: false, error: 'GONE' };
    try {
      const allowed = await this.#allowed(subscription, 'events.subscribe', row.site);
      if (allowed === undefined) return { row, phi: false, error: 'FORBIDDEN' };
      const destination = (await this.#destinationsById()).get(subscription.destinationId);
      if (destination === undefined) return { row, phi: false, error: 'EGRESS_NOT_REGISTERED' };
      const phi = destination.baaOnRecord && (await this.#phiAllowed(subscription, row.site)) !== undefined;
      const event = this.#outbox.toEvent(
        { ...row, id: row.o_id, position: row.position, type: row.type ?? '', site: row.site },
        phi,
      );
      return { row, subscription, event, destination, purpose: allowed.purpose, phi };
    } catch (e) {
      this.#onError(e);
      return { row, phi: false, error: 'UNEXPECTED' };
    }
  }

  /**
   * The claim's PHI sends audited before any is sent: one `phi.export` entry per subscription, site
   * and purpose, naming each patient and each event. Returns each group with what it waits for.
   */
  #auditPhi(prepared: readonly Prepared[]): [Promise<unknown>, Prepared[]][] {
    const plain: Prepared[] = [];
    const groups = new Map<string, Prepared[]>();
    for (const p of prepared) {
      if (!p.phi) {
        plain.push(p);
        continue;
      }
      const key = `${p.subscription?.id ?? ''} ${p.event?.site ?? ''} ${p.purpose ?? ''}`;
      const g = groups.get(key);
      if (g === undefined) groups.set(key, [p]);
      else g.push(p);
    }
    const out: [Promise<unknown>, Prepared[]][] = [[Promise.resolve(), plain]];
    for (const group of groups.values()) {
      const { subscription, event, destination, purpose } = group[0] as Required<Prepared>;
      const patients = [
        ...new Set(group.flatMap((p) => (p.event?.patientId !== undefined ? [p.event.patientId] : []))),
      ];
      const audited = this.#audit.append({
        actor: subscription.actor,
        event: 'phi.export',
        action: 'E',
        outcome: 'success',
        entity: { kind: 'StewardEvents', id: group.map((p) => p.event?.id ?? '').join(' ') },
        ...(patients.length > 0 ? { patientIds: patients } : {}),
        site: event.site,
        purposeOfUse: purpose,
        reason: `webhook:${destination.name}`,
      });
      audited.catch(this.#onError);
      out.push([audited, group]);
    }
    return out;
  }

  #fail(row: ClaimedRow, started: Date, code: number | null, error: string | null): Outcome {
    const attempt = row.attempts + 1;
    const dead = attempt >= this.#o.maxAttempts || error === 'FORBIDDEN';
    return {
      id: row.id,
      subscriptionId: row.subscription_id,
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
  }

  async #send(p: Prepared): Promise<Outcome> {
    const { row, subscription, event, destination } = p;
    const started = this.#clock.now();
    if (p.error !== undefined || subscription === undefined || event === undefined || destination === undefined)
      return this.#fail(row, started, null, p.error ?? 'GONE');
    try {
      const sender = await this.#sender(subscription, p.phi);
      const body = JSON.stringify(toPayload(event, p.phi));
      const at = this.#clock.now();
      const response = await sender.send(subscription.url, {
        headers: {
          'content-type': 'application/json',
          'webhook-id': event.id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': this.#signer(subscription).sign(event.id, at, body),
        },
        body,
        timeoutMs: this.#o.timeoutMs,
      });
      if (okStatus(response.status)) {
        return {
          id: row.id,
          subscriptionId: row.subscription_id,
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
      return this.#fail(row, started, response.status, null);
    } catch (e) {
      const code = (e as { code?: unknown; name?: unknown }).code;
      const name = (e as { name?: unknown }).name;
      return this.#fail(
        row,
        started,
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

  /**
   * Writes every finished attempt and passes each delivered or dead row's head to its patient's next
   * pending row: one statement, run with the subscriptions' rows locked. A row already finished (sent
   * again by another worker after a lease ran out) is left as it is.
   */
  async #record(tx: Sql, done: readonly Outcome[]): Promise<void> {
    await tx.query(
      `with rec as (
           update events_deliveries d
              set status = u.status, attempts = d.attempts + 1, next_attempt_at = u.next_at, lease_until = null,
                  last_status = u.code, last_error = u.err,
                  attempt_log = d.attempt_log || jsonb_build_array(u.entry::jsonb), updated_at = $1,
                  head = (u.status = 'pending')
             from unnest($2::uuid[], $3::text[], $4::timestamptz[], $5::int[], $6::text[], $7::text[])
                  as u(id, status, next_at, code, err, entry)
            where d.id = any($2::uuid[]) and d.id = u.id and d.status <> 'delivered' and d.status <> 'dead'
           returning d.subscription_id, d.order_key, d.status),
         finished as (select distinct subscription_id, order_key from rec where status <> 'pending')
         update events_deliveries p set head = true
           from finished f
           join lateral (select e.id from events_deliveries e
                          where e.subscription_id = f.subscription_id and e.order_key = f.order_key
                            and e.status = 'pending' and not e.head
                          order by e.position limit 1) x on true
          where p.id = x.id`,
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
    let kept = this.#decisions.get(key);
    if (kept === undefined || now >= kept.until) {
      // One decision in flight per key: concurrent sends share it (no herd on the grants).
      const ctx = { actor, sourceAddress: 'events-delivery', ...(workflow !== undefined ? { workflow } : {}) };
      const purpose = this.#policy.decide(ctx, action, { site }).then((d) => (d.allowed ? d.purposeOfUse : undefined));
      purpose.catch(() => this.#decisions.delete(key));
      if (this.#decisions.size > 10_000) this.#decisions.clear();
      kept = { until: now + this.#o.reuseMs, purpose };
      this.#decisions.set(key, kept);
    }
    const purpose = await kept.purpose;
    return purpose === undefined ? undefined : { purpose };
  }

  /** PHI goes to a subscriber whose grant at the site lets it read PHI, for treatment or operations. */
  async #phiAllowed(subscriber: Subscriber, site: string) {
    const d = await this.#allowed(subscriber, 'phi.read', site);
    return d !== undefined && (d.purpose === 'TREAT' || d.purpose === 'HOPERAT') ? d : undefined;
  }

  #active(): Promise<ActiveSubscription[]> {
    const now = this.#clock.now().getTime();
    if (this.#subscriptionsRead === undefined || now >= this.#subscriptionsRead.until) {
      const list = this.#subscriptions.active();
      list.catch(() => {
        this.#subscriptionsRead = undefined;
      });
      this.#subscriptionsRead = { until: now + this.#o.reuseMs, list };
      this.#after.clear();
    }
    return this.#subscriptionsRead.list;
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

  #signer(s: ActiveSubscription): WebhookSigner {
    let w = this.#signers.get(s.id);
    if (w === undefined) {
      w = new WebhookSigner(s.secret);
      this.#signers.set(s.id, w);
    }
    return w;
  }
}

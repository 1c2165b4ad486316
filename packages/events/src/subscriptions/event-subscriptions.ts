/**
 * @module Webhook subscriptions and their dead letters, governed: the only SQL on
 * `events_subscriptions`, and the subscriber's view of `events_deliveries` (the dead-letter list and
 * replay). A subscriber is a service account holding `events.subscribe` (role `agent`) at a site; it
 * names the event types it wants and a webhook URL that must lie under a destination of the egress
 * registry (refused EGRESS_NOT_REGISTERED, audited, otherwise). Its secret (`whsec_…`) is shown once,
 * at creation, and sealed at rest. Each account sees and changes only its own subscriptions.
 */
import { randomBytes } from 'node:crypto';
import {
  ForbiddenError,
  NotFoundError,
  newId,
  systemClock,
  ValidationError,
  type Actor,
  type Clock,
  type RequestContext,
} from '@steward/core';
import {
  roleAllows,
  type AuditSink,
  type EgressRegistry,
  type FieldCipher,
  type GrantStore,
  type PolicyDecisionPoint,
} from '@steward/governance';
import type { Database } from '@steward/store';
import { eventTypes } from '../model/event-record.js';
import type { EventOutbox } from '../outbox/event-outbox.js';

export interface Subscription {
  readonly id: string;
  readonly accountId: string;
  readonly destination: string;
  readonly url: string;
  /** The event types chosen; empty means every type. */
  readonly types: readonly string[];
  readonly createdAt: Date;
}

export interface NewSubscription {
  readonly url: string;
  readonly types?: readonly string[];
}

export interface DeadLetter {
  readonly id: string;
  readonly subscriptionId: string;
  readonly eventId: string;
  readonly attempts: number;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly deadAt: Date;
  readonly attemptLog: readonly AttemptRecord[];
}

/** One webhook attempt: when, the answer's status code or the error's code, how long. Never a body. */
export interface AttemptRecord {
  readonly at: string;
  readonly status?: number;
  readonly error?: string;
  readonly ms: number;
}

interface SubscriptionRow {
  id: string;
  account_id: string;
  account_name: string;
  destination_id: string;
  url: string;
  types: string[];
  secret_enc: Uint8Array;
  after_position: string | number;
  workflow: string | null;
  created_at: Date;
}

/** A subscription as the delivery worker reads it: its account acting, its secret opened. */
export interface ActiveSubscription {
  readonly id: string;
  readonly actor: Actor;
  readonly destinationId: string;
  readonly url: string;
  readonly types: readonly string[];
  readonly secret: string;
  readonly afterPosition: number;
  /** The workflow the subscription was made in: deliveries are decided in it. */
  readonly workflow?: string;
}

export interface EventSubscriptionsDeps {
  readonly db: Database;
  readonly cipher: FieldCipher;
  readonly policy: PolicyDecisionPoint;
  readonly grants: Pick<GrantStore, 'forPrincipal' | 'ofActor'>;
  readonly audit: AuditSink;
  readonly egress: Pick<EgressRegistry, 'authorize' | 'list'>;
  readonly outbox: EventOutbox;
  readonly clock?: Clock;
}

const known: ReadonlySet<string> = new Set(eventTypes);
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class EventSubscriptions {
  readonly #d: EventSubscriptionsDeps;
  readonly #clock: Clock;

  constructor(deps: EventSubscriptionsDeps) {
    this.#d = deps;
    this.#clock = deps.clock ?? systemClock;
  }

  /**
   * Subscribes the calling service account. Returns the subscription and its signing secret, which
   * is never shown again. Events from now on are delivered (no backfill).
   */
  async subscribe(
    ctx: RequestContext,
    input: NewSubscription,
  ): Promise<{ subscription: Subscription; secret: string }> {
    await this.assertSubscriber(ctx);
    const types = [...new Set(input.types ?? [])];
    const unknown = types.filter((t) => !known.has(t));
    if (unknown.length > 0)
      throw new ValidationError('unknown event type', [
        { path: 'types', message: `must be among: ${eventTypes.join(', ')}` },
      ]);
    let target: URL;
    try {
      target = new URL(input.url);
    } catch {
      throw new ValidationError('invalid webhook URL', [{ path: 'url', message: 'not a URL' }]);
    }
    if (target.protocol !== 'https:' && target.protocol !== 'http:')
      throw new ValidationError('invalid webhook URL', [{ path: 'url', message: 'must be https or http' }]);
    if (target.username !== '' || target.password !== '')
      throw new ValidationError('invalid webhook URL', [{ path: 'url', message: 'must not carry credentials' }]);
    // The destination must be in the egress registry (a refusal is audited there).
    const destination = await this.#d.egress.authorize(ctx.actor, target.toString(), { phi: false });
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const id = newId();
    const now = this.#clock.now();
    await this.#d.db.query(
      `insert into events_subscriptions (id, account_id, account_name, destination_id, url, types, secret_enc,
         after_position, created_by, created_at, workflow)
       values ($1, $2, $3, $4, $5, $6::text[], $7, $8, $9, $10, $11)`,
      [
        id,
        ctx.actor.id,
        ctx.actor.name,
        destination.id,
        target.toString(),
        types,
        this.#d.cipher.encrypt(secret, `events_subscriptions.secret:${id}`),
        await this.#d.outbox.head(),
        ctx.actor.id,
        now,
        ctx.workflow ?? null,
      ],
    );
    await this.#d.audit.append({
      actor: ctx.actor,
      event: 'config.changed',
      action: 'C',
      outcome: 'success',
      entity: { kind: 'EventSubscription', id },
      reason: `subscribed:${destination.name}`,
    });
    return {
      subscription: {
        id,
        accountId: ctx.actor.id,
        destination: destination.name,
        url: target.toString(),
        types,
        createdAt: now,
      },
      secret,
    };
  }

  /** The caller's own subscriptions. */
  async list(ctx: RequestContext): Promise<Subscription[]> {
    await this.assertSubscriber(ctx);
    const { rows } = await this.#d.db.query<SubscriptionRow>(
      `select * from events_subscriptions where account_id = $1 and deleted_at is null order by created_at, id`,
      [ctx.actor.id],
    );
    const names = new Map((await this.#d.egress.list()).map((d) => [d.id, d.name]));
    return rows.map((r) => ({
      id: r.id,
      accountId: r.account_id,
      destination: names.get(r.destination_id) ?? '(removed)',
      url: r.url,
      types: r.types,
      createdAt: r.created_at,
    }));
  }

  /** Ends one of the caller's subscriptions: nothing more is delivered to it. */
  async unsubscribe(ctx: RequestContext, id: string): Promise<void> {
    await this.assertSubscriber(ctx);
    const { rowCount } = uuid.test(id)
      ? await this.#d.db.query(
          `update events_subscriptions set deleted_at = $3 where id = $1 and account_id = $2 and deleted_at is null`,
          [id, ctx.actor.id, this.#clock.now()],
        )
      : { rowCount: 0 };
    if (rowCount === 0) throw new NotFoundError('subscription');
    // What was still to be sent is not sent (the dead letters stay listed until the subscription goes).
    await this.#d.db.query(`delete from events_deliveries where subscription_id = $1 and status = 'pending'`, [id]);
    await this.#d.audit.append({
      actor: ctx.actor,
      event: 'config.changed',
      action: 'D',
      outcome: 'success',
      entity: { kind: 'EventSubscription', id },
      reason: 'unsubscribed',
    });
  }

  /** The caller's dead letters (deliveries given up after the last attempt), newest first. */
  async deadLetters(ctx: RequestContext, limit = 100): Promise<DeadLetter[]> {
    await this.assertSubscriber(ctx);
    const { rows } = await this.#d.db.query<{
      id: string;
      subscription_id: string;
      event_id: string;
      attempts: number;
      last_status: number | null;
      last_error: string | null;
      updated_at: Date;
      attempt_log: AttemptRecord[];
    }>(
      `select d.id, d.subscription_id, d.event_id, d.attempts, d.last_status, d.last_error, d.updated_at, d.attempt_log
         from events_deliveries d join events_subscriptions s on s.id = d.subscription_id
        where s.account_id = $1 and s.deleted_at is null and d.status = 'dead'
        order by d.updated_at desc, d.id limit $2`,
      [ctx.actor.id, Math.max(1, Math.min(limit, 1000))],
    );
    return rows.map((r) => ({
      id: r.id,
      subscriptionId: r.subscription_id,
      eventId: r.event_id,
      attempts: r.attempts,
      lastStatus: r.last_status,
      lastError: r.last_error,
      deadAt: r.updated_at,
      attemptLog: r.attempt_log,
    }));
  }

  /**
   * Puts one of the caller's dead letters back to be delivered now, with a fresh count of attempts.
   * It is sent at once when its patient has nothing else pending for the subscription, else after
   * what is pending (the head-of-line flag moves only with the subscription's row locked).
   */
  async replay(ctx: RequestContext, deliveryId: string): Promise<void> {
    await this.assertSubscriber(ctx);
    const replayed = uuid.test(deliveryId)
      ? await this.#d.db.transaction(async (tx) => {
          const { rows } = await tx.query<{ subscription_id: string }>(
            `select s.id as subscription_id from events_deliveries d join events_subscriptions s on s.id = d.subscription_id
              where d.id = $1 and d.status = 'dead' and s.account_id = $2 and s.deleted_at is null
                for update of s`,
            [deliveryId, ctx.actor.id],
          );
          if (rows[0] === undefined) return 0;
          const { rowCount } = await tx.query(
            `update events_deliveries d set status = 'pending', attempts = 0, next_attempt_at = $2, lease_until = null,
                    updated_at = $2,
                    head = not exists (select 1 from events_deliveries e
                                        where e.subscription_id = d.subscription_id and e.order_key = d.order_key
                                          and e.status = 'pending' and e.head)
              where d.id = $1 and d.status = 'dead'`,
            [deliveryId, this.#clock.now()],
          );
          return rowCount;
        })
      : 0;
    if (replayed === 0) throw new NotFoundError('dead letter');
  }

  /** Every live subscription, secrets opened: the delivery worker's. */
  async active(): Promise<ActiveSubscription[]> {
    const { rows } = await this.#d.db.query<SubscriptionRow>(
      'select * from events_subscriptions where deleted_at is null order by created_at, id',
    );
    return rows.map((r) => ({
      id: r.id,
      actor: { kind: 'service', id: r.account_id, name: r.account_name, authMethod: 'api-token' },
      destinationId: r.destination_id,
      url: r.url,
      types: r.types,
      secret: this.#d.cipher.decrypt(r.secret_enc, `events_subscriptions.secret:${r.id}`).toString('utf8'),
      afterPosition: Number(r.after_position),
      ...(r.workflow !== null ? { workflow: r.workflow } : {}),
    }));
  }

  /**
   * A subscriber is a service account with `events.subscribe` at some site (its token scoped for
   * it). Anyone else is refused FORBIDDEN, the denial audited.
   */
  async assertSubscriber(ctx: RequestContext): Promise<void> {
    const grant = (await this.#d.grants.ofActor(ctx.actor)).find((g) => roleAllows(g.role, 'events.subscribe'));
    await this.#d.policy.enforce(ctx, 'events.subscribe', grant === undefined ? {} : { site: grant.site });
    if (ctx.actor.kind !== 'service') throw new ForbiddenError('a subscriber is a service account');
  }
}

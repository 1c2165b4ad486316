/**
 * @module The event stream (server-sent events, ADR 0019): the outbox read from a position, scoped
 * by the caller's grants as webhooks are (only events of sites where it holds `events.subscribe`,
 * decided again at most every second). References only, unless the caller asks for PHI and its
 * grant at the event's site lets it read PHI for treatment or operations: a streaming caller's
 * machine is not a destination Steward can check for a BAA, so the stream gives it no more than
 * what the same account could read through the API, and audits each PHI event as a read naming
 * the patient. Resume: from an event id (the SSE `Last-Event-ID`), exactly the events after it.
 */
import { NotFoundError, systemClock, type Clock, type PurposeOfUse, type RequestContext } from '@steward/core';
import type { AuditSink, PolicyDecisionPoint } from '@steward/governance';
import { toPayload, type EventPayload } from '../model/event-record.js';
import type { EventOutbox } from '../outbox/event-outbox.js';
import type { EventSubscriptions } from '../subscriptions/event-subscriptions.js';

export interface StreamItem {
  /** The event id (the SSE `id:`). */
  readonly id: string;
  readonly type: string;
  readonly payload: EventPayload;
}

export interface StreamRequest {
  /** Resume after this event (`Last-Event-ID` or `?after=`); absent: from now on. */
  readonly after?: string;
  /** With no `after`: start with the events recorded at or after this time (catch up on the last hour). */
  readonly since?: Date;
  readonly types?: readonly string[];
  /** Ask for the PHI part where the caller's grant allows it. */
  readonly phi?: boolean;
}

export class EventStream {
  readonly #clock: Clock;
  readonly #pollMs: number;

  constructor(
    private readonly deps: {
      readonly outbox: EventOutbox;
      readonly policy: PolicyDecisionPoint;
      readonly audit: AuditSink;
      readonly subscriptions: Pick<EventSubscriptions, 'assertSubscriber'>;
    },
    options: { readonly clock?: Clock; readonly pollMs?: number } = {},
  ) {
    this.#clock = options.clock ?? systemClock;
    this.#pollMs = options.pollMs ?? 1_000;
  }

  /** Checks the caller and finds where to start: the position after which events are sent. */
  async open(ctx: RequestContext, request: StreamRequest): Promise<number> {
    await this.deps.subscriptions.assertSubscriber(ctx);
    if (request.after === undefined)
      return request.since !== undefined ? this.deps.outbox.positionBefore(request.since) : this.deps.outbox.head();
    const position = await this.deps.outbox.positionOf(request.after);
    if (position === undefined) throw new NotFoundError('event');
    return position;
  }

  /** The caller's events after `position`, as they come, until `signal` aborts. */
  async *follow(
    ctx: RequestContext,
    position: number,
    request: StreamRequest,
    signal: AbortSignal,
  ): AsyncGenerator<StreamItem> {
    const decisions = new Map<string, { until: number; purpose: PurposeOfUse | undefined }>();
    const allowed = async (action: 'events.subscribe' | 'phi.read', site: string) => {
      const key = `${action} ${site}`;
      const now = this.#clock.now().getTime();
      const kept = decisions.get(key);
      if (kept !== undefined && now < kept.until) return kept.purpose;
      const d = await this.deps.policy.decide(ctx, action, { site });
      const purpose = d.allowed ? d.purposeOfUse : undefined;
      decisions.set(key, { until: now + 1_000, purpose });
      return purpose;
    };
    const types = request.types !== undefined && request.types.length > 0 ? request.types : undefined;
    let after = position;
    while (!signal.aborted) {
      const events = await this.deps.outbox.read(after, 200, types !== undefined ? { types } : {});
      if (events.length === 0) {
        await this.#wait(signal);
        continue;
      }
      after = events.at(-1)!.position;
      const items: {
        item: StreamItem;
        phiOf?: { patientId: string | undefined; site: string; purpose: PurposeOfUse };
      }[] = [];
      for (const e of events) {
        if ((await allowed('events.subscribe', e.site)) === undefined) continue;
        const purpose = request.phi === true ? await allowed('phi.read', e.site) : undefined;
        const phi = purpose === 'TREAT' || purpose === 'HOPERAT';
        items.push({
          item: { id: e.id, type: e.type, payload: toPayload(e, phi) },
          ...(phi ? { phiOf: { patientId: e.patientId, site: e.site, purpose } } : {}),
        });
      }
      // Each PHI event is audited before it is sent.
      await Promise.all(
        items.flatMap(({ item, phiOf }) =>
          phiOf === undefined
            ? []
            : [
                this.deps.audit.append({
                  actor: ctx.actor,
                  event: 'phi.read',
                  action: 'R',
                  outcome: 'success',
                  entity: { kind: 'StewardEvent', id: item.id },
                  ...(phiOf.patientId !== undefined ? { patientIds: [phiOf.patientId] } : {}),
                  site: phiOf.site,
                  purposeOfUse: phiOf.purpose,
                  ...(ctx.sourceAddress !== undefined || ctx.requestId !== undefined
                    ? {
                        source: {
                          ...(ctx.sourceAddress !== undefined ? { address: ctx.sourceAddress } : {}),
                          ...(ctx.requestId !== undefined ? { requestId: ctx.requestId } : {}),
                        },
                      }
                    : {}),
                  reason: 'stream',
                }),
              ],
        ),
      );
      for (const { item } of items) {
        if (signal.aborted) return;
        yield item;
      }
    }
  }

  #wait(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        unlisten();
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, this.#pollMs);
      const unlisten = this.deps.outbox.onAppend(done);
      signal.addEventListener('abort', done);
    });
  }
}

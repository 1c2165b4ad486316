/**
 * @module The event router: reads each connection's journal in arrival order from a durable
 * cursor and hands every event to the registered routes, applying what they say (start, signal,
 * link) in one transaction per batch. Delivery is at least once and harmless to repeat: starts
 * are unique per correlation key, signals carry the event id as their dedup key, links are upserts.
 * The cursor moves in the same transaction as the starts, signals and links, so a crash neither
 * skips an event nor routes one twice, and two routers never take the same batch. Patient merges
 * and flagged events are recorded in the same transaction (`patient-merges.ts`, `event-flags.ts`).
 */
import { systemClock, type Clock, type EhrEvent, type InboundJournal, type RequestContext } from '@steward/core';
import type { Database, Sql } from '@steward/store';
import type { WorkflowEngine } from '../engine/index.js';
import type { LinkLookup, Route, RouteAction } from './route-types.js';
import { recordMerge } from './patient-merges.js';
import { recordFlags } from './event-flags.js';

/** What the router needs of a connection: its id and its journal. */
export interface RoutedConnection {
  readonly id: string;
  readonly journal: Pick<InboundJournal, 'events'>;
}

export interface EventRouterOptions {
  readonly db: Database;
  readonly engine: WorkflowEngine;
  readonly routes: readonly Route[];
  /** The connections to follow, read at each round (new ones join without a restart). */
  readonly connections: () => Promise<readonly RoutedConnection[]>;
  readonly batchSize?: number;
  readonly clock?: Clock;
  /**
   * Called with each batch before the routes plan it (the clinic directory learns what the events
   * name, so a route asking it finds them). Must be harmless to repeat: a failure fails the round,
   * which reads the same batch again.
   */
  readonly observers?: readonly ((connectionId: string, events: readonly EhrEvent[]) => Promise<unknown>)[];
}

export interface RouteRound {
  readonly events: number;
  readonly actions: number;
  /** Batches another router (another process, or the server's own loop) routed first, meanwhile. */
  readonly taken: number;
}

export class EventRouter {
  readonly #o: EventRouterOptions;
  readonly #clock: Clock;

  constructor(options: EventRouterOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** One batch per connection. Returns how many events were routed. */
  async runOnce(): Promise<RouteRound> {
    let events = 0;
    let actions = 0;
    let taken = 0;
    for (const c of await this.#o.connections()) {
      const from = await this.#cursor(this.#o.db, c.id);
      const batch = await c.journal.events(from, this.#o.batchSize ?? 200);
      if (batch.length === 0) continue;
      for (const observe of this.#o.observers ?? []) await observe(c.id, batch);
      // Routes may read (a link, a connection's site): they run before the transaction, since the
      // embedded store has one connection and a read outside an open transaction would wait on it.
      const planned = await this.#plan(c.id, batch);
      // The cursor row exists before any router locks it, so the lock below always has a row to
      // hold: a second router waits there, then finds the batch taken (no shared inserts racing).
      await this.#o.db.query(
        'insert into workflow_router_cursors (connection_id, seq) values ($1, 0) on conflict (connection_id) do nothing',
        [c.id],
      );
      const routed = await this.#o.db.transaction(async (tx) => {
        // Another router (another process) may have taken this batch meanwhile: then do nothing.
        const locked = await tx.query<{ seq: string }>(
          'select seq from workflow_router_cursors where connection_id = $1 for update',
          [c.id],
        );
        if (Number(locked.rows[0]?.seq ?? 0) !== from) return undefined;
        for (const { event, actions } of planned) await this.#apply(tx, c.id, event, actions);
        await tx.query('update workflow_router_cursors set seq = $2 where connection_id = $1', [
          c.id,
          batch.at(-1)!.seq,
        ]);
        return planned.reduce((n, p) => n + p.actions.length, 0);
      });
      if (routed === undefined) {
        taken++;
        continue;
      }
      actions += routed;
      events += batch.length;
    }
    return { events, actions, taken };
  }

  /** Routes until every journal is read to its end. */
  async drain(): Promise<RouteRound> {
    let events = 0;
    let actions = 0;
    let taken = 0;
    for (;;) {
      const r = await this.runOnce();
      // A batch another router took is not the journal's end: that router may still be routing the
      // next one (its observers and plan run before its transaction), so look again.
      if (r.events === 0 && r.taken === 0) return { events, actions, taken };
      events += r.events;
      actions += r.actions;
      taken += r.taken;
    }
  }

  async #cursor(sql: Sql, connectionId: string): Promise<number> {
    const { rows } = await sql.query<{ seq: string }>(
      'select seq from workflow_router_cursors where connection_id = $1',
      [connectionId],
    );
    return Number(rows[0]?.seq ?? 0);
  }

  /** Each event's actions, in order; a link made by an earlier event of the batch is seen by later ones. */
  async #plan(
    connectionId: string,
    batch: readonly EhrEvent[],
  ): Promise<{ event: EhrEvent; actions: RouteAction[] }[]> {
    const made = new Map<string, string>();
    const links: LinkLookup = async (ref, across = []) => {
      const here = made.get(ref);
      if (here !== undefined) return here;
      const others = across.filter((c) => c !== connectionId);
      // Each connection's links are found by their primary key (connection_id, ref).
      const { rows } =
        others.length === 0
          ? await this.#o.db.query<{ correlation_key: string }>(
              'select correlation_key from workflow_links where connection_id = $1 and ref = $2',
              [connectionId, ref],
            )
          : await this.#o.db.query<{ correlation_key: string }>(
              `select correlation_key from workflow_links
                where connection_id = any($1::uuid[]) and ref = $2
                order by (connection_id = $3::uuid) desc, created_at limit 1`,
              [[connectionId, ...others], ref, connectionId],
            );
      return rows[0]?.correlation_key;
    };
    const planned: { event: EhrEvent; actions: RouteAction[] }[] = [];
    for (const event of batch) {
      const actions: RouteAction[] = [];
      for (const route of this.#o.routes) actions.push(...(await route(event, links)));
      for (const a of actions) if (a.kind === 'link') made.set(a.ref, a.correlationKey);
      planned.push({ event, actions });
    }
    return planned;
  }

  async #apply(tx: Sql, connectionId: string, event: EhrEvent, actions: readonly RouteAction[]): Promise<void> {
    // A merge is honoured by every workflow, whatever the routes say: the retired patient now
    // means the survivor (see patient-merges.ts).
    if (event.facts.kind === 'Merge') await recordMerge(tx, event);
    // What a person should look at goes on the flagged-events list (see event-flags.ts).
    await recordFlags(tx, event, this.#clock.now());
    for (const a of actions) {
      if (a.kind === 'start') await this.#o.engine.start(a.type, a.correlationKey, a.payload, { tx });
      else if (a.kind === 'signal')
        await this.#o.engine.signal(a.correlationKey, a.name, a.payload, {
          tx,
          dedupKey: `event:${event.id}:${a.name}`,
          ...(a.type !== undefined ? { type: a.type } : {}),
        });
      else
        await tx.query(
          `insert into workflow_links (connection_id, ref, correlation_key, created_at) values ($1, $2, $3, $4)
           on conflict (connection_id, ref) do update set correlation_key = excluded.correlation_key`,
          [connectionId, a.ref, a.correlationKey, this.#clock.now()],
        );
    }
  }
}

/** Reads a connection's journal as its own service account (who may read what it filed). */
export function routedConnection(
  id: string,
  journalFor: (ctx: RequestContext) => Pick<InboundJournal, 'events'>,
  ctx: RequestContext,
): RoutedConnection {
  return { id, journal: journalFor(ctx) };
}

/**
 * How far the router has read each connection's journal: the retention purge keeps every later
 * event, so nothing is deleted before the workflows saw it.
 */
export async function routedThrough(sql: Sql): Promise<ReadonlyMap<string, number>> {
  const { rows } = await sql.query<{ connection_id: string; seq: string | number }>(
    'select connection_id, seq from workflow_router_cursors',
  );
  return new Map(rows.map((r) => [r.connection_id, Number(r.seq)]));
}

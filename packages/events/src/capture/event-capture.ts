/**
 * @module The capture: fills the outbox from its sources, each read from a durable cursor. Sources:
 * every EHR connection's journal (read as the connection's own account, the read audited by the
 * journal as a search naming the patients) and the proposals' history (ids and codes). A source's
 * events and its cursor commit together (`EventOutbox.append`); a round that fails is read again
 * by the next one. Both sources hand out their positions in commit order (each row is written under
 * the audit writer's lock, held to the commit), so reading after the last position seen skips
 * nothing. Harmless to run in several processes: a batch another capture took is not filed twice.
 */
import { systemClock, type Clock, type EhrEvent } from '@steward/core';
import type { ProposalChange } from '@steward/proposals';
import { fromEhrEvent, fromProposalChange, type NewEvent } from '../model/event-record.js';
import type { EventOutbox } from '../outbox/event-outbox.js';

/** One connection's journal, as its own account reads it. */
export interface CapturedConnection {
  readonly id: string;
  readonly site: string;
  events(afterSeq: number, limit: number): Promise<readonly EhrEvent[]>;
}

export interface EventSources {
  /** The connections to follow, asked each round. */
  connections(): Promise<readonly CapturedConnection[]>;
  /** The proposals' moves after `afterSeq`. */
  proposalChanges(afterSeq: number, limit: number): Promise<readonly ProposalChange[]>;
}

export interface CaptureRound {
  readonly read: number;
  readonly published: number;
}

export class EventCapture {
  readonly #clock: Clock;

  constructor(
    private readonly outbox: EventOutbox,
    private readonly sources: EventSources,
    options: { readonly clock?: Clock; readonly batchSize?: number } = {},
  ) {
    this.#clock = options.clock ?? systemClock;
    this.batchSize = options.batchSize ?? 500;
  }

  private readonly batchSize: number;

  /** One batch from every source. */
  async runOnce(): Promise<CaptureRound> {
    let read = 0;
    let published = 0;
    for (const c of await this.sources.connections()) {
      const source = `ehr:${c.id}`;
      const from = await this.outbox.cursor(source);
      const batch = await c.events(from, this.batchSize);
      const last = batch.at(-1);
      if (last === undefined) continue;
      const events = batch.flatMap((e) => fromEhrEvent(e, c.site) ?? []);
      if (await this.outbox.append(source, from, last.seq, events, this.#clock.now())) {
        read += batch.length;
        published += events.length;
      }
    }
    const from = await this.outbox.cursor('proposals');
    const changes = await this.sources.proposalChanges(from, this.batchSize);
    const last = changes.at(-1);
    if (last !== undefined) {
      const events = changes.flatMap((c): NewEvent[] => {
        const e = fromProposalChange(c);
        return e === undefined ? [] : [e];
      });
      if (await this.outbox.append('proposals', from, last.seq, events, this.#clock.now())) {
        read += changes.length;
        published += events.length;
      }
    }
    return { read, published };
  }

  /** Rounds until every source is read to its end. */
  async drain(): Promise<CaptureRound> {
    let read = 0;
    let published = 0;
    for (;;) {
      const r = await this.runOnce();
      if (r.read === 0) return { read, published };
      read += r.read;
      published += r.published;
    }
  }
}

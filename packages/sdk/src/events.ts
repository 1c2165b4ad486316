/**
 * @module Steward's events as a stream (`/events/stream`, server-sent events) that resumes where it
 * left off: after a dropped connection it reconnects with `Last-Event-ID`, so an event is neither
 * lost nor (barring a crash of the reader itself) repeated. Only the sites the account's grants
 * cover are streamed; patient data only where Steward's rules allow it, references otherwise.
 */
import type { StewardTransport } from './client.js';
import { sleep } from './wait.js';
import { StewardApiError } from './errors.js';
import { readEventStream } from './event-stream.js';
import { isStewardEvent, type StewardEvent } from './event.js';

export interface StreamOptions {
  /** Start after this event id (e.g. the last one a previous run handled); default: from now. */
  readonly after?: string;
  /** Without `after`: start with the events recorded since this time (catch up on the last hour). */
  readonly since?: Date;
  /** Only these event types (e.g. `appointment.no-show`, `proposal.verified`). */
  readonly types?: readonly string[];
  /** Ask for the patient and facts too (refused per event unless the account's grant allows PHI there). */
  readonly phi?: boolean;
  /** Stops the stream. */
  readonly signal?: AbortSignal;
  /** Reconnect after a drop (default true), waiting 0.5 s doubling to 30 s between tries. */
  readonly reconnect?: boolean;
}

export class EventStream {
  constructor(private readonly transport: StewardTransport) {}

  /** The events, in Steward's order, until `signal` aborts; a refusal (401, 403, 400) is thrown, never retried. */
  async *stream(options: StreamOptions = {}): AsyncGenerator<StewardEvent> {
    let last = options.after;
    let wait = 500;
    for (;;) {
      if (aborted(options.signal)) return;
      const query = new URLSearchParams();
      if (options.types !== undefined && options.types.length > 0) query.set('types', options.types.join(','));
      if (options.phi === true) query.set('phi', 'true');
      if (last === undefined && options.since !== undefined) query.set('since', options.since.toISOString());
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (last !== undefined) headers['last-event-id'] = last;
      let dropped: Error | undefined;
      try {
        const q = query.toString();
        const response = await this.transport.request(`events/stream${q === '' ? '' : `?${q}`}`, {
          headers,
          ...(options.signal !== undefined ? { signal: options.signal } : {}),
        });
        if (response.body === null) throw new StewardApiError(502, 'NO_STREAM', 'the event stream answered no body');
        wait = 500;
        for await (const message of readEventStream(response.body, options.signal)) {
          if (message.data === '') continue;
          const event: unknown = JSON.parse(message.data);
          if (!isStewardEvent(event)) continue;
          last = message.id ?? event.data.id;
          yield event;
        }
      } catch (e) {
        if (aborted(options.signal)) return;
        if (e instanceof StewardApiError && !e.retryable) throw e;
        dropped = e instanceof Error ? e : new Error(String(e));
      }
      if (options.reconnect === false) {
        if (dropped !== undefined) throw dropped;
        return;
      }
      await sleep(wait, options.signal);
      wait = Math.min(wait * 2, 30_000);
    }
  }
}

const aborted = (signal: AbortSignal | undefined): boolean => signal?.aborted === true;

/**
 * @module Wake-ups across processes on PostgreSQL: one dedicated connection per database LISTENs
 * on every channel a caller subscribed to, and calls the channel's listeners on each NOTIFY (which
 * PostgreSQL delivers when the notifying transaction commits). The connection is not the pool's:
 * LISTEN belongs to a session, and a pooled client changes hands.
 *
 * A lost connection (server restart, a terminated backend, a network cut) is re-established with a
 * back-off that doubles from 100 ms to 5 s; state changes are reported once each (`lost` with the
 * error's code only, `restored` with how long it was down) so the caller can log them: no payload, no
 * query text, no message (nothing that could carry PHI). Notifications sent while it was down are
 * lost, so on `restored` every listener is called once: callers rescan what they may have missed,
 * and keep polling in any case (a wake-up is a hint, never the only way work is found).
 */
import pg from 'pg';
import { checkChannel, type ListenerState } from './database.js';

const firstRetryMs = 100;
const maxRetryMs = 5_000;

export class PgListener {
  readonly #config: pg.ClientConfig;
  readonly #channels = new Map<string, Set<() => void>>();
  readonly #stateListeners = new Set<(s: ListenerState) => void>();
  #client: pg.Client | undefined;
  /** The connection being opened (and its LISTENs run), if any. */
  #opening: Promise<void> | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #retryMs = firstRetryMs;
  #downSince: number | undefined;
  #closed = false;

  constructor(config: pg.ClientConfig) {
    this.#config = config;
  }

  /** Calls `listener` on every NOTIFY of `channel` (and once after a lost connection is back). */
  listen(channel: string, listener: () => void): () => void {
    checkChannel(channel);
    if (this.#closed) throw new Error('the database is closed');
    let set = this.#channels.get(channel);
    if (set === undefined) {
      set = new Set();
      this.#channels.set(channel, set);
      const client = this.#client;
      // An open connection takes the new channel now; one being opened LISTENs to every channel.
      if (client !== undefined && this.#opening === undefined) {
        client.query(`listen ${channel}`).catch((e: unknown) => this.#lost(client, e));
      }
    }
    set.add(listener);
    if (this.#client === undefined && this.#retryTimer === undefined) this.#open();
    return () => {
      const s = this.#channels.get(channel);
      if (s === undefined || !s.delete(listener) || s.size > 0) return;
      this.#channels.delete(channel);
      const client = this.#client;
      if (client !== undefined && this.#opening === undefined) {
        client.query(`unlisten ${channel}`).catch((e: unknown) => this.#lost(client, e));
      }
    };
  }

  onState(listener: (s: ListenerState) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    const client = this.#client;
    this.#client = undefined;
    await this.#opening?.catch(() => undefined);
    await (client ?? this.#client)?.end().catch(() => undefined);
  }

  #open(): void {
    if (this.#closed) return;
    const client = new pg.Client({ ...this.#config, keepAlive: true, keepAliveInitialDelayMillis: 10_000 });
    this.#client = client;
    client.on('notification', (msg) => {
      for (const l of [...(this.#channels.get(msg.channel) ?? [])]) l();
    });
    client.on('error', (e) => this.#lost(client, e));
    client.on('end', () => this.#lost(client, Object.assign(new Error('connection ended'), { code: 'ENDED' })));
    this.#opening = (async () => {
      try {
        await client.connect();
        // Channels subscribed while connecting are in the map by now: LISTEN to all of them.
        for (const channel of this.#channels.keys()) await client.query(`listen ${channel}`);
      } catch (e) {
        this.#lost(client, e);
        return;
      } finally {
        this.#opening = undefined;
      }
      if (this.#client !== client) return;
      this.#retryMs = firstRetryMs;
      if (this.#downSince !== undefined) {
        const downMs = Date.now() - this.#downSince;
        this.#downSince = undefined;
        this.#report({ state: 'restored', downMs });
        // What was notified while down is lost: every listener looks once.
        for (const set of [...this.#channels.values()]) for (const l of [...set]) l();
      }
    })();
  }

  #lost(client: pg.Client, error: unknown): void {
    if (this.#client !== client) return; // an old connection's late event
    this.#client = undefined;
    client.removeAllListeners('notification');
    client.on('error', () => undefined);
    client.end().catch(() => undefined);
    if (this.#closed) return;
    const retryInMs = this.#retryMs;
    this.#retryMs = Math.min(maxRetryMs, this.#retryMs * 2);
    // Told once per outage (the retries that fail after it are not: the log gets one line each way).
    if (this.#downSince === undefined) {
      this.#downSince = Date.now();
      const code = (error as { code?: unknown }).code;
      this.#report({ state: 'lost', code: typeof code === 'string' ? code : 'UNKNOWN', retryInMs });
    }
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (this.#channels.size > 0) this.#open();
    }, retryInMs);
    this.#retryTimer.unref();
  }

  #report(s: ListenerState): void {
    for (const l of [...this.#stateListeners]) {
      try {
        l(s);
      } catch {
        // a logger that throws must not stop the reconnection
      }
    }
  }
}

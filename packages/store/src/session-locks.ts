/**
 * @module Ownership across processes on PostgreSQL: named locks held by one dedicated session
 * (`pg_try_advisory_lock`), so a thing (an EHR connection's listener and polls) runs in exactly one
 * process of those sharing the database.
 *
 * Why a session-level advisory lock and not a lease table with a heartbeat: the lock belongs to
 * the session, so it is freed the moment the holder's process dies (its socket closes and the
 * server ends the backend) — a standby takes over within its retry interval instead of waiting a
 * lease out — and it needs no clocks, no expiry to tune and no row written every few seconds. What
 * a table's fencing token would buy is already bought downstream: the inbound journal dedupes a
 * resent message, so work two owners might both do is filed once.
 *
 * The holder checks its session every `heartbeatMs` (a `select 1` that must answer within that
 * time); a session that fails, ends or does not answer is lost: every lock it held is reported
 * lost at once (so the owner stops before a standby can take over through a server that has seen
 * the session end) and the connection is destroyed, which frees anything the server still holds
 * for it. The next `tryAcquire` opens a new session. Lock names are hashed to the 64-bit key space
 * (sha-256, first 8 bytes); keys are per database.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';

/** Locks owned by this process's one lock session (PostgreSQL only; absent on the embedded store). */
export interface SessionLocks {
  /** Takes the named lock if no session holds it: true when this process holds it now. */
  tryAcquire(name: string): Promise<boolean>;
  /** Gives the named lock back (a no-op when not held). */
  release(name: string): Promise<void>;
  /** The names this process holds. */
  held(): ReadonlySet<string>;
  /** The lock session's server process id while it is open (pg_locks.pid of what it holds). */
  readonly pid: number | undefined;
  /** Told, with the error code, when the session is lost and with it every lock it held. */
  onLost(listener: (lost: { readonly names: readonly string[]; readonly code: string }) => void): () => void;
  close(): Promise<void>;
}

/** The 64-bit advisory lock key of a lock name (signed, as PostgreSQL's bigint). */
export function lockKey(name: string): string {
  return createHash('sha256').update(`steward:${name}`).digest().readBigInt64BE(0).toString();
}

export interface PgSessionLocksOptions {
  /** How often a holder checks its session, and how long the check may take (default 2 s). */
  readonly heartbeatMs?: number;
}

export class PgSessionLocks implements SessionLocks {
  readonly #config: pg.ClientConfig;
  readonly #heartbeatMs: number;
  readonly #held = new Set<string>();
  readonly #asking = new Map<string, Promise<boolean>>();
  readonly #listeners = new Set<(lost: { readonly names: readonly string[]; readonly code: string }) => void>();
  #client: pg.Client | undefined;
  #connecting: Promise<pg.Client> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #checking = false;
  #closed = false;

  constructor(config: pg.ClientConfig, options: PgSessionLocksOptions = {}) {
    this.#config = config;
    this.#heartbeatMs = options.heartbeatMs ?? 2_000;
  }

  tryAcquire(name: string): Promise<boolean> {
    // One question per name at a time: an advisory lock is re-entrant within its session, so two
    // grants would need two unlocks.
    let asking = this.#asking.get(name);
    if (asking === undefined) {
      asking = this.#ask(name).finally(() => this.#asking.delete(name));
      this.#asking.set(name, asking);
    }
    return asking;
  }

  async #ask(name: string): Promise<boolean> {
    if (this.#closed) throw new Error('the lock session is closed');
    if (this.#held.has(name)) return true;
    const client = await this.#session();
    try {
      const r = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1::bigint) as ok', [lockKey(name)]);
      if (r.rows[0]?.ok !== true) return false;
    } catch (e) {
      this.#lost(client, e);
      throw e;
    }
    if (this.#client !== client) {
      // Lost while asking: whatever it granted went with the session.
      return false;
    }
    this.#held.add(name);
    this.#beat();
    return true;
  }

  async release(name: string): Promise<void> {
    if (!this.#held.delete(name)) return;
    const client = this.#client;
    if (client === undefined) return;
    try {
      await client.query('select pg_advisory_unlock($1::bigint)', [lockKey(name)]);
    } catch (e) {
      this.#lost(client, e);
    }
    if (this.#held.size === 0) this.#stopBeat();
  }

  held(): ReadonlySet<string> {
    return this.#held;
  }

  get pid(): number | undefined {
    return (this.#client as unknown as { processID?: number } | undefined)?.processID;
  }

  onLost(listener: (lost: { readonly names: readonly string[]; readonly code: string }) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#stopBeat();
    this.#held.clear();
    const client = this.#client ?? (await this.#connecting?.catch(() => undefined));
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  #session(): Promise<pg.Client> {
    if (this.#client !== undefined) return Promise.resolve(this.#client);
    this.#connecting ??= (async () => {
      const client = new pg.Client({ ...this.#config, keepAlive: true, keepAliveInitialDelayMillis: 5_000 });
      client.on('error', (e) => this.#lost(client, e));
      client.on('end', () => this.#lost(client, Object.assign(new Error('connection ended'), { code: 'ENDED' })));
      try {
        await client.connect();
      } catch (e) {
        client.removeAllListeners();
        client.on('error', () => undefined);
        throw e;
      } finally {
        this.#connecting = undefined;
      }
      if (this.#closed) {
        await client.end().catch(() => undefined);
        throw new Error('the lock session is closed');
      }
      this.#client = client;
      return client;
    })();
    return this.#connecting;
  }

  #beat(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => void this.#check(), this.#heartbeatMs);
    this.#timer.unref();
  }

  #stopBeat(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #check(): Promise<void> {
    const client = this.#client;
    if (client === undefined || this.#checking) return;
    this.#checking = true;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.query('select 1'),
        new Promise((_resolve, reject) => {
          timer = setTimeout(
            () => reject(Object.assign(new Error('lock session did not answer'), { code: 'TIMEOUT' })),
            this.#heartbeatMs,
          );
        }),
      ]);
    } catch (e) {
      this.#lost(client, e);
    } finally {
      clearTimeout(timer);
      this.#checking = false;
    }
  }

  #lost(client: pg.Client, error: unknown): void {
    if (this.#client !== client) return; // an old session's late event
    this.#client = undefined;
    this.#stopBeat();
    const names = [...this.#held];
    this.#held.clear();
    client.removeAllListeners();
    client.on('error', () => undefined);
    // Destroyed, not ended politely: a session that stopped answering must not linger holding locks.
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    client.end().catch(() => undefined);
    if (this.#closed || names.length === 0) return;
    const code = (error as { code?: unknown }).code;
    for (const l of [...this.#listeners]) {
      try {
        l({ names, code: typeof code === 'string' ? code : 'UNKNOWN' });
      } catch {
        // a listener that throws must not keep the others from stopping
      }
    }
  }
}

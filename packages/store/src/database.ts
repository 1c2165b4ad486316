/**
 * @module The one SQL port. Both the embedded store (PGlite) and a PostgreSQL server implement it,
 * so every store speaks one dialect and runs one schema.
 */
import type { PgSessionLocksOptions, SessionLocks } from './session-locks.js';

/** What happened to the listening connection, for the log (codes only). */
export type ListenerState =
  | { readonly state: 'lost'; readonly code: string; readonly retryInMs: number }
  | { readonly state: 'restored'; readonly downMs: number };

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/** A channel name as PostgreSQL takes it unquoted: lower case, digits and `_`, at most 63 bytes. */
export function checkChannel(channel: string): void {
  if (!CHANNEL.test(channel)) {
    throw new RangeError(`channel name must match ${CHANNEL.source} (got ${JSON.stringify(channel.slice(0, 80))})`);
  }
}

export interface QueryResult<R> {
  readonly rows: R[];
  readonly rowCount: number;
}

export interface Sql {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /**
   * `query` in array row mode: each row an array of the column values in select order, without an
   * object per row (for long scans). Optional in the port: callers fall back to `query`.
   */
  queryArrays?<R extends readonly unknown[] = unknown[]>(
    text: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<R>>;
  /** Runs several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
}

export interface Database extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * Wake-ups across processes: `listener` is called when a transaction that ran `notify(sql,
   * channel)` commits, in this process or any other on the same database (and once after a lost
   * listening connection is back, since what was sent meanwhile is lost). A hint, not a queue:
   * callers keep polling. PostgreSQL only (a dedicated LISTEN connection); absent on the embedded
   * store, where one process owns the data and wakes its own workers.
   */
  listen?(channel: string, listener: () => void): () => void;
  /** Told when the listening connection is lost and when it is back (codes only, for the log). */
  onListenerState?(listener: (state: ListenerState) => void): () => void;
  /**
   * Named locks held by a dedicated session, for what must run in one process of several sharing
   * the database (session-locks.ts). PostgreSQL only: on the embedded store one process owns all.
   */
  sessionLocks?(options?: PgSessionLocksOptions): SessionLocks;
}

/**
 * Wakes the listeners of `channel` (see `Database.listen`) when the transaction `sql` belongs to
 * commits; at once outside a transaction. A no-op on the embedded store (`kind` 'pglite').
 * Notifications of one channel in one transaction are delivered once.
 */
export async function notify(db: Pick<Database, 'kind'>, sql: Sql, channel: string): Promise<void> {
  if (db.kind !== 'postgres') return;
  checkChannel(channel);
  await sql.query('select pg_notify($1, null)', [channel]);
}

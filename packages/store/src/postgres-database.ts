/** @module A PostgreSQL server, through a pooled `pg` client. */
import pg from 'pg';
import { OperationalError } from '@steward/core';
import type { Database, ListenerState, QueryResult, Sql } from './database.js';
import { PgListener } from './pg-listener.js';
import { PgSessionLocks, type PgSessionLocksOptions, type SessionLocks } from './session-locks.js';

// Same value shapes as the embedded store: int8 as number, the rest as `pg` parses them.
const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
  },
};

function adapt(client: pg.Pool | pg.PoolClient): Sql {
  return {
    async query<R>(text: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const r = await client.query({ text, values: params as unknown[], types: typeParsers });
      return { rows: r.rows as R[], rowCount: r.rowCount ?? r.rows.length };
    },
    async queryArrays<R extends readonly unknown[]>(
      text: string,
      params: readonly unknown[] = [],
    ): Promise<QueryResult<R>> {
      const r = await client.query({ text, values: params as unknown[], types: typeParsers, rowMode: 'array' });
      return { rows: r.rows as unknown as R[], rowCount: r.rowCount ?? r.rows.length };
    },
    async exec(text: string): Promise<void> {
      await client.query(text);
    },
  };
}

export interface PostgresOptions {
  readonly url: string;
  readonly maxConnections?: number;
  /** Sent as `application_name`, so DBAs can tell Steward's connections apart. */
  readonly applicationName?: string;
  /**
   * Every session starts with `default_transaction_read_only=on` (sent in the startup packet, so no
   * pooled connection can miss it): the server refuses any write (SQLSTATE 25006). For the
   * reporting connection to a replica, so that a bug can never write there (or to a primary the
   * setting names by mistake).
   */
  readonly readOnly?: boolean;
  /**
   * false: no test connection at open; the first query connects (and fails if the server is down).
   * For a connection whose server being down must not stop Steward's start (the reporting replica).
   */
  readonly verify?: boolean;
  readonly connectionTimeoutMillis?: number;
}

export class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  readonly #pool: pg.Pool;
  readonly #sql: Sql;
  readonly #listener: PgListener;
  readonly #options: PostgresOptions;

  private constructor(pool: pg.Pool, listener: PgListener, options: PostgresOptions) {
    this.#pool = pool;
    this.#sql = adapt(pool);
    this.#listener = listener;
    this.#options = options;
  }

  static async open(options: PostgresOptions): Promise<PostgresDatabase> {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.maxConnections ?? 10,
      application_name: options.applicationName ?? 'steward',
      connectionTimeoutMillis: options.connectionTimeoutMillis ?? 10_000,
      ...(options.readOnly === true ? { options: '-c default_transaction_read_only=on' } : {}),
    });
    // A pool emits errors of idle clients (server restart); they surface on the next query instead.
    pool.on('error', () => undefined);
    if (options.verify !== false) await PostgresDatabase.#verify(pool, options.url);
    // Opened on the first `listen`: a process that only writes holds no extra connection.
    const listener = new PgListener({
      connectionString: options.url,
      application_name: `${options.applicationName ?? 'steward'}:listen`,
      connectionTimeoutMillis: 10_000,
    });
    return new PostgresDatabase(pool, listener, options);
  }

  static async #verify(pool: pg.Pool, url: string): Promise<void> {
    try {
      await pool.query('select 1');
    } catch (e) {
      await pool.end().catch(() => undefined);
      // The URL may hold a password: name the host only.
      throw new OperationalError('STORE_UNAVAILABLE', `cannot connect to PostgreSQL at ${describeUrl(url)}`, [], {
        cause: e,
      });
    }
  }

  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    return this.#sql.query<R>(text, params);
  }

  queryArrays<R extends readonly unknown[] = unknown[]>(
    text: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<R>> {
    return (this.#sql.queryArrays as NonNullable<Sql['queryArrays']>)<R>(text, params);
  }

  exec(text: string): Promise<void> {
    return this.#sql.exec(text);
  }

  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('begin');
      const result = await fn(adapt(client));
      await client.query('commit');
      return result;
    } catch (e) {
      await client.query('rollback').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  listen(channel: string, listener: () => void): () => void {
    return this.#listener.listen(channel, listener);
  }

  onListenerState(listener: (state: ListenerState) => void): () => void {
    return this.#listener.onState(listener);
  }

  /** A lock session of its own (not the pool's: an advisory lock belongs to one session); the caller closes it. */
  sessionLocks(options: PgSessionLocksOptions = {}): SessionLocks {
    return new PgSessionLocks(
      {
        connectionString: this.#options.url,
        application_name: `${this.#options.applicationName ?? 'steward'}:locks`,
        connectionTimeoutMillis: 10_000,
      },
      options,
    );
  }

  async close(): Promise<void> {
    await this.#listener.close();
    await this.#pool.end();
  }
}

/** host:port/database of a connection URL, without user or password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    // A Unix socket directory comes as `?host=/run/postgresql`, which takes the place of the host part.
    return `${u.searchParams.get('host') ?? u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

/** @module The embedded store: PostgreSQL compiled to WebAssembly (PGlite), persisted in a directory. */
import { mkdirSync } from 'node:fs';
import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import { OperationalError } from '@steward/core';
import type { Database, QueryResult, Sql } from './database.js';

// int8 as number: sequence numbers and counts stay far below 2^53.
const parsers = { [types.INT8]: (v: string) => Number(v) };

function adapt(target: PGlite | Transaction): Sql {
  return {
    async query<R>(text: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const r = await target.query<R>(text, params as unknown[], { parsers });
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
    async exec(text: string): Promise<void> {
      await target.exec(text);
    },
  };
}

export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  readonly #db: PGlite;
  readonly #sql: Sql;

  private constructor(db: PGlite) {
    this.#db = db;
    this.#sql = adapt(db);
  }

  /** Opens (creating if needed) the store in `dataDir`, or in memory when `dataDir` is undefined. */
  static async open(dataDir?: string): Promise<PgliteDatabase> {
    try {
      if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const db = await PGlite.create(dataDir ?? 'memory://', { parsers });
      return new PgliteDatabase(db);
    } catch (e) {
      throw new OperationalError('STORE_UNAVAILABLE', `cannot open the embedded store in ${dataDir ?? 'memory'}`, [], {
        cause: e,
      });
    }
  }

  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    return this.#sql.query<R>(text, params);
  }

  exec(text: string): Promise<void> {
    return this.#sql.exec(text);
  }

  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    return this.#db.transaction((tx) => fn(adapt(tx)));
  }

  async close(): Promise<void> {
    if (!this.#db.closed) await this.#db.close();
  }
}

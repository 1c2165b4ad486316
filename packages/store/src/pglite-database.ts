/** @module The embedded store: PostgreSQL compiled to WebAssembly (PGlite), persisted in a directory. */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { PGlite, types, type Transaction } from '@electric-sql/pglite';
import { OperationalError } from '@steward/core';
import type { Database, QueryResult, Sql } from './database.js';

// int8 as number: sequence numbers and counts stay far below 2^53.
const parsers = { [types.INT8]: (v: string) => Number(v) };

function adapt(target: PGlite | Transaction): Sql {
  return {
    async query<R>(text: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const r = await target.query<R>(text, params as unknown[], { parsers });
      // Like `pg`: rows returned for a query that returns rows, rows changed otherwise.
      return { rows: r.rows, rowCount: r.rows.length > 0 ? r.rows.length : (r.affectedRows ?? 0) };
    },
    async queryArrays<R extends readonly unknown[]>(
      text: string,
      params: readonly unknown[] = [],
    ): Promise<QueryResult<R>> {
      const r = await target.query<R>(text, params as unknown[], { parsers, rowMode: 'array' });
      return { rows: r.rows, rowCount: r.rows.length > 0 ? r.rows.length : (r.affectedRows ?? 0) };
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
  readonly #lockFile: string | undefined;

  private constructor(db: PGlite, lockFile: string | undefined) {
    this.#db = db;
    this.#sql = adapt(db);
    this.#lockFile = lockFile;
  }

  /**
   * Opens (creating if needed) the store in `dataDir`, or in memory when `dataDir` is undefined.
   * `from`: start as a copy of a data directory `dumpDataDir` wrote (the tests' migrated template).
   */
  static async open(dataDir?: string, options: { readonly from?: Blob } = {}): Promise<PgliteDatabase> {
    const lockFile = dataDir !== undefined ? `${dataDir}.lock` : undefined;
    if (dataDir !== undefined && lockFile !== undefined) {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      takeLock(lockFile, dataDir);
    }
    try {
      const db = await PGlite.create(dataDir ?? 'memory://', {
        parsers,
        ...(options.from !== undefined ? { loadDataDir: options.from } : {}),
      });
      return new PgliteDatabase(db, lockFile);
    } catch (e) {
      if (lockFile !== undefined) rmSync(lockFile, { force: true });
      throw new OperationalError('STORE_UNAVAILABLE', `cannot open the embedded store in ${dataDir ?? 'memory'}`, [], {
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

  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    return this.#db.transaction((tx) => fn(adapt(tx)));
  }

  /** The whole data directory as an uncompressed tarball, for `open(…, { from })`. */
  async dumpDataDir(): Promise<Blob> {
    return this.#db.dumpDataDir('none');
  }

  async close(): Promise<void> {
    if (!this.#db.closed) await this.#db.close();
    if (this.#lockFile !== undefined) rmSync(this.#lockFile, { force: true });
  }
}

/**
 * The embedded store is one process's: two PGlite instances on one directory would corrupt it.
 * A lock file holds the owner's pid; a lock whose process is gone (killed) is taken over.
 */
function takeLock(lockFile: string, dataDir: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(readFileSync(lockFile, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new OperationalError(
          'STORE_UNAVAILABLE',
          `the embedded store in ${dataDir} is in use by process ${owner}: stop it first (or run Steward on PostgreSQL with DATABASE_URL, which many processes can share)`,
        );
      }
      rmSync(lockFile, { force: true });
    }
  }
  throw new OperationalError('STORE_UNAVAILABLE', `cannot lock the embedded store in ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

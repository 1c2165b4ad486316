/**
 * @module Where reports read: the primary (the default), or a read-only PostgreSQL streaming
 * replica (`STEWARD_REPORTING_DATABASE_URL`), so that heavy aggregate reads do not compete with
 * the clinical write path for the primary's connections, CPU and I/O. Only reads come here: the
 * report's policy decision and audit entry stay on the primary (the caller's own `db` and audit
 * log), and nothing that writes may be given a `ReportReader`'s `Sql`.
 *
 * On a replica each report is one REPEATABLE READ transaction on a connection that starts
 * read-only (`default_transaction_read_only=on`, so a write is refused by the server even if the
 * URL names a primary by mistake), and says how fresh its data is: the commit time of the last
 * transaction the replica replayed (`pg_last_xact_replay_timestamp()`), the lag behind now, and
 * whether it has replayed all the WAL it received (an idle primary sends no commits, so the lag
 * grows while nothing is missing: `caughtUp` tells the two apart).
 *
 * When the replica cannot be reached the report is refused (`STORE_UNAVAILABLE`, retryable),
 * never read from the primary instead: a health system puts reports on a replica to keep their
 * load off the database that takes HL7 ACKs and clinicians' writes, and sizes the primary's
 * connections without them; a silent fallback would bring that load back exactly when something is
 * already wrong, and hide the outage from whoever watches the replica. The refusal names the
 * replica's host (never its credentials) and is logged by the HTTP edge with its code like any
 * operational error.
 */
import { OperationalError } from '@steward/core';
import type { Database, Sql } from './database.js';
import { PostgresDatabase, describeUrl } from './postgres-database.js';

/** Where a report's figures were read, and how fresh they are. */
export type ReportSource =
  | { readonly database: 'primary' }
  | {
      readonly database: 'replica';
      /** The commit time of the last transaction the replica replayed (ISO 8601); null before its first. */
      readonly dataAsOf: string | null;
      /** Seconds between `dataAsOf` and the replica's clock when the report was read; null with `dataAsOf`. */
      readonly lagSeconds: number | null;
      /** The replica had replayed all the WAL it had received (false: it is behind its own receipt). */
      readonly caughtUp: boolean;
      /** False when the URL names a server that is not in recovery (a primary): the data is live. */
      readonly standby: boolean;
    };

export interface ReportReader {
  /** Runs `read` on the reporting database (one read-only snapshot on a replica); its value and where it came from. */
  read<T>(read: (sql: Sql) => Promise<T>): Promise<{ readonly value: T; readonly source: ReportSource }>;
  close(): Promise<void>;
}

/** Reports read from the primary, as they did before replicas: no transaction, no extra connection. */
export function primaryReports(db: Sql): ReportReader {
  return {
    async read(read) {
      return { value: await read(db), source: { database: 'primary' } };
    },
    close: () => Promise.resolve(),
  };
}

export interface ReplicaReportsOptions {
  readonly url: string;
  /** Connections to the replica (default 4: reports are few and each is one transaction). */
  readonly maxConnections?: number;
}

// Errors that mean the replica cannot serve now: the socket errors of an unreachable host, the
// connection-exception class (08), the operator-intervention class (57P: shut down, starting up),
// too many connections, pg's own connect timeout or dropped connection; and 40001 on a standby, a
// query cancelled by a recovery conflict (the replica applied the primary's changes first).
const unreachableCodes = new Set(['ECONNREFUSED', 'ENOENT', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'ECONNRESET']);
function cannotServe(e: unknown): boolean {
  const { code, message } = e as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    return (
      unreachableCodes.has(code) ||
      code.startsWith('08') ||
      code.startsWith('57P') ||
      code === '53300' ||
      code === '40001'
    );
  }
  return typeof message === 'string' && /timeout exceeded when trying to connect|Connection terminated/i.test(message);
}

interface Freshness {
  standby: boolean;
  replayed_at: Date | null;
  lag_seconds: number | null;
  caught_up: boolean;
}

/** Reports read from a read-only replica; see the module comment for what a failure does. */
export class ReplicaReports implements ReportReader {
  readonly #db: PostgresDatabase;
  readonly #where: string;

  private constructor(db: PostgresDatabase, where: string) {
    this.#db = db;
    this.#where = where;
  }

  /** Opens the pool without connecting: a replica that is down must not stop Steward's start. */
  static async open(options: ReplicaReportsOptions): Promise<ReplicaReports> {
    const db = await PostgresDatabase.open({
      url: options.url,
      maxConnections: options.maxConnections ?? 4,
      applicationName: 'steward:reports',
      readOnly: true,
      verify: false,
      connectionTimeoutMillis: 5_000,
    });
    return new ReplicaReports(db, describeUrl(options.url));
  }

  /** The connection itself, for a check that it refuses writes (tests, `steward` diagnostics). */
  get database(): Database {
    return this.#db;
  }

  async read<T>(read: (sql: Sql) => Promise<T>): Promise<{ readonly value: T; readonly source: ReportSource }> {
    try {
      return await this.#db.transaction(async (tx) => {
        // One snapshot for every section of the report; taken by the first query below, so the
        // data includes at least everything replayed up to `replayed_at`.
        await tx.query('set transaction isolation level repeatable read');
        const [f] = (
          await tx.query<Freshness>(
            `select pg_is_in_recovery() as standby,
                    pg_last_xact_replay_timestamp() as replayed_at,
                    extract(epoch from clock_timestamp() - pg_last_xact_replay_timestamp())::float8 as lag_seconds,
                    pg_last_wal_receive_lsn() is not distinct from pg_last_wal_replay_lsn() as caught_up`,
          )
        ).rows;
        const value = await read(tx);
        const standby = f?.standby === true;
        const asOf = standby ? (f?.replayed_at ?? null) : new Date();
        return {
          value,
          source: {
            database: 'replica' as const,
            dataAsOf: asOf !== null ? new Date(asOf).toISOString() : null,
            lagSeconds: standby && f?.lag_seconds != null ? Math.max(0, Number(f.lag_seconds)) : standby ? null : 0,
            caughtUp: f?.caught_up === true,
            standby,
          },
        };
      });
    } catch (e) {
      if (!cannotServe(e)) throw e;
      throw new OperationalError(
        'STORE_UNAVAILABLE',
        `the reporting replica at ${this.#where} cannot serve the report now (STEWARD_REPORTING_DATABASE_URL); reports are not read from the primary instead: retry, or check the replica`,
        [],
        { cause: e },
      );
    }
  }

  close(): Promise<void> {
    return this.#db.close();
  }
}

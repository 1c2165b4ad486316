/**
 * @module The one SQL port. Both the embedded store (PGlite) and a PostgreSQL server implement it,
 * so every store speaks one dialect and runs one schema.
 */

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
}

/** @module @steward/store: the SQL port, its two implementations, and the schema's migrations. */
export type { Database, Sql, QueryResult, ListenerState } from './database.js';
export { notify } from './database.js';
export { PgliteDatabase } from './pglite-database.js';
export { PostgresDatabase, describeUrl } from './postgres-database.js';
export type { PostgresOptions } from './postgres-database.js';
export { primaryReports, ReplicaReports } from './reporting-database.js';
export type { ReportReader, ReportSource, ReplicaReportsOptions } from './reporting-database.js';
export { lockKey, PgSessionLocks } from './session-locks.js';
export type { PgSessionLocksOptions, SessionLocks } from './session-locks.js';
export { migrate } from './migrate.js';
export type { MigrationReport } from './migrate.js';
export { migrations } from './migrations/index.js';
export type { Migration } from './migrations/index.js';
export { embeddedStoreDir, openDatabase } from './open-database.js';
export type { StoreConfig } from './open-database.js';

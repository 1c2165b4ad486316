/**
 * @module Opens Steward's store: PostgreSQL when DATABASE_URL is set, the embedded store otherwise.
 * On PostgreSQL the schema can be migrated by another role than the one the server runs as
 * (`migrationDatabaseUrl`: the tables' owner), so the server needs no privilege beyond
 * steward_app's (docs/operations.md). The embedded store is single-user: one role does both.
 */
import { join } from 'node:path';
import { OperationalError } from '@steward/core';
import type { Database } from './database.js';
import { PgliteDatabase } from './pglite-database.js';
import { PostgresDatabase } from './postgres-database.js';
import { migrate } from './migrate.js';

export interface StoreConfig {
  /** A PostgreSQL connection URL. When absent, the embedded store under `dataDir` is used. */
  readonly databaseUrl?: string;
  /**
   * PostgreSQL only: the URL migrations run with (the role owning the tables). When set, the
   * store connects with `databaseUrl` only after this one brought the schema up to date.
   */
  readonly migrationDatabaseUrl?: string;
  readonly dataDir: string;
}

/** Where the embedded store keeps its files inside Steward's data directory. */
export function embeddedStoreDir(dataDir: string): string {
  return join(dataDir, 'pgdata');
}

/** Opens the store and brings its schema up to date. */
export async function openDatabase(config: StoreConfig): Promise<Database> {
  if (config.databaseUrl !== undefined && config.migrationDatabaseUrl !== undefined) {
    const owner = await PostgresDatabase.open({ url: config.migrationDatabaseUrl, maxConnections: 1 });
    try {
      await migrate(owner);
    } finally {
      await owner.close();
    }
  }
  const db =
    config.databaseUrl !== undefined
      ? await PostgresDatabase.open({ url: config.databaseUrl })
      : await PgliteDatabase.open(embeddedStoreDir(config.dataDir));
  try {
    await migrate(db);
  } catch (e) {
    await db.close();
    if ((e as { code?: string }).code === '42501') {
      throw new OperationalError(
        'STORE_UNAVAILABLE',
        'the schema needs migrations this database role may not apply: set STEWARD_MIGRATION_DATABASE_URL to the owning role (docs/operations.md)',
        [],
        { cause: e },
      );
    }
    throw e;
  }
  return db;
}

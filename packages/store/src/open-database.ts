/** @module Opens Steward's store: PostgreSQL when DATABASE_URL is set, the embedded store otherwise. */
import { join } from 'node:path';
import type { Database } from './database.js';
import { PgliteDatabase } from './pglite-database.js';
import { PostgresDatabase } from './postgres-database.js';
import { migrate } from './migrate.js';

export interface StoreConfig {
  /** A PostgreSQL connection URL. When absent, the embedded store under `dataDir` is used. */
  readonly databaseUrl?: string;
  readonly dataDir: string;
}

/** Opens the store and brings its schema up to date. */
export async function openDatabase(config: StoreConfig): Promise<Database> {
  const db =
    config.databaseUrl !== undefined
      ? await PostgresDatabase.open({ url: config.databaseUrl })
      : await PgliteDatabase.open(join(config.dataDir, 'pgdata'));
  try {
    await migrate(db);
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}

/** @module Applies pending migrations at start, each in its own transaction, one migrator at a time. */
import { UnexpectedError } from '@steward/core';
import type { Database } from './database.js';
import { migrations as allMigrations, type Migration } from './migrations/index.js';

// Any constant shared by every Steward process: serializes concurrent starts against one database.
const MIGRATION_LOCK = 7_406_517_301;

export interface MigrationReport {
  readonly applied: readonly number[];
  readonly current: number;
}

export async function migrate(
  db: Database,
  migrations: readonly Migration[] = allMigrations,
): Promise<MigrationReport> {
  const current = Math.max(0, ...migrations.map((m) => m.version));
  // A schema already up to date needs no DDL: the application role (which may not create
  // tables) can start on a database its owner migrated (docs/operations.md).
  if (await upToDate(db, migrations)) return { applied: [], current };
  await db.exec(`create table if not exists schema_migrations (
    version integer primary key,
    name text not null,
    applied_at timestamptz not null default now()
  )`);
  const applied: number[] = [];
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const done = new Set(
      (await tx.query<{ version: number }>('select version from schema_migrations')).rows.map((r) => r.version),
    );
    const known = new Set(migrations.map((m) => m.version));
    const unknown = [...done].filter((v) => !known.has(v));
    if (unknown.length > 0) {
      throw new UnexpectedError(
        `the database has migrations this Steward does not know (${unknown.join(', ')}): it was written by a newer version`,
      );
    }
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
  });
  return { applied, current };
}

async function upToDate(db: Database, migrations: readonly Migration[]): Promise<boolean> {
  const exists = await db.query<{ t: string | null }>(`select to_regclass('schema_migrations')::text as t`);
  if (exists.rows[0]?.t == null) return false;
  const done = new Set(
    (await db.query<{ version: number }>('select version from schema_migrations')).rows.map((r) => r.version),
  );
  // Unknown versions are refused by the locked path below, with its message.
  return done.size === migrations.length && migrations.every((m) => done.has(m.version));
}

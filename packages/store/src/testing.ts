/**
 * @module Test harness: every store test runs against both stores. The embedded store always runs;
 * PostgreSQL runs when STEWARD_TEST_DATABASE_URL names a server (each test gets a fresh database),
 * and is skipped with a plain message otherwise, unless STEWARD_REQUIRE_POSTGRES=1 (CI) makes that
 * a failure.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database } from './database.js';
import { PgliteDatabase } from './pglite-database.js';
import { PostgresDatabase } from './postgres-database.js';
import { migrate } from './migrate.js';

export const POSTGRES_SKIP_REASON =
  'no PostgreSQL server: set STEWARD_TEST_DATABASE_URL=postgres://user:pass@host/db (or run `npm run test:pg`) to run these';

export interface StoreTarget {
  readonly name: 'pglite' | 'postgres';
  /** Why this target is skipped here, or undefined when it runs. */
  readonly skip: string | undefined;
  /** A fresh, migrated, empty store. */
  open(): Promise<TestDatabase>;
}

export interface TestDatabase extends Database {
  /** For PostgreSQL: the URL of this test's own database (tamper tests connect to it directly). */
  readonly url: string | undefined;
}

function postgresUrl(): string | undefined {
  const url = process.env['STEWARD_TEST_DATABASE_URL'];
  if ((url === undefined || url === '') && process.env['STEWARD_REQUIRE_POSTGRES'] === '1') {
    throw new Error('STEWARD_REQUIRE_POSTGRES=1 but STEWARD_TEST_DATABASE_URL is not set');
  }
  return url === '' ? undefined : url;
}

export function storeTargets(): StoreTarget[] {
  const adminUrl = postgresUrl();
  return [
    {
      name: 'pglite',
      skip: undefined,
      async open() {
        const db = await PgliteDatabase.open();
        await migrate(db);
        return withUrl(db, undefined, () => Promise.resolve());
      },
    },
    {
      name: 'postgres',
      skip: adminUrl === undefined ? POSTGRES_SKIP_REASON : undefined,
      async open() {
        if (adminUrl === undefined) throw new Error(POSTGRES_SKIP_REASON);
        const name = `steward_t_${randomBytes(6).toString('hex')}`;
        await adminQuery(adminUrl, `create database ${name}`);
        const url = withDatabase(adminUrl, name);
        const db = await PostgresDatabase.open({ url, maxConnections: 4 });
        await migrate(db);
        return withUrl(db, url, () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`));
      },
    },
  ];
}

/** Opens a fresh store of `target`, runs `fn`, and always closes and removes it. */
export async function withStore<T>(target: StoreTarget, fn: (db: TestDatabase) => Promise<T>): Promise<T> {
  const db = await target.open();
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/**
 * Runs `sql` with triggers off, as only a superuser can: how a tamper test changes audit rows
 * "directly", like an attacker with database access would.
 */
export async function tamper(db: Database, sql: string, params: readonly unknown[] = []): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(`set local session_replication_role = replica`);
    await tx.query(sql, params);
  });
}

/** A PostgreSQL database set up the way docs/operations.md tells a DBA to: two roles, not superusers. */
export interface RoleDatabases {
  /** Connected as the owning role (`steward_test_owner`): it ran the migrations and owns every table. */
  readonly owner: Database;
  /** Connected as a login member of `steward_app` (`steward_test_app`): what the server runs as. */
  readonly app: Database;
  readonly ownerUrl: string;
  readonly appUrl: string;
  close(): Promise<void>;
}

export const TEST_OWNER_ROLE = 'steward_test_owner';
export const TEST_APP_ROLE = 'steward_test_app';

/**
 * PostgreSQL only (needs STEWARD_TEST_DATABASE_URL as a superuser, to create the roles): a fresh
 * database owned by a non-superuser owner role that migrates it, and a connection as the
 * application role (`migrate: false`: left empty). The roles are created once per server,
 * idempotently (tests run in parallel).
 */
export async function openWithRoles(options: { migrate?: boolean } = {}): Promise<RoleDatabases> {
  const adminUrl = postgresUrl();
  if (adminUrl === undefined) throw new Error(POSTGRES_SKIP_REASON);
  await adminQuery(
    adminUrl,
    `do $$
     begin
       begin create role steward_app nologin; exception when duplicate_object then null; end;
       begin create role ${TEST_OWNER_ROLE} login password '${TEST_OWNER_ROLE}' nosuperuser nocreaterole nocreatedb;
         exception when duplicate_object then null; end;
       begin create role ${TEST_APP_ROLE} login password '${TEST_APP_ROLE}' nosuperuser in role steward_app;
         exception when duplicate_object then null; end;
     end $$`,
  );
  const name = `steward_r_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name} owner ${TEST_OWNER_ROLE}`);
  const ownerUrl = withDatabase(withUser(adminUrl, TEST_OWNER_ROLE), name);
  const appUrl = withDatabase(withUser(adminUrl, TEST_APP_ROLE), name);
  const owner = await PostgresDatabase.open({ url: ownerUrl, maxConnections: 2 });
  const app = await PostgresDatabase.open({ url: appUrl, maxConnections: 4 });
  try {
    if (options.migrate !== false) await migrate(owner);
  } catch (e) {
    await Promise.all([owner.close(), app.close()]);
    throw e;
  }
  return {
    owner,
    app,
    ownerUrl,
    appUrl,
    async close() {
      await Promise.all([owner.close(), app.close()]);
      await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
    },
  };
}

function withUser(url: string, role: string): string {
  const u = new URL(url);
  u.username = role;
  u.password = role;
  return u.toString();
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function withUrl(db: Database, url: string | undefined, cleanup: () => Promise<void>): TestDatabase {
  return {
    kind: db.kind,
    url,
    query: (t, p) => db.query(t, p),
    exec: (t) => db.exec(t),
    transaction: (fn) => db.transaction(fn),
    async close() {
      await db.close();
      await cleanup();
    },
  };
}

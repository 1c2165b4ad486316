/**
 * @module Test harness: every store test runs against both stores (a flow test on one: `flowTargets`). The embedded store always runs;
 * PostgreSQL runs when STEWARD_TEST_DATABASE_URL names a server (each test gets a fresh database),
 * and is skipped with a plain message otherwise, unless STEWARD_REQUIRE_POSTGRES=1 (CI) makes that
 * a failure. A fresh store is a copy of a migrated template, not a new migration: on PGlite a
 * data directory migrated once per run (or per process) is loaded, on PostgreSQL a template
 * database migrated once per server and schema is copied with CREATE DATABASE … TEMPLATE.
 * The unit tier (STEWARD_TEST_TIER=unit) refuses every store: a store test is an integration test.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Database } from './database.js';
import { PgliteDatabase } from './pglite-database.js';
import { PostgresDatabase } from './postgres-database.js';
import { migrate } from './migrate.js';
import { migrations } from './migrations/index.js';
import { untarInto } from './untar.js';

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

/** The unit tier's rule, kept by the harness itself so a store test cannot hide among unit tests. */
function refuseInUnitTier(): void {
  if (process.env['STEWARD_TEST_TIER'] === 'unit') {
    throw new Error(
      'unit tier: this test opens a store; a test that opens a store, a socket or a browser is an integration test: name it *.int.test.ts',
    );
  }
}

export function storeTargets(): StoreTarget[] {
  refuseInUnitTier();
  const adminUrl = postgresUrl();
  return [
    {
      name: 'pglite',
      skip: undefined,
      async open() {
        const db = await PgliteDatabase.open(undefined, { from: await pgliteTemplate() });
        await migrate(db); // a no-op on an up-to-date copy; it keeps a stale template from passing silently
        return withUrl(db, undefined, () => Promise.resolve());
      },
    },
    {
      name: 'postgres',
      skip: adminUrl === undefined ? POSTGRES_SKIP_REASON : undefined,
      async open() {
        if (adminUrl === undefined) throw new Error(POSTGRES_SKIP_REASON);
        const template = await postgresTemplate(adminUrl);
        const name = `steward_t_${randomBytes(6).toString('hex')}`;
        await adminQuery(adminUrl, `create database ${name} template ${template}`);
        const url = withDatabase(adminUrl, name);
        const db = await PostgresDatabase.open({ url, maxConnections: 4 });
        await migrate(db);
        return withUrl(db, url, () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`));
      },
    },
  ];
}

/**
 * The one store a flow test runs on. Store tests (SQL, value shapes, durability, concurrency: the
 * packages' own `*.int.test.ts`) run on both stores through `storeTargets`; a flow test (HTTP routes,
 * scenarios against the sandbox EHR, the CLI, the examples, and a proof at scale such as the contact
 * migration's 32,000 notes: behaviour above the store, whose SQL store tests already run on both)
 * runs on one per run, which halves its cost (PGlite's
 * WebAssembly was half of a sandbox scenario's CPU). The store is PostgreSQL when the run has one
 * (production's store, and the one with real concurrent connections), PGlite otherwise;
 * STEWARD_TEST_FLOW_STORE=pglite|postgres|both chooses (CI runs the flows on PostgreSQL under Node 24
 * and on PGlite under Node 22, so every push runs each flow on each store).
 */
export function flowTargets(): StoreTarget[] {
  const all = storeTargets();
  const chosen = process.env['STEWARD_TEST_FLOW_STORE'] ?? '';
  if (chosen === 'both') return all;
  if (chosen !== '' && chosen !== 'pglite' && chosen !== 'postgres') {
    throw new Error(`STEWARD_TEST_FLOW_STORE=${chosen}: expected pglite, postgres or both`);
  }
  const name =
    chosen !== '' ? chosen : all.some((t) => t.name === 'postgres' && t.skip === undefined) ? 'postgres' : 'pglite';
  return all.filter((t) => t.name === name);
}

/**
 * Fills the data directory `dir` (absent or empty) with a copy of the migrated template and returns
 * it open, for a test whose child processes open the embedded store by its directory (close it
 * first: one process at a time). A copy skips the `initdb` inside WebAssembly (seconds of CPU) and
 * the migrations a new directory would run.
 */
export async function pgliteDataDir(dir: string): Promise<PgliteDatabase> {
  await copyPgliteTemplate(dir);
  const db = await PgliteDatabase.open(dir);
  try {
    await migrate(db); // a no-op on an up-to-date copy, as in open() above
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}

/**
 * Writes the migrated template's files into the data directory `dir` (absent or empty) without
 * opening it: for a test whose command or child process opens the store there. `steward init` on
 * it finds a migrated store with no users (as on a database a DBA made) and skips the `initdb`
 * inside WebAssembly and the migrations (about 4 s of CPU); starting a store only to write the
 * files would cost most of a second more.
 */
export async function copyPgliteTemplate(dir: string): Promise<void> {
  refuseInUnitTier();
  pgliteTemplateBytes ??= pgliteTemplate().then(async (blob) => Buffer.from(await blob.arrayBuffer()));
  untarInto(await pgliteTemplateBytes, dir);
}

let pgliteTemplateBytes: Promise<Buffer> | undefined;

/** Names a template after the schema it holds, so a changed migration never reuses an old one. */
const schemaKey = createHash('sha256')
  .update(JSON.stringify(migrations.map((m) => [m.version, m.name, m.sql])))
  .digest('hex')
  .slice(0, 16);

let pgliteTemplateDump: Promise<Blob> | undefined;

/**
 * A migrated PGlite data directory as a tarball: made once per process, or once per test run when
 * STEWARD_TEST_TEMPLATE_DIR names a directory the runner made for the run (scripts/run-tests.mjs).
 */
function pgliteTemplate(): Promise<Blob> {
  pgliteTemplateDump ??= (async () => {
    const dir = process.env['STEWARD_TEST_TEMPLATE_DIR'];
    const file = dir !== undefined && dir !== '' ? join(dir, `pglite-${schemaKey}.tar`) : undefined;
    if (file !== undefined && existsSync(file)) return new Blob([readFileSync(file)]);
    const db = await PgliteDatabase.open();
    try {
      await migrate(db);
      // A test store holds little: 16 MB of buffers instead of the default 128 MB, which every
      // start of a copy would otherwise clear (a tenth of a second of CPU and 30,000 page faults).
      await db.exec(`alter system set shared_buffers = '16MB'`);
      // Only the `postgres` database is ever opened: without the two template databases (a third
      // of the data directory) every copy is that much less to read and unpack.
      await db.exec(`alter database template0 is_template false`);
      await db.exec(`alter database template0 allow_connections true`);
      await db.exec(`alter database template1 is_template false`);
      await db.exec(`drop database template0`);
      await db.exec(`drop database template1`);
      await db.exec(`checkpoint`);
      const dump = await db.dumpDataDir();
      if (file !== undefined) {
        // Written aside and renamed, so a process running beside this one reads a whole file or none.
        const part = `${file}.${process.pid}.part`;
        writeFileSync(part, Buffer.from(await dump.arrayBuffer()));
        renameSync(part, file);
      }
      return dump;
    } finally {
      await db.close();
    }
  })();
  return pgliteTemplateDump;
}

// Serializes template builds across the processes sharing one PostgreSQL server.
const TEMPLATE_LOCK = 7_406_517_302;
const postgresTemplates = new Map<string, Promise<string>>();

/**
 * The name of a migrated template database on the server at `adminUrl` (built once per server and
 * schema, under an advisory lock): migrated by `owner` when given, so its tables belong to that role.
 */
function postgresTemplate(adminUrl: string, owner?: { role: string; url: string }): Promise<string> {
  const name = `steward_tpl_${owner === undefined ? 'a' : 'o'}_${schemaKey}`;
  let made = postgresTemplates.get(name);
  if (made === undefined) {
    made = buildPostgresTemplate(adminUrl, name, owner);
    postgresTemplates.set(name, made);
  }
  return made;
}

async function buildPostgresTemplate(
  adminUrl: string,
  name: string,
  owner: { role: string; url: string } | undefined,
): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('select pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      // Built under another name and renamed when whole: a crash mid-way leaves no half template.
      const building = `${name}_part`;
      await admin.query(`drop database if exists ${building} with (force)`);
      await admin.query(`create database ${building}${owner === undefined ? '' : ` owner ${owner.role}`}`);
      const db = await PostgresDatabase.open({
        url: withDatabase(owner?.url ?? adminUrl, building),
        maxConnections: 1,
      });
      try {
        await migrate(db);
      } finally {
        await db.close();
      }
      await admin.query(`alter database ${building} rename to ${name}`);
    }
  } finally {
    await admin.end(); // ends the session, and with it the advisory lock
  }
  return name;
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
  refuseInUnitTier();
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
  // Migrated: a copy of a template the owner role migrated (its tables and grants come along).
  const template =
    options.migrate === false
      ? undefined
      : await postgresTemplate(adminUrl, { role: TEST_OWNER_ROLE, url: withUser(adminUrl, TEST_OWNER_ROLE) });
  await adminQuery(
    adminUrl,
    `create database ${name} owner ${TEST_OWNER_ROLE}${template === undefined ? '' : ` template ${template}`}`,
  );
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
    ...(db.queryArrays !== undefined ? { queryArrays: db.queryArrays.bind(db) } : {}),
    exec: (t) => db.exec(t),
    transaction: (fn) => db.transaction(fn),
    ...(db.listen !== undefined ? { listen: db.listen.bind(db) } : {}),
    ...(db.onListenerState !== undefined ? { onListenerState: db.onListenerState.bind(db) } : {}),
    ...(db.sessionLocks !== undefined ? { sessionLocks: db.sessionLocks.bind(db) } : {}),
    async close() {
      await db.close();
      await cleanup();
    },
  };
}

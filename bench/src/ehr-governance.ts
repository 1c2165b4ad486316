/**
 * @module Bench-only: the governed objects the EHR benchmarks run on (key ring, audit log, grants,
 * policy, connection registry, journal) on one store, the same way the server's kernel and the
 * EHR layer's test kernel build them; plus the stores the EHR benchmarks run on and latency
 * percentiles. A `policy` override lets a benchmark swap the decision point (an ablation).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock, type RequestContext } from '@steward/core';
import { migrate, PgliteDatabase, type Database, type Sql } from '@steward/store';
import {
  AuditLog,
  BreakGlassStore,
  EhrJournal,
  GrantStore,
  InMemoryMasterKeyProvider,
  KeyRing,
  PolicyDecisionPoint,
  ServiceAccountDirectory,
} from '@steward/governance';
import { ConnectionRegistry } from '@steward/ehr';
import { freshPostgres } from './harness.js';

export interface BenchGovernance {
  readonly db: Database;
  readonly cipher: KeyRing;
  readonly audit: AuditLog;
  readonly grants: GrantStore;
  readonly policy: PolicyDecisionPoint;
  readonly journals: EhrJournal;
  readonly connections: ConnectionRegistry;
  readonly admin: RequestContext;
  /** Closes the audit log (the store is closed by whoever opened it). */
  close(): Promise<void>;
}

const bootstrap = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'operator',
  authMethod: 'local-operator',
} as const;

export async function openBenchGovernance(db: Database): Promise<BenchGovernance> {
  const cipher = await KeyRing.open(db, InMemoryMasterKeyProvider.random());
  // BENCH_GATHER_MS: the audit writer's gather window (0..20 ms; default 0, what arrived meanwhile).
  const gatherMs = Number(process.env['BENCH_GATHER_MS'] ?? 0);
  const audit = await AuditLog.open(db, cipher, { gatherMs });
  const grants = new GrantStore(db, audit);
  const policy = new PolicyDecisionPoint(grants, new BreakGlassStore(db, cipher, audit), audit);
  const accounts = new ServiceAccountDirectory({ db, audit, clock: systemClock });
  const connections = new ConnectionRegistry(db, cipher, policy, audit, accounts, grants);
  const journals = new EhrJournal(db, cipher, policy, audit);
  const adminAccount = await accounts.create('ops', bootstrap);
  await grants.add(bootstrap, {
    principalKind: 'service',
    principalId: adminAccount.id,
    role: 'admin',
    site: '*',
    workflow: '*',
    purposeOfUse: 'HSYSADMIN',
  });
  const admin: RequestContext = {
    actor: { kind: 'service', id: adminAccount.id, name: 'ops', authMethod: 'api-token' },
  };
  return { db, cipher, audit, grants, policy, journals, connections, admin, close: () => audit.close() };
}

export interface BenchStore {
  readonly name: 'PostgreSQL' | 'PGlite';
  readonly db: Database;
}

/**
 * PGlite on a temporary data directory (real files), then PostgreSQL when a URL is set (a fresh
 * database, dropped afterwards). `BENCH_STORE=PGlite|PostgreSQL` runs only one. Each store is opened only when its turn comes and closed after it.
 */
export async function* benchStores(): AsyncGenerator<BenchStore> {
  // BENCH_STORE=PGlite or PostgreSQL runs only that store (to profile one of them).
  const only = process.env['BENCH_STORE'];
  if (only !== 'PostgreSQL') yield* pglite();
  if (only !== 'PGlite') yield* postgres();
}

async function* pglite(): AsyncGenerator<BenchStore> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-ehr-bench-'));
  try {
    const lite = await PgliteDatabase.open(dir);
    await migrate(lite);
    try {
      yield { name: 'PGlite', db: lite };
    } finally {
      await lite.close().catch(() => undefined);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function* postgres(): AsyncGenerator<BenchStore> {
  const postgres = await freshPostgres();
  if (postgres === undefined) {
    console.log('PostgreSQL skipped: set BENCH_DATABASE_URL or STEWARD_TEST_DATABASE_URL to an admin URL.\n');
    return;
  }
  try {
    yield { name: 'PostgreSQL', db: postgres };
  } finally {
    await postgres.close().catch(() => undefined);
  }
}

/** The q-quantile (0..1) of `xs` by nearest rank; 0 for an empty list. */
export function percentile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? 0;
}

/** Formats a number for a markdown table. */
export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Statement counts and wall time, to show where a benchmark's database time goes. */
export interface DbTally {
  /** Statements outside transactions (e.g. the policy's grant read). */
  statements: number;
  /** Transactions and the statements run inside them (BEGIN/COMMIT not counted). */
  transactions: number;
  txStatements: number;
  /** Wall time inside `transaction()` (from the call to its settling), in ms. */
  txMs: number;
  /** The audit writer's one-round-trip batches (one statement, its own transaction) and their wall time, in ms. */
  oneTrips: number;
  oneTripMs: number;
}

/**
 * The store with counters: every statement, and the wall time of every transaction. The audit
 * writer runs its batches one after another, so `txMs` over the run's duration says how busy that
 * one writer was.
 */
export function tallied(db: Database): { db: Database; tally: DbTally; reset(): void } {
  const tally: DbTally = { statements: 0, transactions: 0, txStatements: 0, txMs: 0, oneTrips: 0, oneTripMs: 0 };
  const oneTrip = /\b(ehr_file_audited|ehr_file_resolved|audit_append_checked)\(/;
  const timed = async <T>(text: string, run: () => Promise<T>): Promise<T> => {
    if (!oneTrip.test(text)) {
      tally.statements++;
      return run();
    }
    const t0 = performance.now();
    tally.oneTrips++;
    try {
      return await run();
    } finally {
      tally.oneTripMs += performance.now() - t0;
    }
  };
  const counting = (sql: Sql, inTx: boolean): Sql => ({
    query: (text, params) => {
      if (inTx) tally.txStatements++;
      else tally.statements++;
      return sql.query(text, params);
    },
    exec: (text) => sql.exec(text),
  });
  const wrapped: Database = {
    kind: db.kind,
    query: (text, params) => timed(text, () => db.query(text, params)),
    ...(db.queryArrays === undefined
      ? {}
      : {
          queryArrays: <R extends readonly unknown[]>(text: string, params?: readonly unknown[]) =>
            timed(text, () => (db.queryArrays as NonNullable<Database['queryArrays']>)<R>(text, params)),
        }),
    exec: (text) => db.exec(text),
    async transaction(fn) {
      const t0 = performance.now();
      tally.transactions++;
      try {
        return await db.transaction((tx) => fn(counting(tx, true)));
      } finally {
        tally.txMs += performance.now() - t0;
      }
    },
    close: () => db.close(),
  };
  return {
    db: wrapped,
    tally,
    reset() {
      Object.assign(tally, { statements: 0, transactions: 0, txStatements: 0, txMs: 0, oneTrips: 0, oneTripMs: 0 });
    },
  };
}

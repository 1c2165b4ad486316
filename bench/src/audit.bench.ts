/**
 * @module Audit log: durable, batched appends per second on PGlite (a temp data directory, so real
 * files) and on PostgreSQL (when STEWARD_TEST_DATABASE_URL or BENCH_DATABASE_URL names a server;
 * a fresh database is created), with many concurrent appenders; and chain verification per
 * second, end to end from each store (wall clock, and per CPU second of this process) and for the
 * verifier alone on one core. The baseline is the raw SHA-256 chain over the same canonical
 * entries, in the same run.
 *
 * Targets (the issue): appends ≥ 20,000/s on PostgreSQL and ≥ 5,000/s on PGlite; verification
 * ≥ 250,000 entries/s per core.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, PgliteDatabase, type Database } from '@steward/store';
import {
  AuditLog,
  ChainVerifier,
  entryText,
  entryTuple,
  KeyRing,
  verifyAuditLog,
  type AuditEntryInput,
} from '@steward/governance';
import { memoryLog, sampleEntry } from '@steward/governance/testing';
import { freshPostgres, measure, median, report, type Measurement } from './harness.js';

const APPENDERS = 512;
const PER_ROUND = 20_000;
const targets = { postgres: 20_000, pglite: 5_000, verifyPerCore: 250_000 };
const problems: string[] = [];
const cipher = KeyRing.inMemory();

const inputs: AuditEntryInput[] = Array.from({ length: PER_ROUND }, (_, i) =>
  sampleEntry(i, i % 10 === 0 ? { event: 'phi.search', query: { family: `Name${i}` } } : {}),
);

// Baseline: the raw chain, SHA-256(prev || entry), over the same canonical texts.
const texts = inputs.map((input, i) => entryText(i + 1, new Date().toISOString(), input, undefined));
let sink = 0;
const baselineCpu: number[] = [];
const baseline = await measure(
  'raw SHA-256 chain',
  () => {
    const cpu = process.cpuUsage();
    let prev = Buffer.alloc(32);
    for (const t of texts) prev = createHash('sha256').update(prev).update(t).digest();
    sink ^= prev[0] ?? 0;
    const used = process.cpuUsage(cpu);
    baselineCpu.push(texts.length / ((used.user + used.system) / 1e6));
  },
  { opsPerCall: texts.length, rounds: 5, minMs: 300 },
);

/** `count` appends from APPENDERS concurrent callers, each awaiting its own append (durable) before the next. */
async function appendBurst(log: AuditLog, count: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: APPENDERS }, async () => {
      while (next < count) {
        const i = next++;
        await log.append(inputs[i % inputs.length] as AuditEntryInput);
      }
    }),
  );
}

async function benchStore(name: string, db: Database, target: number): Promise<Measurement[]> {
  await migrate(db);
  const log = await AuditLog.open(db, cipher);
  await appendBurst(log, 2_000); // warm-up
  const append = await measure(`append, durable, ${APPENDERS} appenders (${name})`, () => appendBurst(log, PER_ROUND), {
    opsPerCall: PER_ROUND,
    rounds: 3,
    minMs: 1,
  });
  await log.close();
  if (append.opsPerSec < target) problems.push(`${name} append ${Math.round(append.opsPerSec)}/s < ${target}/s`);
  const total = (await db.query<{ n: number }>('select count(*)::int8 as n from audit_log')).rows[0]?.n ?? 0;
  // CPU time of this process (every thread) per verification: the per-core figure end to end.
  const perCpu: number[] = [];
  const verify = await measure(
    `verify from the store (${name})`,
    async () => {
      const cpu = process.cpuUsage();
      const r = await verifyAuditLog(db);
      const used = process.cpuUsage(cpu);
      if (!r.ok) throw new Error(`verify failed: ${r.message}`);
      perCpu.push(total / ((used.user + used.system) / 1e6));
    },
    { opsPerCall: total, rounds: 5, minMs: 1 },
  );
  const cpu: Measurement = {
    name: `verify from the store (${name}), per CPU second of this process`,
    opsPerSec: median(perCpu),
    rounds: perCpu,
  };
  return [append, verify, cpu];
}

const rows: Measurement[] = [];

// The verifier alone, on rows already in memory (array rows, as verifyAuditLog reads them): the per-core figure.
const mem = memoryLog(inputs);
const tuples = mem.rows.map(entryTuple);
const perCore = await measure(
  'verify, chain checker alone (1 core)',
  () => {
    const v = new ChainVerifier(mem.keys);
    for (let i = 0; i < tuples.length; i += 10_000) {
      const page = tuples.slice(i, i + 10_000);
      const last = page.at(-1)?.[0] ?? 0;
      v.pageOfTuples(
        page,
        mem.checkpoints.filter((c) => c.seq > i && c.seq <= last),
      );
    }
    if (!v.finish([]).ok) throw new Error('in-memory verify failed');
  },
  { opsPerCall: tuples.length, rounds: 5, minMs: 300 },
);
rows.push(perCore);
if (perCore.opsPerSec < targets.verifyPerCore)
  problems.push(`verify ${Math.round(perCore.opsPerSec)}/s < ${targets.verifyPerCore}/s per core`);

const dir = mkdtempSync(join(tmpdir(), 'steward-audit-bench-'));
try {
  const lite = await PgliteDatabase.open(dir);
  try {
    rows.push(...(await benchStore('PGlite', lite, targets.pglite)));
  } finally {
    await lite.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const postgres = await freshPostgres();
if (postgres !== undefined) {
  try {
    rows.push(...(await benchStore('PostgreSQL', postgres, targets.postgres)));
  } finally {
    await postgres.close();
  }
} else {
  console.log('PostgreSQL skipped: set BENCH_DATABASE_URL or STEWARD_TEST_DATABASE_URL to an admin URL.\n');
}

report(
  rows.filter((r) => !r.name.includes('per CPU second')),
  baseline,
);
// CPU-time figures against the baseline's own CPU-time rate: what a core does, whatever the load.
console.log('');
report(
  rows.filter((r) => r.name.includes('per CPU second')),
  { name: 'raw SHA-256 chain, per CPU second', opsPerSec: median(baselineCpu), rounds: baselineCpu },
);
console.log(
  `\nTargets: append ≥ ${targets.postgres.toLocaleString('en-US')}/s (PostgreSQL), ≥ ${targets.pglite.toLocaleString('en-US')}/s (PGlite); verify ≥ ${targets.verifyPerCore.toLocaleString('en-US')}/s per core.`,
);
if (problems.length > 0) {
  console.log(`\nBelow target: ${problems.join('; ')}`);
  process.exitCode = 1;
}
if (sink === -1) console.log(sink);

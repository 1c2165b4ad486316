import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { PgliteDatabase, type Sql } from '@steward/store';
import { pgliteDataDir, storeTargets } from '@steward/store/testing';
import { verifyAuditLog } from './verify.js';
import { iterateAudit } from './query.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { keyRingWithMasterKey } from '../crypto/testing.js';

const CHILD = fileURLToPath(new URL('./crash-child.js', import.meta.url));
const ROUNDS = 6;
/** The test runner's `--liftoff-only` (scripts/run-tests.mjs), passed on: each child starts PGlite's WebAssembly anew. */
const NODE_FLAGS = process.execArgv.filter((a) => a === '--liftoff-only');

/** Starts the child, waits until it is committing, lets it run a random while, then SIGKILLs it. */
async function killMidBurst(kind: string, location: string, key: Buffer): Promise<void> {
  const child = spawn(process.execPath, [...NODE_FLAGS, CHILD, kind, location, key.toString('hex')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`child exited (${code}) before it was ready: ${stderr}`)));
  });
  await new Promise((r) => setTimeout(r, 20 + Math.random() * 400));
  child.kill('SIGKILL');
  await exited;
}

/** Every PHI row has its audit entry, every audit entry its row, and the chain verifies. */
async function checkConsistent(db: Sql, cipher: FieldCipher): Promise<number> {
  const rows = new Set((await db.query<{ id: string }>('select id from records')).rows.map((r) => r.id));
  const audited = new Set<string>();
  for await (const e of iterateAudit(db, cipher, { events: ['phi.create'] })) audited.add(e.entity?.id ?? '');
  assert.ok(rows.size > 0, 'the child wrote something');
  assert.deepEqual(
    [...rows].filter((id) => !audited.has(id)),
    [],
    'PHI rows without an audit entry',
  );
  assert.deepEqual(
    [...audited].filter((id) => !rows.has(id)),
    [],
    'audit entries for writes that did not happen',
  );
  const v = await verifyAuditLog(db);
  assert.equal(v.ok, true, JSON.stringify(v));
  return rows.size;
}

const postgres = storeTargets().find((t) => t.name === 'postgres');

// The two stores' runs share nothing (their own store, their own children) and spend most of their
// time on children starting, running and being killed: they run side by side, not one after the other.
describe('audit survives SIGKILL mid-burst', { concurrency: true }, () => {
  it('on PostgreSQL', { skip: postgres?.skip, timeout: 120_000 }, async (t) => {
    if (postgres === undefined) return;
    const db = await postgres.open();
    try {
      const key = randomBytes(32);
      for (let round = 0; round < ROUNDS; round++) {
        await killMidBurst('postgres', db.url as string, key);
        t.diagnostic(
          `round ${round}: ${await checkConsistent(db, await keyRingWithMasterKey(db, key))} PHI rows, all audited`,
        );
      }
    } finally {
      await db.close();
    }
  });

  // PGlite runs PostgreSQL's own WAL recovery on open. A SIGKILL loses no data the OS already
  // has; whether its writes reach the disk before a power loss is not tested here.
  it('on PGlite with a data directory', { timeout: 120_000 }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-crash-'));
    try {
      await (await pgliteDataDir(dir)).close();
      const key = randomBytes(32);
      for (let round = 0; round < ROUNDS; round++) {
        await killMidBurst('pglite', dir, key);
        const db = await PgliteDatabase.open(dir);
        try {
          t.diagnostic(
            `round ${round}: ${await checkConsistent(db, await keyRingWithMasterKey(db, key))} PHI rows, all audited`,
          );
        } finally {
          await db.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PgliteDatabase } from '@steward/store';
import { pgliteDataDir, type TestDatabase } from '@steward/store/testing';
import { InMemoryMasterKeyProvider, iterateAudit, masterKeyIdOf, verifyAuditLog } from '@steward/governance';
import { generateContactExport, openTestRelationships } from '../testing/index.js';
import { readContactSource } from './source-reader.js';

const CHILD = fileURLToPath(new URL('./import-crash-child.js', import.meta.url));
/** The test runner's `--liftoff-only` (scripts/run-tests.mjs), passed on: the child starts PGlite's WebAssembly anew. */
const NODE_FLAGS = process.execArgv.filter((a) => a === '--liftoff-only');

describe('contact import killed with SIGKILL halfway (pglite)', () => {
  it('resumes the same run and reconciles with zero loss and nothing twice', async () => {
    const work = mkdtempSync(join(tmpdir(), 'steward-import-crash-'));
    try {
      const g = generateContactExport(join(work, 'export'), { contacts: 400, notes: 4_000, faults: { duplicates: 3 } });
      const dir = join(work, 'db');
      const key = randomBytes(32);
      const masterKeys = (): InMemoryMasterKeyProvider =>
        new InMemoryMasterKeyProvider([{ id: masterKeyIdOf(key), key, createdAt: new Date(0) }]);
      const setup = await pgliteDataDir(dir);
      const first = await openTestRelationships(Object.assign(setup, { url: undefined }), {
        masterKeys: masterKeys(),
      });
      await first.close();
      await setup.close();

      const child = spawn(
        process.execPath,
        [...NODE_FLAGS, CHILD, dir, key.toString('hex'), g.contactsFile, g.mappingFile],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          const m = /landed (\d+)/.exec(d.toString());
          if (m !== null && Number(m[1]) >= 150) resolve();
          if (d.toString().includes('finished')) reject(new Error('the child finished before it was killed'));
        });
        child.on('exit', (code) => reject(new Error(`child exited (${code}) early: ${stderr}`)));
      });
      child.kill('SIGKILL');
      await exited;

      const db = Object.assign(await PgliteDatabase.open(dir), { url: undefined }) as TestDatabase;
      const k = await openTestRelationships(db, { masterKeys: masterKeys() });
      try {
        const before = await db.query<{ n: string | number }>('select count(*) as n from rel_source_records');
        const landedBefore = Number(before.rows[0]?.n);
        assert.ok(landedBefore > 0 && landedBefore < 400, `part landed before the kill (${landedBefore})`);
        const report = await k.rel.migration.run(
          k.coordinator,
          await readContactSource(g.contactsFile, g.mappingFile),
          { site: 'main' },
        );
        assert.equal(report.resumed, true);
        assert.equal(report.reconciled, true);
        assert.deepEqual(report.notImported, []);
        assert.equal(report.contacts.created + report.contacts.merged, g.expected.contactRows);
        assert.equal(report.contacts.merged, 3);
        assert.equal(report.notes.created + report.notes.merged, g.expected.noteRows);
        const notes = await db.query<{ n: string | number }>('select count(*) as n from rel_notes');
        assert.equal(Number(notes.rows[0]?.n), g.expected.noteRows, 'no note written twice');
        // Every landed record has exactly one audit entry, and the chain verifies.
        await k.audit.flush();
        const audited = new Set<string>();
        for await (const e of iterateAudit(db, k.cipher, { events: ['phi.create'] })) {
          assert.ok(!audited.has(e.entity?.id ?? ''), 'one entry per record');
          audited.add(e.entity?.id ?? '');
        }
        const rows = await db.query<{ n: string | number }>(
          'select (select count(*) from rel_parties) + (select count(*) from rel_relationships) as n',
        );
        assert.equal(audited.size, Number(rows.rows[0]?.n));
        assert.equal((await verifyAuditLog(db)).ok, true);
      } finally {
        await k.close();
        await db.close();
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flowTargets, withStore } from '@steward/store/testing';
import { iterateAudit } from '@steward/governance';
import { generateContactExport, openTestRelationships } from '../testing/index.js';
import { readContactSource } from './source-reader.js';

async function tableCounts(db: { query: <R>(q: string) => Promise<{ rows: R[] }> }): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['rel_parties', 'rel_relationships', 'rel_notes', 'rel_source_records', 'rel_merge_reviews']) {
    const { rows } = await db.query<{ n: string | number }>(`select count(*) as n from ${t}`);
    out[t] = Number(rows[0]?.n);
  }
  return out;
}

// A proof at scale on the run's one flow store (PostgreSQL under Node 24 in CI, PGlite under Node 22):
// the migration's SQL runs on both stores in the import-faults, import-crash and graph tests.
for (const target of flowTargets()) {
  describe(`contact migration (${target.name})`, { skip: target.skip }, () => {
    it('migrates 1,600 contacts in 13+ relationship types with 32,000 notes with zero loss, and a second run changes nothing', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'steward-contacts-'));
      try {
        const g = generateContactExport(dir, { contacts: 1_600, notes: 32_000 });
        assert.ok(g.expected.types.length >= 13);
        await withStore(target, async (db) => {
          const k = await openTestRelationships(db);
          try {
            const source = await readContactSource(g.contactsFile, g.mappingFile);
            const report = await k.rel.migration.run(k.coordinator, source, { site: 'main' });
            assert.equal(report.reconciled, true);
            assert.deepEqual(report.notImported, []);
            assert.equal(report.contacts.in, 1_600);
            assert.equal(report.contacts.created, 1_600);
            assert.equal(report.notes.in, 32_000);
            assert.equal(report.notes.created, 32_000);
            assert.equal(report.relationships.created, g.expected.relationshipRows);
            assert.equal(report.hashCheck.checked, 1_600 + g.expected.relationshipRows);
            assert.deepEqual(report.hashCheck.mismatched, []);
            const after = await tableCounts(db);
            assert.equal(after['rel_notes'], 32_000);
            const { rows } = await db.query<{ n: string | number }>(
              'select count(distinct type) as n from rel_relationships',
            );
            assert.ok(Number(rows[0]?.n) >= 13);

            const again = await k.rel.migration.run(k.coordinator, source, { site: 'main' });
            assert.equal(again.reconciled, true);
            assert.equal(again.contacts.unchanged, 1_600);
            assert.equal(again.notes.unchanged, 32_000);
            assert.equal(again.contacts.created + again.relationships.created + again.notes.created, 0);
            assert.deepEqual(await tableCounts(db), after);
            await k.audit.flush();
            let imported = 0;
            let creates = 0;
            for await (const e of iterateAudit(db, k.cipher, { events: ['contacts.imported', 'phi.create'] }))
              if (e.event === 'contacts.imported') imported++;
              else creates++;
            assert.equal(imported, 2);
            assert.equal(creates, 1_600 + g.expected.relationshipRows, 'one phi.create per landed record');
          } finally {
            await k.close();
          }
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeTargets, withStore } from '@steward/store/testing';
import { iterateAudit } from '@steward/governance';
import { generateContactExport, openTestRelationships } from '../testing/index.js';
import { readContactSource } from './source-reader.js';

for (const target of storeTargets()) {
  describe(`contact migration with faults (${target.name})`, { skip: target.skip }, () => {
    it('lists malformed rows and broken references, merges certain duplicates, and files uncertain ones for review', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'steward-contacts-'));
      try {
        const g = generateContactExport(dir, {
          contacts: 300,
          notes: 3_000,
          faults: { malformed: 4, duplicates: 5, uncertain: 6, brokenReferences: 3 },
        });
        await withStore(target, async (db) => {
          const k = await openTestRelationships(db);
          try {
            const report = await k.rel.migration.run(
              k.coordinator,
              await readContactSource(g.contactsFile, g.mappingFile),
              {
                site: 'main',
              },
            );
            assert.equal(report.reconciled, true, 'every row is accounted for');
            assert.equal(report.contacts.in, g.expected.contactRows);
            assert.equal(report.contacts.merged, 5);
            assert.equal(report.contacts.notImported, 4);
            assert.equal(report.relationships.notImported, 3);
            assert.equal(report.notes.notImported, 4 + 3);
            assert.equal(report.notes.merged, 5, 'the duplicates’ notes join the person');
            assert.equal(report.reviews.length, 6);
            assert.ok(report.reviews.every((r) => r.partyId !== r.candidateId));
            const malformed = report.notImported.filter((l) => l.reason.startsWith('malformed row'));
            assert.equal(malformed.length, 4);
            assert.ok(malformed.every((l) => l.file === 'contacts.csv' && l.row > 0));
            const broken = report.notImported.filter((l) => l.reason.startsWith('broken reference'));
            assert.equal(broken.length, 6);
            assert.ok(report.notImported.filter((l) => l.kind === 'note' && l.field === 'body').length === 4);
            // Reasons name places and fields, never values.
            const text = JSON.stringify(report.notImported);
            assert.ok(!text.includes('MISSING'), 'no source value in the report');
            const { rows } = await db.query<{ n: string | number }>('select count(*) as n from rel_parties');
            assert.equal(Number(rows[0]?.n), g.expected.contactRows - 4 - 5);
          } finally {
            await k.close();
          }
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('fix and re-run: a note refused before joins its already-imported record, and the next run is unchanged', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'steward-contacts-'));
      try {
        const g = generateContactExport(dir, { contacts: 20, notes: 40, seed: 9 });
        await withStore(target, async (db) => {
          const k = await openTestRelationships(db);
          try {
            const fixed = await readContactSource(g.contactsFile, g.mappingFile);
            const broken = {
              ...fixed,
              digest: 'f'.repeat(64),
              notes: fixed.notes.map((n, i) => (i === 0 ? { ...n, values: { ...n.values, body: '' } } : n)),
            };
            const first = await k.rel.migration.run(k.coordinator, broken, { site: 'main' });
            assert.equal(first.notes.notImported, 1);
            const second = await k.rel.migration.run(k.coordinator, fixed, { site: 'main' });
            assert.deepEqual(second.notImported, []);
            assert.equal(second.reconciled, true);
            assert.equal(second.contacts.updated + second.relationships.updated, 1);
            assert.deepEqual([second.notes.created, second.notes.unchanged], [1, 39]);
            const third = await k.rel.migration.run(k.coordinator, fixed, { site: 'main' });
            assert.equal(third.notes.unchanged, 40);
            assert.equal(third.contacts.updated + third.relationships.updated + third.notes.created, 0);
            const { rows } = await db.query<{ n: string | number }>('select count(*) as n from rel_notes');
            assert.equal(Number(rows[0]?.n), 40);
          } finally {
            await k.close();
          }
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses an importer without phi.write at the site, and audits the denial', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'steward-contacts-'));
      try {
        const g = generateContactExport(dir, { contacts: 20, notes: 40 });
        await withStore(target, async (db) => {
          const k = await openTestRelationships(db);
          try {
            const source = await readContactSource(g.contactsFile, g.mappingFile);
            await assert.rejects(k.rel.migration.run(k.otherSite, source, { site: 'main' }), { code: 'FORBIDDEN' });
            await k.audit.flush();
            const denied = [];
            for await (const e of iterateAudit(db, k.cipher, { events: ['access.denied'] })) denied.push(e);
            assert.equal(denied.length, 1);
            const { rows } = await db.query<{ n: string | number }>('select count(*) as n from rel_parties');
            assert.equal(Number(rows[0]?.n), 0);
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

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@steward/core';
import { storeTargets, withStore } from '@steward/store/testing';
import { iterateAudit } from '@steward/governance';
import { openTestRelationships } from '../testing/index.js';
import { readContactSource } from '../migration/index.js';

/** A small practice as JSON: a patient, her health-care proxy (until 2025-01-01), an emergency contact, an employer. */
function writeExport(dir: string): { contacts: string; mapping: string } {
  mkdirSync(dir, { recursive: true });
  const contacts = join(dir, 'practice.json');
  const mapping = join(dir, 'mapping.json');
  writeFileSync(
    contacts,
    JSON.stringify({
      contacts: [
        {
          id: 'p1',
          kind: 'person',
          last: 'Testperson',
          first: ['Avery', 'Q'],
          dob: '1950-02-03',
          phone: '555-010-0001',
        },
        {
          id: 'p2',
          kind: 'person',
          last: 'Samplewood',
          first: 'Blake',
          phone: '555-010-0002',
          email: 'blake@example.com',
        },
        { id: 'p3', kind: 'person', last: 'Fakeley', first: 'Casey', phone: '555-010-0003' },
        { id: 'o1', kind: 'org', org: 'Harbor Manufacturing' },
      ],
      relationships: [
        { id: 'r1', from: 'p2', to: 'p1', type: 'HC Proxy', start: '2020-01-01', end: '2025-01-01' },
        { id: 'r2', from: 'p3', to: 'p1', type: 'emergency-contact' },
        { id: 'r3', from: 'o1', to: 'p1', type: 'employer' },
      ],
      notes: [
        { id: 'n1', contact: 'p1', by: 'Staff A', at: '2021-05-06T07:08:09Z', text: 'Prefers morning calls' },
        { id: 'n2', rel: 'r1', by: 'Staff B', at: '2020-01-02', text: 'Proxy document scanned' },
      ],
    }),
  );
  writeFileSync(
    mapping,
    JSON.stringify({
      source: 'old-crm',
      contacts: {
        id: 'id',
        kind: 'kind',
        kindValues: { org: 'organization' },
        family: 'last',
        given: 'first',
        organizationName: 'org',
        birthDate: 'dob',
        phone: 'phone',
        email: 'email',
      },
      relationships: {
        id: 'id',
        from: 'from',
        to: 'to',
        type: 'type',
        typeValues: { 'HC Proxy': 'healthcare-proxy' },
        start: 'start',
        end: 'end',
      },
      notes: { id: 'id', contact: 'contact', relationship: 'rel', author: 'by', time: 'at', text: 'text' },
    }),
  );
  return { contacts, mapping };
}

for (const target of storeTargets()) {
  describe(`contact graph access (${target.name})`, { skip: target.skip }, () => {
    it('shows a person with every relationship, grants authority only while the relationship holds, and exports the graph', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'steward-graph-'));
      try {
        const files = writeExport(dir);
        await withStore(target, async (db) => {
          const clock = new ManualClock(new Date('2024-06-01T12:00:00Z'));
          const k = await openTestRelationships(db, { clock });
          try {
            const report = await k.rel.migration.run(
              k.coordinator,
              await readContactSource(files.contacts, files.mapping),
              { site: 'main' },
            );
            assert.equal(report.reconciled, true);
            assert.deepEqual(report.notImported, []);
            const { rows } = await db.query<{ id: string }>(
              `select party_id as id from rel_source_records where kind = 'contact' order by landed_at`,
            );
            const ids = await Promise.all(
              rows.map(async (r) => ({ id: r.id, view: await k.rel.graph.show(k.coordinator, r.id) })),
            );
            const patient = ids.find((x) => x.view.party.data.family === 'Testperson');
            const proxy = ids.find((x) => x.view.party.data.family === 'Samplewood');
            const emergency = ids.find((x) => x.view.party.data.family === 'Fakeley');
            assert.ok(patient !== undefined && proxy !== undefined && emergency !== undefined);

            // Show: every relationship, from the shown party's side, with notes and provenance.
            const v = patient.view;
            assert.equal(v.party.name, 'Avery Q Testperson');
            assert.equal(v.relationships.length, 3);
            assert.deepEqual(
              v.relationships.map((r) => r.label).sort(),
              ['emergency contact holder of', 'employee of', 'principal of'].sort(),
            );
            assert.equal(v.notes[0]?.text, 'Prefers morning calls');
            assert.equal(v.notes[0]?.provenance.system, 'old-crm');
            const proxyRel = proxy.view.relationships[0];
            assert.equal(proxyRel?.label, 'health-care proxy of');
            assert.equal(proxyRel?.notes[0]?.author, 'Staff B');
            assert.equal(proxyRel?.active, true);

            // Outside the caller's site: looks like nothing is there, and the denial is audited.
            await assert.rejects(k.rel.graph.show(k.otherSite, patient.id), { code: 'NOT_FOUND' });

            // Authority: the proxy may receive messages until the relationship ends, and nothing after.
            const ask = (actorPersonId: string, at: string) =>
              k.rel.authority.allows(k.coordinator, {
                actorPersonId,
                patientId: patient.id,
                permission: 'messages.receive',
                at: new Date(at),
              });
            assert.equal((await ask(proxy.id, '2024-12-31T23:00:00Z')).allowed, true);
            assert.deepEqual(await ask(proxy.id, '2025-01-01T00:00:00Z'), {
              allowed: false,
              reason: 'no_relationship',
            });
            assert.equal((await ask(proxy.id, '2019-12-31T00:00:00Z')).allowed, false);
            assert.equal(
              (await ask(emergency.id, '2024-06-01T00:00:00Z')).allowed,
              false,
              'an emergency contact may not',
            );
            const proxyRead = await k.rel.authority.allows(k.coordinator, {
              actorPersonId: proxy.id,
              patientId: patient.id,
              permission: 'billing.receive',
              at: new Date('2024-06-01'),
            });
            assert.equal(proxyRead.allowed, false, 'only what the grant allows');

            // Export: denied without phi.export at the site (audited); JSON, CSV and FHIR for the exporter.
            await assert.rejects(k.rel.exporter.export(k.otherSite, 'main', 'json'), { code: 'FORBIDDEN' });
            const json = await k.rel.exporter.export(k.exporter, 'main', 'json');
            assert.deepEqual(json.counts, { parties: 4, relationships: 3, notes: 2 });
            const doc = JSON.parse(json.files[0]?.content ?? '{}') as { notes: Array<{ text: string }> };
            assert.deepEqual(doc.notes.map((n) => n.text).sort(), ['Prefers morning calls', 'Proxy document scanned']);
            const csv = await k.rel.exporter.export(k.exporter, 'main', 'csv');
            assert.deepEqual(
              csv.files.map((f) => f.name),
              ['contacts.csv', 'relationships.csv', 'notes.csv'],
            );
            assert.equal(csv.files[1]?.content.trim().split('\n').length, 4);
            const fhir = await k.rel.exporter.export(k.exporter, 'main', 'fhir');
            const bundle = JSON.parse(fhir.files[0]?.content ?? '{}') as {
              type: string;
              entry: Array<{ resource: Record<string, unknown> }>;
            };
            assert.equal(bundle.type, 'collection');
            const byType = (t: string) => bundle.entry.map((e) => e.resource).filter((r) => r['resourceType'] === t);
            const related = byType('RelatedPerson');
            assert.equal(related.length, 1);
            assert.deepEqual(
              (related[0]?.['relationship'] as Array<{ coding: Array<{ code: string }> }>)[0]?.coding[0]?.code,
              'HPOWATT',
            );
            assert.deepEqual(related[0]?.['period'], { start: '2020-01-01', end: '2025-01-01' });
            const pt = byType('Patient').find((p) => p['id'] === patient.id);
            assert.equal((pt?.['contact'] as unknown[]).length, 2, 'emergency contact and employer');
            assert.equal(byType('DocumentReference').length, 2);
            assert.equal(byType('Organization').length, 1);

            await k.audit.flush();
            const events: string[] = [];
            for await (const e of iterateAudit(db, k.cipher, {
              events: ['access.denied', 'contacts.exported', 'phi.read'],
            }))
              events.push(`${e.event}:${e.reason ?? ''}`);
            assert.equal(events.filter((e) => e.startsWith('contacts.exported')).length, 3);
            assert.ok(events.includes('access.denied:no_relationship:messages.receive'));
            assert.ok(events.includes('access.denied:no_grant:phi.read'));
            assert.ok(events.includes('access.denied:no_grant:phi.export'));
            assert.equal(events.filter((e) => e.startsWith('phi.read')).length, 4);
          } finally {
            await k.close();
          }
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('takes a practice-defined relationship type without code changes, and validates definitions', async () => {
      await withStore(target, async (db) => {
        const k = await openTestRelationships(db);
        try {
          await assert.rejects(k.rel.types.define(k.admin, '*', [{ code: 'Bad Code' }]), { code: 'VALIDATION_FAILED' });
          await k.rel.types.define(k.admin, 'main', [
            {
              code: 'home-health-aide',
              display: 'home health aide',
              reciprocal: 'client',
              fromKind: 'person',
              toKind: 'person',
              permissions: ['appointments.manage'],
              fhir: { home: 'CareTeam' },
            },
          ]);
          assert.equal((await k.rel.types.forSite('main')).get('home-health-aide')?.reciprocal, 'client');
          assert.equal((await k.rel.types.forSite('other')).has('home-health-aide'), false);
          await assert.rejects(k.rel.types.define(k.coordinator, 'main', []), { code: 'FORBIDDEN' });
        } finally {
          await k.close();
        }
      });
    });
  });
}

/**
 * The relationships graph over HTTP: a contact with every relationship and note, for a
 * coordinator of its site only; the relationship types; the export behind `phi.export`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateContactExport, readContactSource } from '@steward/relationships';
import { flowTargets } from '@steward/store/testing';
import { bearer, openTestApp, principalWith, type TestApp, type TestPrincipal } from '../testing.js';

for (const target of flowTargets()) {
  describe(`contacts over HTTP on ${target.name}`, { skip: target.skip }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'steward-contacts-'));
    let t: TestApp;
    let coordinator: TestPrincipal;
    let elsewhere: TestPrincipal;
    let personId: string;

    before(async () => {
      t = await openTestApp(await target.open());
      coordinator = await principalWith(t.kernel, 'north-coordinator', { role: 'coordinator', site: 'north' });
      elsewhere = await principalWith(t.kernel, 'south-coordinator', { role: 'coordinator', site: 'south' });
      const generated = generateContactExport(dir, { contacts: 40, notes: 200, seed: 7 });
      const source = await readContactSource(generated.contactsFile, generated.mappingFile);
      const actor = { kind: 'user', id: coordinator.id, name: 'north-coordinator', authMethod: 'api-token' } as const;
      const report = await t.kernel.relationships.migration.run({ actor }, source, { site: 'north' });
      assert.equal(report.reconciled, true);
      const { rows } = await t.db.query<{ from_party: string }>(
        'select from_party from rel_relationships group by from_party order by count(*) desc limit 1',
      );
      personId = rows[0]!.from_party;
    });
    after(async () => {
      await t?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('shows a person with every relationship, each with its authority and whether it is current', async () => {
      const r = await t.app.inject({ method: 'GET', url: `/contacts/${personId}`, headers: bearer(coordinator) });
      assert.equal(r.statusCode, 200, r.body);
      const view = r.json<{
        party: { id: string; name: string };
        relationships: { type: string; active: boolean; permissions: string[] }[];
      }>();
      assert.equal(view.party.id, personId);
      assert.ok(view.relationships.length > 0);
      for (const rel of view.relationships) {
        assert.equal(typeof rel.active, 'boolean');
        assert.ok(Array.isArray(rel.permissions));
      }
    });

    it('hides a contact of another site, and refuses the export without phi.export at that site', async () => {
      const other = await t.app.inject({ method: 'GET', url: `/contacts/${personId}`, headers: bearer(elsewhere) });
      assert.equal(other.statusCode, 404);
      const denied = await t.app.inject({
        method: 'GET',
        url: '/contacts/export?site=north&format=json',
        headers: bearer(elsewhere),
      });
      assert.equal(denied.statusCode, 403);
    });

    it('exports the site graph as a FHIR Bundle, and lists the relationship types', async () => {
      const r = await t.app.inject({
        method: 'GET',
        url: '/contacts/export?site=north&format=fhir',
        headers: bearer(coordinator),
      });
      assert.equal(r.statusCode, 200, r.body);
      assert.match(r.body, /"resourceType":\s*"Bundle"|RelatedPerson/);
      const types = await t.app.inject({
        method: 'GET',
        url: '/contacts/relationship-types?site=north',
        headers: bearer(coordinator),
      });
      assert.equal(types.statusCode, 200);
      assert.ok(types.json<{ items: unknown[] }>().items.length >= 13);
    });
  });
}

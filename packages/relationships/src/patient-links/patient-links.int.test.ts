/**
 * The patient link table on each store: a link is stored with who made it, holds one party per
 * patient and one patient per party (two links made at once: one wins, the other conflicts), is
 * found under a merged-in patient id, and is removable; suggestions are the exact name-and-birth-date
 * matches of the blind index at the patient's site, linked parties excluded.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storeTargets, withStore } from '@steward/store/testing';
import { contactSourceOfFiles } from '../migration/index.js';
import { openTestRelationships } from '../testing/index.js';

const mapping = {
  source: 'crm',
  contacts: { id: 'id', kind: 'kind', family: 'last', given: 'first', birthDate: 'dob', phone: 'phone' },
};
const contacts = {
  contacts: [
    { id: 'a', kind: 'person', last: "O'Neil", first: 'Mary Ann', dob: '1940-01-02', phone: '555-020-0001' },
    { id: 'b', kind: 'person', last: "O'NEIL", first: 'mary-ann', dob: '1940-01-02', phone: '555-020-0002' },
    { id: 'c', kind: 'person', last: "O'Neil", first: 'Mary Ann', dob: '1940-01-03', phone: '555-020-0003' },
  ],
};
const patient = { id: '0b7a1c52-6f0e-4c1a-9a55-1d2e3f4a5b6c', site: 'main' };
const second = '2d9c3e74-8b2a-4e3c-9c77-3f4a5b6c7d8e';

for (const target of storeTargets()) {
  describe(`patient links (${target.name})`, { skip: target.skip }, () => {
    it('stores one confirmed link per patient and per party, finds it under a merged id, removes it, and suggests exact matches only', async () => {
      await withStore(target, async (db) => {
        const k = await openTestRelationships(db);
        try {
          const file = (name: string, value: unknown) => ({ name, bytes: Buffer.from(JSON.stringify(value)) });
          const report = await k.rel.migration.run(
            k.coordinator,
            await contactSourceOfFiles(file('mapping.json', mapping), file('c.json', contacts), []),
            { site: 'main' },
          );
          assert.equal(report.reconciled, true);
          const id = async (phone: string) =>
            (await k.rel.graph.search(k.coordinator, 'main', phone)).items[0]?.id ?? '';
          const [a, b, c] = [await id('555-020-0001'), await id('555-020-0002'), await id('555-020-0003')];
          const links = k.rel.patientLinks;
          const who = { ...patient, name: { family: "O'Neil", given: ['Mary', 'Ann'] }, birthDate: '1940-01-02' };

          const before = await links.contactsOf(k.coordinator, who);
          assert.deepEqual(
            before.suggestions?.map((s) => s.partyId).sort(),
            [a, b].sort(),
            'not c: another birth date',
          );
          assert.deepEqual(
            (await links.contactsOf(k.coordinator, { ...who, name: { family: "O'Neil", given: ['Mary'] } }))
              .suggestions,
            [],
            'given names must all match',
          );

          // Two links for one patient at once: the table's key lets one through.
          const raced = await Promise.allSettled([
            links.link(k.coordinator, who, a),
            links.link(k.coordinator, who, b),
          ]);
          assert.deepEqual(raced.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
          const rejected = raced.find((r) => r.status === 'rejected');
          assert.equal(((rejected as PromiseRejectedResult).reason as { code: string }).code, 'ALREADY_EXISTS');
          const { rows } = await db.query<{ party_id: string; linked_by: string }>(
            'select party_id, linked_by from rel_patient_links where site = $1 and patient_id = $2',
            ['main', patient.id],
          );
          assert.equal(rows.length, 1);
          assert.equal(rows[0]?.linked_by, k.coordinator.actor.id);
          const linkedParty = rows[0]?.party_id ?? '';
          await assert.rejects(links.link(k.coordinator, { id: second, site: 'main' }, linkedParty), {
            code: 'ALREADY_EXISTS',
          });
          await assert.rejects(links.link(k.otherSite, who, c), { code: 'FORBIDDEN' });

          // The patient was merged into another: the link made under the old id still shows.
          const survivor = { ...who, id: second, mergedIds: [patient.id] };
          const shown = await links.contactsOf(k.coordinator, survivor);
          assert.equal(shown.link?.partyId, linkedParty);
          assert.equal(shown.suggestions, null);
          const other = linkedParty === a ? b : a;
          assert.deepEqual(
            (await links.contactsOf(k.coordinator, { ...who, id: second })).suggestions?.map((s) => s.partyId),
            [other],
            'a linked party is no longer suggested for anyone else',
          );

          await links.unlink(k.coordinator, survivor);
          assert.equal((await db.query('select 1 from rel_patient_links')).rows.length, 0);
          await assert.rejects(links.unlink(k.coordinator, who), { code: 'NOT_FOUND' });
        } finally {
          await k.close();
        }
      });
    });
  });
}

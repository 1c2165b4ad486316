/**
 * The patient page's "Contacts and relationships" over HTTP: without a link, every contact-graph
 * person at the patient's site with exactly the patient's family name, given names and birth date
 * is suggested (two here, none preferred; a different given name or another site is not), and none
 * is shown as the patient's contacts; a coordinator confirms one (PUT /patients/:id/contact-link),
 * after which the overview shows that person's relationships with role, period and authority; a
 * reviewer without the contacts write permission is refused, another site gets NOT_FOUND, a second
 * link conflicts, an organization cannot be linked, and the link is removable. Each step audited.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestContext } from '@steward/core';
import { flowTargets } from '@steward/store/testing';
import { bearer, openTestApp, principalWith, type TestApp, type TestPrincipal } from '../../testing.js';

const connectionId = '6e1d8f5a-3b9c-4d2e-8f4a-7b8c9d0e1f2a';

const mapping = {
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
};

/** A site's export: the patient twice (a duplicate in the old CRM), a look-alike, a proxy, an emergency contact, an employer. */
function practice(tag: string) {
  return {
    contacts: [
      {
        id: `${tag}1`,
        kind: 'person',
        last: 'Testperson',
        first: ['Avery', 'Q'],
        dob: '1950-02-03',
        phone: '555-010-0001',
      },
      { id: `${tag}4`, kind: 'person', last: 'TESTPERSON', first: 'avery q', dob: '1950-02-03', phone: '555-010-0009' },
      { id: `${tag}5`, kind: 'person', last: 'Testperson', first: 'Avery', dob: '1950-02-03', phone: '555-010-0005' },
      { id: `${tag}2`, kind: 'person', last: 'Samplewood', first: 'Blake', phone: '555-010-0002' },
      { id: `${tag}3`, kind: 'person', last: 'Fakeley', first: 'Casey', phone: '555-010-0003' },
      { id: `${tag}o`, kind: 'org', org: 'Harbor Manufacturing' },
    ],
    relationships: [
      { id: `${tag}r1`, from: `${tag}2`, to: `${tag}1`, type: 'HC Proxy', start: '2020-01-01' },
      { id: `${tag}r2`, from: `${tag}3`, to: `${tag}1`, type: 'emergency-contact' },
      { id: `${tag}r3`, from: `${tag}o`, to: `${tag}1`, type: 'employer' },
    ],
    notes: [],
  };
}

type Contacts = {
  link: { partyId: string; name: string; linkedBy: string } | null;
  contacts: {
    party: { id: string; kind: string; name: string };
    role: string;
    validFrom: string | null;
    validTo: string | null;
    active: boolean;
    authority: string[];
    mayReceiveInformation: boolean;
  }[];
  suggestions: { partyId: string; name: string; birthDate: string; reason: string }[] | null;
  mayLink: boolean;
};

for (const target of flowTargets()) {
  describe(`patient contacts over HTTP on ${target.name}`, { skip: target.skip }, () => {
    let t: TestApp;
    let coord: TestPrincipal;
    let reviewer: TestPrincipal;
    let south: TestPrincipal;
    let patient = '';
    let other = '';
    const party: Record<string, string> = {};

    const call = (who: TestPrincipal, method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: bearer(who), ...(payload !== undefined ? { payload } : {}) });
    const contactsOf = async (who: TestPrincipal, id = patient): Promise<Contacts> => {
      const r = await call(who, 'GET', `/patients/${id}/overview`);
      assert.equal(r.statusCode, 200, r.body);
      return r.json<{ contacts: Contacts }>().contacts;
    };

    before(async () => {
      t = await openTestApp(await target.open());
      coord = await principalWith(t.kernel, 'contacts-coord', { role: 'coordinator', site: 'north' });
      reviewer = await principalWith(t.kernel, 'contacts-reviewer', { role: 'clinician_reviewer', site: 'north' });
      south = await principalWith(t.kernel, 'contacts-south', { role: 'coordinator', site: 'south' });
      const feed = await principalWith(t.kernel, 'contacts-feed', { role: 'integration', site: 'north' });
      const ctx: RequestContext = { actor: { kind: feed.kind, id: feed.id, name: 'feed', authMethod: 'api-token' } };
      const resolve = (mrn: string, family: string, given: string[], birthDate: string) =>
        t.kernel.patients.resolve(ctx, {
          connectionId,
          site: 'north',
          identifiers: [{ system: 'urn:north:mrn', value: mrn }],
          demographics: { name: { family, given }, birthDate },
        });
      patient = await resolve('C-1', 'Testperson', ['Avery', 'Q'], '1950-02-03');
      other = await resolve('C-2', 'Otherperson', ['Dana'], '1971-03-04');
      const southCoord = await principalWith(t.kernel, 'contacts-south-importer', {
        role: 'coordinator',
        site: 'south',
      });
      for (const [who, site] of [
        [coord, 'north'],
        [southCoord, 'south'],
      ] as const) {
        const r = await t.app.inject({
          method: 'POST',
          url: '/contacts/import/files',
          headers: bearer(who),
          payload: {
            site,
            mapping: { name: 'mapping.json', content: JSON.stringify(mapping) },
            contacts: { name: 'practice.json', content: JSON.stringify(practice(site)) },
            files: [],
          },
        });
        assert.equal(r.statusCode, 200, r.body);
        assert.equal(r.json<{ reconciled: boolean }>().reconciled, true, r.body);
      }
      const find = async (who: TestPrincipal, site: string, q: string): Promise<string> => {
        const r = await call(who, 'GET', `/contacts?site=${site}&q=${encodeURIComponent(q)}`);
        const items = r.json<{ items: { id: string }[] }>().items;
        assert.equal(items.length, 1, `${q}: ${r.body}`);
        return items[0]?.id ?? '';
      };
      party['p1'] = await find(coord, 'north', '555-010-0001');
      party['p4'] = await find(coord, 'north', '555-010-0009');
      party['p5'] = await find(coord, 'north', '555-010-0005');
      party['org'] = await find(coord, 'north', 'Harbor Manufacturing');
      party['south'] = await find(south, 'south', '555-010-0001');
    });
    after(() => t.close());

    it('suggests every exact name-and-birth-date match at the site, none preferred, and shows no contacts until one is confirmed', async () => {
      const c = await contactsOf(coord);
      assert.equal(c.link, null);
      assert.deepEqual(c.contacts, [], 'a suggestion is never shown as the patient’s contacts');
      assert.deepEqual(
        c.suggestions?.map((s) => s.partyId).sort(),
        [party['p1'], party['p4']].sort(),
        'both duplicates; not the one with another given name, not the other site’s',
      );
      assert.ok(c.suggestions?.every((s) => s.reason === 'same-name-and-birth-date' && s.birthDate === '1950-02-03'));
      assert.equal(c.mayLink, true);
      assert.deepEqual((await contactsOf(coord, other)).suggestions, [], 'no look-alike, no suggestion');
      assert.equal((await contactsOf(reviewer)).mayLink, false, 'a reviewer may read but not link');
    });

    it('refuses a link to a reader without the contacts write permission, to another site, to an organization', async () => {
      const url = `/patients/${patient}/contact-link`;
      assert.equal((await call(reviewer, 'PUT', url, { partyId: party['p1'] })).statusCode, 403);
      const hidden = await call(south, 'PUT', url, { partyId: party['south'] });
      assert.equal(hidden.statusCode, 404, 'the patient is not found at another site');
      assert.equal((await call(south, 'GET', `/patients/${patient}/overview`)).statusCode, 404);
      assert.equal((await call(south, 'DELETE', url)).statusCode, 404);
      const elsewhere = await call(coord, 'PUT', url, { partyId: party['south'] });
      assert.equal(elsewhere.statusCode, 404, "another site's contact is not found");
      const org = await call(coord, 'PUT', url, { partyId: party['org'] });
      assert.equal(org.statusCode, 400, org.body);
      assert.equal(org.json<{ code: string }>().code, 'VALIDATION_FAILED');
      assert.equal((await call(coord, 'PUT', url, { partyId: 'not-a-uuid' })).statusCode, 400);
      assert.equal((await call(coord, 'DELETE', url)).statusCode, 404, 'nothing to unlink yet');
      assert.equal((await contactsOf(coord)).link, null);
    });

    it('links on confirmation: the overview shows the relationships with role, period and authority; one party per patient', async () => {
      const url = `/patients/${patient}/contact-link`;
      const linked = await call(coord, 'PUT', url, { partyId: party['p1'] });
      assert.equal(linked.statusCode, 200, linked.body);
      assert.deepEqual(
        [linked.json<{ partyId: string }>().partyId, linked.json<{ linkedBy: string }>().linkedBy],
        [party['p1'], coord.id],
      );
      const again = await call(coord, 'PUT', url, { partyId: party['p4'] });
      assert.equal(again.statusCode, 409, 'one party per patient');
      const taken = await call(coord, 'PUT', `/patients/${other}/contact-link`, { partyId: party['p1'] });
      assert.equal(taken.statusCode, 409, 'one patient per party');

      const c = await contactsOf(reviewer);
      assert.equal(c.link?.partyId, party['p1']);
      assert.equal(c.link?.name, 'Avery Q Testperson');
      assert.equal(c.suggestions, null);
      assert.deepEqual(
        c.contacts.map((x) => [x.party.name, x.role, x.validFrom, x.active, x.authority, x.mayReceiveInformation]),
        [
          [
            'Blake Samplewood',
            'health-care proxy',
            '2020-01-01',
            true,
            ['receives messages', 'may read records', 'may give consent'],
            true,
          ],
          ['Casey Fakeley', 'emergency contact', null, true, [], false],
          ['Harbor Manufacturing', 'employer', null, true, [], false],
        ],
      );
      assert.equal(c.contacts.find((x) => x.party.name === 'Harbor Manufacturing')?.party.kind, 'organization');

      await t.kernel.audit.flush();
      const { rows } = await t.db.query<{ event: string; reason: string; actor: string }>(
        `select event, entry::jsonb->>'reason' as reason, actor_id as actor from audit_log
          where $1 = any(patient_ids) and entry::jsonb->>'reason' like 'contact%' order by seq`,
        [patient],
      );
      const trail = rows.map(
        (r) => `${r.actor === coord.id ? 'coord' : r.actor === reviewer.id ? 'reviewer' : '?'} ${r.event} ${r.reason}`,
      );
      for (const expected of [
        'coord phi.read contact-suggestions:2',
        'coord phi.update contact-link:linked',
        'reviewer phi.read contacts:3',
      ])
        assert.ok(trail.includes(expected), `${expected} in ${trail.join(', ')}`);
    });

    it('unlinks: the suggestions come back and the removal is on the trail', async () => {
      const url = `/patients/${patient}/contact-link`;
      assert.equal((await call(reviewer, 'DELETE', url)).statusCode, 403);
      const removed = await call(coord, 'DELETE', url);
      assert.equal(removed.statusCode, 204, removed.body);
      const c = await contactsOf(coord);
      assert.equal(c.link, null);
      assert.equal(c.suggestions?.length, 2);
      assert.equal((await call(coord, 'DELETE', url)).statusCode, 404);
      await t.kernel.audit.flush();
      const { rows } = await t.db.query<{ n: string }>(
        `select count(*) as n from audit_log where event = 'phi.update' and $1 = any(patient_ids)
          and $2 = any(patient_ids) and entry::jsonb->>'reason' = 'contact-link:unlinked'`,
        [patient, party['p1']],
      );
      assert.equal(Number(rows[0]?.n), 1);
    });
  });
}

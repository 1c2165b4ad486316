import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { systemClock, type RequestContext, type Role } from '@steward/core';
import { queryAudit, ServiceAccountDirectory } from '@steward/governance';
import { storeTargets } from '@steward/store/testing';
import { openTestGovernance, type TestGovernance } from '../test-governance.js';
import type { EhrChannel, EhrReader, EhrResource, EhrWriteChannel } from './ehr-channel.js';
import { GovernedEhr, ehrPatientId } from './governed-ehr.js';
import { InMemoryEhrChannel } from './in-memory.channel.js';
import type { WriteRequest } from './governed-write.js';

const CONNECTION = '11111111-1111-4111-8111-111111111111';
const MRN = 'urn:oid:2.16.840.1.113883.19.5';
const ENTERPRISE = 'urn:oid:2.16.840.1.113883.19.9';

for (const target of storeTargets()) {
  describe(`the governed EHR on ${target.name}`, { skip: target.skip }, () => {
    let g: TestGovernance;
    let channel: InMemoryEhrChannel;
    let ehr: GovernedEhr;
    let iface: RequestContext;
    let workflow: RequestContext;
    let outsider: RequestContext;

    const account = async (name: string, role: Role | undefined, site = 'north'): Promise<RequestContext> => {
      const accounts = new ServiceAccountDirectory({ db: g.db, audit: g.audit, clock: systemClock });
      const a = await accounts.create(name, g.admin.actor);
      if (role !== undefined)
        await g.grants.add(g.admin.actor, {
          principalKind: 'service',
          principalId: a.id,
          role,
          site,
          workflow: '*',
          purposeOfUse: role === 'integration' ? 'HOPERAT' : 'TREAT',
        });
      return { actor: { kind: 'service', id: a.id, name, authMethod: 'api-token' } };
    };
    const entriesFor = async (ehrId: string) =>
      (await queryAudit(g.db, g.cipher, { patientId: ehrPatientId(g.cipher, CONNECTION, ehrId) })).entries;

    before(async () => {
      g = await openTestGovernance(await target.open());
      iface = await account('ehr-north', 'integration');
      workflow = await account('steward-workflows', 'automation');
      outsider = await account('south-workflows', 'automation', 'south');
      channel = new InMemoryEhrChannel();
      ehr = new GovernedEhr({
        channel,
        policy: g.policy,
        audit: g.audit,
        cipher: g.cipher,
        connection: () => Promise.resolve({ site: 'north', actor: iface.actor }),
      });
      channel.put({
        resourceType: 'Patient',
        id: 'p1',
        active: true,
        identifier: [
          { system: MRN, value: 'MRN-1' },
          { system: ENTERPRISE, value: 'E-1' },
        ],
      });
      channel.put({
        resourceType: 'Appointment',
        id: 'a1',
        status: 'booked',
        participant: [{ actor: { reference: 'Patient/p1' } }],
      });
    });
    after(() => g.close());

    it('audits a Patient read under the patient, so an audit search by patient finds it', async () => {
      const p = await ehr.reader.patient(workflow, CONNECTION, 'p1');
      assert.deepEqual(p, {
        ehrId: 'p1',
        identifiers: [
          { system: MRN, value: 'MRN-1' },
          { system: ENTERPRISE, value: 'E-1' },
        ],
        live: true,
      });
      const reads = (await entriesFor('p1')).filter((e) => e.event === 'phi.read');
      assert.equal(reads.length, 1);
      assert.equal(reads[0]?.actor.id, workflow.actor.id);
      assert.equal(reads[0]?.outcome, 'success');
      assert.equal(reads[0]?.site, 'north');
      assert.deepEqual(reads[0]?.fields, ['identifier', 'active', 'link']);
      // The EHR's id does not enter the audit log: the entry names the keyed Steward id.
      assert.equal(JSON.stringify(reads[0]).includes('"p1"'), false);
    });

    it('audits a read of another resource under the patient it references', async () => {
      const before = (await entriesFor('p1')).length;
      const a = await ehr.reader.read(workflow, CONNECTION, { resourceType: 'Appointment', id: 'a1' });
      assert.equal(a.resource['status'], 'booked');
      const entries = await entriesFor('p1');
      assert.equal(entries.length, before + 1);
      assert.deepEqual(entries.at(-1)?.entity, { kind: 'Appointment', id: 'a1' });
    });

    it('refuses a read without permission at the site, audits the denial under the patient, and never reaches the EHR', async () => {
      const calls = channel.calls.length;
      await assert.rejects(ehr.reader.patient(outsider, CONNECTION, 'p1'), { code: 'FORBIDDEN' });
      await assert.rejects(ehr.reader.search(outsider, CONNECTION, 'Appointment', { patient: 'p1' }), {
        code: 'FORBIDDEN',
      });
      assert.equal(channel.calls.length, calls, 'nothing was read');
      const denied = (await entriesFor('p1')).filter((e) => e.event === 'access.denied');
      assert.equal(denied.length, 1);
      assert.equal(denied[0]?.actor.id, outsider.actor.id);
    });

    it('audits a search with its (sealed) parameters under every patient found', async () => {
      const found = await ehr.reader.search(workflow, CONNECTION, 'Appointment', { patient: 'p1' });
      assert.equal(found.length, 1);
      const search = (await entriesFor('p1')).filter((e) => e.event === 'phi.search');
      assert.equal(search.length, 1);
      assert.deepEqual(search[0]?.query, { patient: 'p1' });
    });

    it('pages a search: each page decided and audited with what it disclosed, the EHR link sealed to the caller', async () => {
      const asked: string[] = [];
      const ehrLink = 'https://ehr.example/fhir/Appointment?page=2';
      const paging: EhrChannel = {
        kind: 'paging',
        read: (c, r) => channel.read(c, r),
        readVersion: (c, r, v) => channel.readVersion(c, r, v),
        search: (c, t, q) => channel.search(c, t, q),
        create: (c, r, k) => channel.create(c, r, k),
        update: (c, r, m) => channel.update(c, r, m),
        searchPage: async (c, t, q, next) => {
          asked.push(next ?? 'first');
          const resources = await channel.search(c, t, next === undefined ? q : { patient: 'p1' });
          return next === undefined ? { resources, total: 2, next: ehrLink } : { resources, total: 2 };
        },
      };
      const governed = new GovernedEhr({
        channel: paging,
        policy: g.policy,
        audit: g.audit,
        cipher: g.cipher,
        connection: () => Promise.resolve({ site: 'north', actor: iface.actor }),
      });
      const statusOnly = (r: EhrResource): EhrResource => ({
        resource: { resourceType: r.resource['resourceType'], id: r.resource['id'], status: r.resource['status'] },
        versionId: r.versionId,
      });
      const before = (await entriesFor('p1')).filter((e) => e.event === 'phi.search').length;
      const first = await governed.reader.searchPage(
        workflow,
        CONNECTION,
        'Appointment',
        { patient: 'p1' },
        {
          disclose: statusOnly,
        },
      );
      assert.equal(first.total, 2);
      assert.deepEqual(first.resources[0]?.resource, { resourceType: 'Appointment', id: 'a1', status: 'booked' });
      assert.ok(first.next !== undefined && !first.next.includes('ehr.example'), 'the EHR link is sealed');
      const second = await governed.reader.searchPage(workflow, CONNECTION, 'Appointment', {}, { page: first.next });
      assert.deepEqual(asked, ['first', ehrLink]);
      assert.equal(second.next, undefined);
      const searches = (await entriesFor('p1')).filter((e) => e.event === 'phi.search').slice(before);
      assert.equal(searches.length, 2, 'every page is audited under the patient');
      assert.deepEqual(searches[0]?.fields, ['status'], 'the entry names what was disclosed');
      assert.deepEqual(searches[1]?.query, { patient: 'p1' }, 'a page is audited with the search it continues');

      // Someone else's page link, or one altered, is refused before anything is read.
      const other = await account('other-workflows', 'automation');
      const tampered = `${first.next.slice(0, -2)}${first.next.endsWith('A') ? 'BB' : 'AA'}`;
      for (const [who, page] of [
        [other, first.next],
        [workflow, tampered],
      ] as const)
        await assert.rejects(governed.reader.searchPage(who, CONNECTION, 'Appointment', {}, { page }), {
          code: 'VALIDATION_FAILED',
        });
      assert.equal(asked.length, 2);

      // A channel without pages answers its one page, with no total and no next.
      const plain = await ehr.reader.searchPage(workflow, CONNECTION, 'Appointment', { patient: 'p1' });
      assert.equal(plain.resources.length, 1);
      assert.equal(plain.next, undefined);
      assert.equal(plain.total, undefined);
    });

    it('gives readers no way to write (type level), and the writing side writes as the connection, once per key, under the patient', async () => {
      const reader: EhrReader = ehr.reader;
      // @ts-expect-error the reader has no write method: a workflow cannot write through it.
      assert.equal(typeof reader.write, 'undefined');
      const writer: EhrWriteChannel = ehr.writer;
      const request: WriteRequest = {
        kind: 'create',
        resource: { resourceType: 'Task', status: 'requested', intent: 'order', for: { reference: 'Patient/p1' } },
        patient: {
          ehrId: 'p1',
          identifiers: [
            { system: MRN, value: 'MRN-1' },
            { system: ENTERPRISE, value: 'E-1' },
          ],
        },
        idempotencyKey: 'proposal-1.r1',
      };
      const first = await writer.write(CONNECTION, request, workflow);
      const again = await writer.write(CONNECTION, request, workflow);
      assert.equal(first.status, 'written');
      assert.equal(again.status, 'already-written');
      assert.equal(again.id, first.id);
      assert.equal((await channel.search(CONNECTION, 'Task', {})).length, 1, 'one Task for one key');
      const written = (await entriesFor('p1')).filter((e) => e.event === 'ehr.written');
      assert.equal(written.length, 2);
      assert.ok(written.every((e) => e.actor.id === iface.actor.id && e.outcome === 'success'));
    });

    it('keeps the wrong-chart guard for every channel: a write for a merged-away patient is refused and audited', async () => {
      channel.put({
        resourceType: 'Patient',
        id: 'p2',
        active: false,
        identifier: [
          { system: MRN, value: 'MRN-2' },
          { system: ENTERPRISE, value: 'E-2' },
        ],
        link: [{ type: 'replaced-by', other: { reference: 'Patient/p1' } }],
      });
      await assert.rejects(
        ehr.writer.write(
          CONNECTION,
          {
            kind: 'create',
            resource: { resourceType: 'Task', status: 'requested', intent: 'order', for: { reference: 'Patient/p2' } },
            patient: {
              ehrId: 'p2',
              identifiers: [
                { system: MRN, value: 'MRN-2' },
                { system: ENTERPRISE, value: 'E-2' },
              ],
            },
            idempotencyKey: 'proposal-2.r1',
          },
          workflow,
        ),
        { code: 'EHR_WRONG_PATIENT' },
      );
      const failed = (await entriesFor('p2')).filter((e) => e.event === 'ehr.written');
      assert.equal(failed.length, 1);
      assert.equal(failed[0]?.outcome, 'failure');
      assert.equal(failed[0]?.reason, 'create:EHR_WRONG_PATIENT');
    });

    it('refuses the writing side to an interface account without ehr.write', async () => {
      const noWrite = new GovernedEhr({
        channel,
        policy: g.policy,
        audit: g.audit,
        cipher: g.cipher,
        connection: () => Promise.resolve({ site: 'north', actor: workflow.actor }),
      });
      await assert.rejects(noWrite.writer.read(CONNECTION, 'Appointment', 'a1'), { code: 'FORBIDDEN' });
    });
  });
}

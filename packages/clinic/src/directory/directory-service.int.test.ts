// The directory service on both stores: learning from FHIR resources, HL7 participants and bare
// references, merging by identifier, governed reads, the audited network mark, and the learner
// reading what a referral names through a reader (with a failing read left visible).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { newId, type EhrEvent, type RequestContext } from '@steward/core';
import { fixturesDir } from '@steward/core/testing';
import { storeTargets } from '@steward/store/testing';
import { DirectoryLearner } from './directory-learner.js';
import { openDirectoryKit, type DirectoryTestKit } from './directory-test-kit.js';
import { directoryFactsFromFhir } from './map-fhir.js';

const r4 = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(fixturesDir(), 'third-party', 'fhir-r4-examples', 'r4-core', name), 'utf8')) as Record<
    string,
    unknown
  >;

function referralEvent(connectionId: string, channel: EhrEvent['channel'], facts: EhrEvent['facts']): EhrEvent {
  return {
    id: newId(),
    seq: 1,
    recordedAt: new Date(),
    type: 'referral.created',
    connectionId,
    channel,
    dedupKey: newId(),
    occurredAt: '2026-01-05T10:00:00Z',
    patient: { identifiers: [] },
    facts,
    sourceRef: 'ServiceRequest/sr1',
  };
}

for (const target of storeTargets()) {
  describe(`directory service on ${target.name}`, { skip: target.skip }, () => {
    let kit: DirectoryTestKit;
    let coordinator: RequestContext;
    let admin: RequestContext;
    let automation: RequestContext;
    let integration: RequestContext;
    const conn = newId();

    before(async () => {
      kit = await openDirectoryKit(await target.open());
      coordinator = await kit.as('coordinator');
      admin = await kit.as('admin');
      automation = await kit.as('automation');
      integration = await kit.as('integration');
    });
    after(async () => kit.close());

    it('merges an HL7 provider keyed by NPI into the FHIR Practitioner with that NPI', async () => {
      const npi = { system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' };
      const [hl7Id] = await kit.directory.learn(integration, conn, [
        {
          kind: 'Practitioner',
          identifiers: [npi],
          name: 'PAUL McWILLIAMS',
          source: 'hl7v2',
          telecom: [{ system: 'phone', value: '(626)555-5678' }],
        },
      ]);
      const [fhirId] = await kit.directory.learn(automation, conn, [
        { kind: 'Practitioner', ehrId: 'p-9', identifiers: [npi], name: 'Paul McWilliams MD', source: 'fhir' },
      ]);
      assert.equal(fhirId, hl7Id);
      const e = await kit.directory.show(coordinator, fhirId!);
      assert.equal(e.name, 'Paul McWilliams MD');
      assert.equal(e.ehrId, 'p-9');
      assert.equal(e.reference, 'Practitioner/p-9');
      assert.deepEqual(e.sources, ['fhir', 'hl7v2']);
      // FHIR gave no telecom: the HL7 one stays; a later HL7 name does not override FHIR's.
      assert.equal(e.telecom[0]?.value, '(626)555-5678');
      await kit.directory.learn(integration, conn, [
        { kind: 'Practitioner', identifiers: [npi], name: 'P MCWILLIAMS', source: 'hl7v2' },
      ]);
      assert.equal((await kit.directory.show(coordinator, fhirId!)).name, 'Paul McWilliams MD');
    });

    it('keeps a bare reference visible as unresolved, then names it when its resource arrives', async () => {
      const [id] = await kit.directory.learn(automation, conn, [
        { kind: 'Organization', ehrId: 'org-x', identifiers: [], source: 'reference' },
      ]);
      let [view] = await kit.directory.describe(coordinator, conn, [
        { kind: 'Organization', ref: 'Organization/org-x' },
      ]);
      assert.equal(view?.status, 'unresolved');
      assert.equal(view?.reference, 'Organization/org-x');
      assert.equal(view?.name, null);
      await kit.directory.learn(automation, conn, [
        { ...directoryFactsFromFhir(r4('Organization-f001.json'))!, ehrId: 'org-x' },
      ]);
      [view] = await kit.directory.describe(coordinator, conn, [{ kind: 'Organization', ref: 'Organization/org-x' }]);
      assert.equal(view?.status, 'resolved');
      assert.equal(view?.entryId, id);
      assert.equal(view?.name, 'Burgers University Medical Center');
      // Never seen at all: still answered, unresolved, with its raw reference.
      const [unknown] = await kit.directory.describe(coordinator, conn, [
        { kind: 'Practitioner', ref: 'Practitioner/nobody' },
      ]);
      assert.deepEqual(
        { status: unknown?.status, reference: unknown?.reference, name: unknown?.name },
        { status: 'unresolved', reference: 'Practitioner/nobody', name: null },
      );
    });

    it('searches by name and identifier; reads are governed', async () => {
      const found = await kit.directory.search(coordinator, { q: 'mcwilliams' });
      assert.equal(found.length, 1);
      assert.equal((await kit.directory.search(coordinator, { q: '1234567893' }))[0]?.id, found[0]?.id);
      assert.equal((await kit.directory.search(coordinator, { q: '50%_' })).length, 0);
      // Every role reads the directory; learning is the automation and integration accounts' alone.
      assert.equal((await kit.directory.search(integration, { q: 'mcwilliams' })).length, 1);
      await assert.rejects(kit.directory.learn(coordinator, conn, []), { code: 'FORBIDDEN' });
    });

    it('the learner reads what a FHIR referral names, with what it links to; a failed read stays visible', async () => {
      const c2 = newId();
      const resources: Record<string, Record<string, unknown>> = {
        'PractitionerRole/example': r4('PractitionerRole-example.json'),
        'Practitioner/example': r4('Practitioner-example.json'),
        'Organization/f001': r4('Organization-f001.json'),
        'Location/1': r4('Location-1.json'),
        'HealthcareService/example': r4('HealthcareService-example.json'),
      };
      const reads: string[] = [];
      const learner = new DirectoryLearner({
        directory: kit.directory,
        ctx: automation,
        read: (_ctx, connectionId, ref) => {
          assert.equal(connectionId, c2);
          const key = `${ref.resourceType}/${ref.id}`;
          reads.push(key);
          const r = resources[key];
          if (r === undefined) return Promise.reject(Object.assign(new Error('gone'), { code: 'NOT_FOUND' }));
          return Promise.resolve(r);
        },
      });
      const event = referralEvent(c2, 'fhir-poll', {
        kind: 'Referral',
        identifiers: [],
        status: 'active',
        requester: { kind: 'Practitioner', ehrId: 'gone-1', identifiers: [] },
        performers: [{ kind: 'PractitionerRole', ehrId: 'example', identifiers: [], display: 'Dr Adam Careful' }],
      });
      const round = await learner.observe(c2, [event]);
      assert.deepEqual(round, { recorded: 2, read: 5, failed: 1 });
      const [requester, destination] = await kit.directory.describe(coordinator, c2, [
        { kind: 'Practitioner', ref: 'Practitioner/gone-1' },
        { kind: 'PractitionerRole', ref: 'PractitionerRole/example' },
      ]);
      assert.equal(requester?.status, 'unresolved');
      const gone = await kit.directory.show(coordinator, requester.entryId!);
      assert.equal(gone.lastError, 'NOT_FOUND');
      assert.equal(destination?.name, 'Dr Adam Careful');
      assert.equal(destination?.organization, 'Burgers University Medical Center');
      assert.equal(destination?.service, 'Consulting psychologists and/or psychology services');
      assert.equal(destination?.network, null);
      // Read once: a second referral naming them reads only what failed before.
      reads.length = 0;
      await learner.observe(c2, [event]);
      assert.deepEqual(reads, ['Practitioner/gone-1']);
    });

    it('a role another router read first still has its practitioner read before the referral is routed', async () => {
      const c4 = newId();
      // Another router stored the role (read from the EHR) and is still reading its practitioner.
      await kit.directory.learn(automation, c4, [
        { ...directoryFactsFromFhir(r4('PractitionerRole-example.json'))!, ehrId: 'example' },
      ]);
      const reads: string[] = [];
      const learner = new DirectoryLearner({
        directory: kit.directory,
        ctx: automation,
        read: (_ctx, _connectionId, ref) => {
          reads.push(`${ref.resourceType}/${ref.id}`);
          return ref.resourceType === 'Practitioner'
            ? Promise.resolve(r4('Practitioner-example.json'))
            : Promise.reject(Object.assign(new Error('gone'), { code: 'NOT_FOUND' }));
        },
      });
      await learner.observe(c4, [
        referralEvent(c4, 'fhir-poll', {
          kind: 'Referral',
          identifiers: [],
          status: 'active',
          performers: [{ kind: 'PractitionerRole', ehrId: 'example', identifiers: [] }],
        }),
      ]);
      assert.ok(reads.includes('Practitioner/example'), reads.join(','));
      assert.ok(!reads.includes('PractitionerRole/example'), 'the role is not read twice');
      const [destination] = await kit.directory.describe(coordinator, c4, [
        { kind: 'PractitionerRole', ref: 'PractitionerRole/example' },
      ]);
      assert.equal(destination?.name, 'Dr Adam Careful');
    });

    it('network comes from an organization an administrator marked, audited', async () => {
      const c3 = newId();
      const [ours, theirs] = await kit.directory.learn(automation, c3, [
        { kind: 'Organization', ehrId: 'own', identifiers: [], name: 'Our Clinic', source: 'fhir' },
        { kind: 'Organization', ehrId: 'ext', identifiers: [], name: 'Outside Practice', source: 'fhir' },
        {
          kind: 'HealthcareService',
          ehrId: 'hs',
          identifiers: [],
          name: 'Cardiology',
          source: 'fhir',
          links: { organization: 'Organization/ext' },
        },
      ]);
      const dest = [{ kind: 'HealthcareService', ref: 'HealthcareService/hs' }];
      assert.equal((await kit.directory.describe(coordinator, c3, dest))[0]?.network, null);
      await assert.rejects(kit.directory.setNetwork(coordinator, ours!, 'in'), { code: 'FORBIDDEN' });
      await kit.directory.setNetwork(admin, ours!, 'in');
      const [view] = await kit.directory.describe(coordinator, c3, dest);
      assert.deepEqual(
        { name: view?.name, organization: view?.organization, network: view?.network },
        { name: 'Cardiology', organization: 'Outside Practice', network: 'out' },
      );
      await kit.directory.setNetwork(admin, theirs!, 'in');
      assert.equal((await kit.directory.describe(coordinator, c3, dest))[0]?.network, 'in');
      const { rows } = await kit.db.query<{ entry: string; actor_id: string }>(
        `select entry, actor_id from audit_log where event = 'config.changed' order by seq`,
      );
      const changes = rows.map((r) => JSON.parse(r.entry) as { reason?: string; entity?: { id: string } });
      assert.deepEqual(
        changes.slice(-2).map((c) => [c.entity?.id, c.reason]),
        [
          [ours, 'directory network unset -> in'],
          [theirs, 'directory network unset -> in'],
        ],
      );
      assert.ok(rows.slice(-2).every((r) => r.actor_id === admin.actor.id));
      const [hs] = await kit.directory.search(coordinator, { q: 'cardiology', connectionId: c3 });
      await assert.rejects(kit.directory.setNetwork(admin, hs!.id, 'in'), { code: 'VALIDATION_FAILED' });
    });
  });
}

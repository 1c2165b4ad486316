import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import type { EhrEventInput, InboundJournal, PatientIdentifier, PatientRef, RequestContext } from '@steward/core';
import {
  AuditLog,
  AuditService,
  BreakGlassStore,
  EhrJournal,
  GrantStore,
  InMemoryMasterKeyProvider,
  KeyRing,
  PolicyDecisionPoint,
  queryAudit,
  verifyAuditLog,
  type PatientResolver,
} from '@steward/governance';
import { PatientIndex } from './patient-index.js';
import { PatientReviews } from './patient-reviews.js';

const fixtures = '/work/shared/fixtures/third-party';
const bootstrap = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'test',
  authMethod: 'local-operator',
} as const;
const north = { id: '5d0c7f4e-2a8b-4c1d-9e3f-6a7b8c9d0e1f', site: 'north' };
const south = { id: '6e1d8f5a-3b9c-4d2e-8f40-7b8c9d0e1f2a', site: 'south' };
const feedId = '1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d';
const coordinatorId = '3d4e5f60-7182-4c9d-8e1f-2a3b4c5d6e7f';
const complianceId = '4e5f6071-8293-4dae-9f20-3b4c5d6e7f80';

const ctx = (id: string, kind: 'service' | 'user' = 'service'): RequestContext => ({
  actor: { kind, id, name: id.slice(0, 8), authMethod: kind === 'user' ? 'password' : 'api-token' },
});

/** PID-3 (or MRG-1) of a real HL7 v2 fixture, every repetition, as identifiers: system from CX-4 and CX-5. */
function cxList(file: string, segment: 'PID' | 'MRG', field: number): PatientIdentifier[] {
  const line = readFileSync(`${fixtures}/hl7v2/${file}`, 'utf8')
    .split(/\r\n|\r|\n/)
    .find((l) => l.startsWith(`${segment}|`));
  const value = line?.split('|')[field] ?? '';
  return value
    .split('~')
    .map((cx) => cx.split('^'))
    .filter((c) => (c[0] ?? '') !== '')
    .map((c) => ({ system: `urn:hl7v2:${c[3] || 'local'}:${c[4] || 'ID'}`, value: c[0] ?? '' }));
}

function event(connectionId: string, key: string, patient: PatientRef, facts?: EhrEventInput['facts']): EhrEventInput {
  return {
    type: facts?.kind === 'Merge' ? 'patient.merged' : 'patient.updated',
    connectionId,
    channel: 'hl7v2',
    dedupKey: `hl7:${key}`,
    occurredAt: '2026-03-08T09:30:00-04:00',
    patient,
    facts: facts ?? { kind: 'Patient' },
    sourceRef: 'ADT',
  };
}

const msg = (connectionId: string, key: string) => ({
  connectionId,
  channel: 'hl7v2' as const,
  messageKey: key,
  raw: `MSH|^~\\&|EHR|X|STEWARD|X|20261122||ADT^A08|${key}|P|2.5`,
  messageType: 'ADT^A08',
  receivedAt: new Date(),
});

for (const target of storeTargets()) {
  describe(`patient index on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let audit: AuditLog;
    let index: PatientIndex;
    let reviews: PatientReviews;
    let auditService: AuditService;
    let feeds: { north: InboundJournal; south: InboundJournal };
    let cipher: KeyRing;

    before(async () => {
      db = await target.open();
      cipher = await KeyRing.open(db, InMemoryMasterKeyProvider.random());
      audit = await AuditLog.open(db, cipher);
      const grants = new GrantStore(db, audit);
      const policy = new PolicyDecisionPoint(grants, new BreakGlassStore(db, cipher, audit), audit);
      index = new PatientIndex({ db, cipher, policy, audit });
      reviews = new PatientReviews({ db, policy, audit, index });
      auditService = new AuditService({ db, cipher, audit, policy, patients: index });
      const journal = new EhrJournal(db, cipher, policy, audit, undefined, { patients: index });
      await db.query(`insert into service_accounts (id, name) values ($1, 'feed'), ($2, 'coord'), ($3, 'compliance')`, [
        feedId,
        coordinatorId,
        complianceId,
      ]);
      for (const c of [north, south]) {
        await db.query(
          `insert into ehr_connections (id, name, site, vendor, facility_time_zone, created_at, updated_at)
           values ($1, $2, $3, 'generic-r4', 'America/New_York', now(), now())`,
          [c.id, `${c.site}-adt`, c.site],
        );
      }
      const grant = (
        principalKind: 'service' | 'user',
        principalId: string,
        role: 'integration' | 'coordinator' | 'compliance_officer',
        site: string,
      ) => grants.add(bootstrap, { principalKind, principalId, role, site, workflow: '*', purposeOfUse: 'HOPERAT' });
      await grant('service', feedId, 'integration', '*');
      await grant('service', coordinatorId, 'coordinator', 'north');
      await grant('service', complianceId, 'compliance_officer', '*');
      feeds = {
        north: journal.forConnection(ctx(feedId), north),
        south: journal.forConnection(ctx(feedId), south),
      };
    });
    after(async () => {
      await audit.close();
      await db.close();
    });

    it('resolves every PID-3 repetition of a real message to one patient, and any of them finds it', async () => {
      const identifiers = cxList('fhir-converter/ADT-A06-01.hl7', 'PID', 3);
      assert.ok(identifiers.length >= 2, 'the fixture has several PID-3 repetitions');
      const first = await feeds.north.receive(msg(north.id, 'A06-1'), [event(north.id, 'A06-1', { identifiers })]);
      assert.equal(first.status, 'stored');
      const patientId = first.status === 'stored' ? first.events[0]?.patientId : undefined;
      assert.ok(patientId !== undefined, 'the stored event carries the Steward patient');
      // A later event naming only the second identifier is the same patient.
      const second = await feeds.north.receive(msg(north.id, 'A06-2'), [
        event(north.id, 'A06-2', { identifiers: [identifiers[1]!] }),
      ]);
      assert.equal(second.status === 'stored' ? second.events[0]?.patientId : undefined, patientId);
      const stored = await db.query<{ patient_id: string }>(
        `select patient_id::text as patient_id from ehr_events order by seq`,
      );
      assert.deepEqual(
        stored.rows.map((r) => r.patient_id),
        [patientId, patientId],
      );
      // Blind-indexed: no identifier value anywhere in the index's rows.
      const rows = await db.query<{ t: string }>(
        `select encode(key, 'escape') || coalesce(encode(value_key, 'escape'), '') as t from clinic_patient_keys`,
      );
      for (const r of rows.rows) for (const id of identifiers) assert.ok(!r.t.includes(id.value));
      // The receipts' audit entries name the patient.
      await audit.flush();
      const received = await db.query<{ n: number }>(
        `select count(*)::int as n from audit_log where event = 'ehr.received' and patient_ids @> array[$1::text]`,
        [patientId],
      );
      assert.equal(received.rows[0]?.n, 2);
    });

    it('links a FHIR Patient with several identifiers seen at a second site through the one it shares', async () => {
      const fhir = JSON.parse(readFileSync(`${fixtures}/fhir-r4-examples/r4-core/Patient-f201.json`, 'utf8')) as {
        id: string;
        identifier: { system?: string; value?: string }[];
      };
      const identifiers = fhir.identifier.flatMap((i) =>
        i.system && i.value ? [{ system: i.system, value: i.value }] : [],
      );
      assert.ok(identifiers.length >= 2);
      const atSouth = await feeds.south.receive(msg(south.id, 'F201'), [
        event(south.id, 'F201', { ehrId: fhir.id, identifiers }),
      ]);
      const southId = atSouth.status === 'stored' ? atSouth.events[0]?.patientId : undefined;
      assert.ok(southId);
      // North's HL7 feed knows the same person by one of those identifiers and its own MRN.
      const atNorth = await feeds.north.receive(msg(north.id, 'F201-N'), [
        event(north.id, 'F201-N', { identifiers: [{ system: 'urn:north:mrn', value: 'N-77' }, identifiers[0]!] }),
      ]);
      assert.equal(atNorth.status === 'stored' ? atNorth.events[0]?.patientId : undefined, southId);
      // The same EHR id on ANOTHER connection is not the same patient (EHR ids are per connection).
      const other = await feeds.north.receive(msg(north.id, 'F201-X'), [
        event(north.id, 'F201-X', { ehrId: fhir.id, identifiers: [] }),
      ]);
      assert.notEqual(other.status === 'stored' ? other.events[0]?.patientId : undefined, southId);
      // North's MRN, learnt with the shared identifier, now finds the patient by its bare value too.
      assert.deepEqual(await index.patientIdsFor(ctx(complianceId), 'N-77'), [southId]);
    });

    it('follows an A40 merge from the EHR: the retired patient points at the survivor, and the link is kept', async () => {
      const survivorIds = cxList('fhir-converter/ADT-A40-01.hl7', 'PID', 3);
      const retiredIds = cxList('fhir-converter/ADT-A40-01.hl7', 'MRG', 1);
      const survivor = await index.resolve(ctx(feedId), {
        connectionId: north.id,
        site: 'north',
        identifiers: survivorIds,
      });
      const retired = await index.resolve(ctx(feedId), {
        connectionId: north.id,
        site: 'north',
        identifiers: retiredIds,
      });
      assert.notEqual(survivor, retired);
      const merge = await feeds.north.receive(msg(north.id, 'A40'), [
        event(
          north.id,
          'A40',
          { identifiers: survivorIds },
          { kind: 'Merge', scope: 'patient', retired: { identifiers: retiredIds } },
        ),
      ]);
      assert.equal(merge.status === 'stored' ? merge.events[0]?.patientId : undefined, survivor);
      const later = await feeds.north.receive(msg(north.id, 'A08-old'), [
        event(north.id, 'A08-old', { identifiers: retiredIds }),
      ]);
      assert.equal(
        later.status === 'stored' ? later.events[0]?.patientId : undefined,
        survivor,
        'lookups follow the link',
      );
      // The same merge sent again: made before, so nothing to write, and it goes in one round trip (PostgreSQL).
      const before = { ...audit.stats };
      const again = await feeds.north.receive(msg(north.id, 'A40-again'), [
        event(
          north.id,
          'A40-again',
          { identifiers: survivorIds },
          { kind: 'Merge', scope: 'patient', retired: { identifiers: retiredIds } },
        ),
      ]);
      assert.equal(again.status === 'stored' ? again.events[0]?.patientId : undefined, survivor);
      if (db.kind === 'postgres') assert.equal(audit.stats.oneTrip, before.oneTrip + 1, 'in one round trip');
      const links = await db.query<{ kind: string; source: string; source_ref: string; other: string }>(
        `select kind, source, source_ref, other_patient_id::text as other from clinic_patient_links where patient_id = $1 order by seq`,
        [retired],
      );
      assert.equal(links.rows.filter((l) => l.kind === 'merged').length, 1, 'merged once');
      const merged = links.rows.find((l) => l.kind === 'merged');
      assert.equal(merged?.other, survivor);
      assert.equal(merged?.source, 'ehr');
      assert.equal(merged?.source_ref, merge.status === 'stored' ? merge.events[0]?.id : '', 'names the merge event');
      // "Who accessed this patient" by the retired MRN answers with both ids' entries.
      const ids = await index.patientIdsFor(ctx(complianceId), `${retiredIds[0]!.system}|${retiredIds[0]!.value}`);
      assert.deepEqual([...ids].sort(), [survivor, retired].sort());
    });

    it('sends a same-name-same-birth-date patient with another MRN to review, never merging it silently', async () => {
      const name = { family: 'van de Heuvel', given: ['Pieter'] };
      const demographics = { name, birthDate: '1944-11-17', gender: 'male' as const };
      const a = await index.resolve(ctx(feedId), {
        connectionId: north.id,
        site: 'north',
        identifiers: [{ system: 'urn:north:mrn', value: 'N-1' }],
        demographics,
      });
      const b = await index.resolve(ctx(feedId), {
        connectionId: north.id,
        site: 'north',
        identifiers: [{ system: 'urn:north:mrn', value: 'N-2' }],
        demographics: { ...demographics, name: { family: 'Van de HEUVEL', given: ['Piéter'] } },
      });
      assert.notEqual(a, b, 'its own patient');
      const coordinator = ctx(coordinatorId);
      const open = await reviews.list(coordinator);
      const review = open.find((r) => r.patient.id === b);
      assert.equal(review?.candidate.id, a);
      assert.equal(review?.patient.birthDate, '1944-11-17');
      // A compliance officer finds both by name and birth date, for an access review.
      assert.deepEqual(
        [...(await index.patientIdsFor(ctx(complianceId), 'van de Heuvel, Pieter 1944-11-17'))].sort(),
        [a, b].sort(),
      );
      // The coordinator links them: B retires into A, audited with both.
      const linked = await reviews.link(coordinator, review.id);
      assert.equal(linked.status, 'linked');
      assert.deepEqual([...(await index.patientIdsFor(coordinator, 'urn:north:mrn|N-2'))].sort(), [a, b].sort());
      await assert.rejects(reviews.dismiss(coordinator, review.id), { code: 'VERSION_CONFLICT' });
      await audit.flush();
      const entry = await db.query<{ n: number }>(
        `select count(*)::int as n from audit_log where event = 'phi.update' and actor_id = $1 and patient_ids @> array[$2::text, $3::text]`,
        [coordinatorId, a, b],
      );
      assert.equal(entry.rows[0]?.n, 1);
    });

    it('learns the demographics of a patient seen by EHR id only, once, and sends a look-alike to review', async () => {
      const demographics = {
        name: { family: 'Okafor', given: ['Ngozi'] },
        birthDate: '1961-02-03',
        gender: 'female' as const,
      };
      const known = await index.resolve(ctx(feedId), {
        connectionId: north.id,
        site: 'north',
        identifiers: [{ system: 'urn:north:mrn', value: 'N-OK-1' }],
        demographics,
      });
      const bare = await index.resolve(ctx(feedId), {
        connectionId: north.id,
        site: 'north',
        ehrId: 'fhir-okafor',
        identifiers: [],
      });
      assert.deepEqual(await index.withoutDemographics([known, bare]), [bare]);
      // Whoever may not file EHR data nor write PHI at the patient's site is refused.
      await assert.rejects(index.learnDemographics(ctx(complianceId), bare, demographics), { code: 'FORBIDDEN' });
      assert.equal(await index.learnDemographics(ctx(feedId), bare, demographics, north.id), true);
      assert.deepEqual(await index.withoutDemographics([bare]), []);
      // A later word never overwrites them.
      const other = { name: { family: 'Other', given: ['Name'] }, birthDate: '1990-01-01' };
      assert.equal(await index.learnDemographics(ctx(feedId), bare, other), false);
      const [summary] = await index.find(ctx(coordinatorId), { term: bare });
      assert.deepEqual(summary?.name, demographics.name);
      assert.equal(summary?.birthDate, '1961-02-03');
      // Same name and birth date as another patient: a review, never a merge.
      const review = (await reviews.list(ctx(coordinatorId))).find((r) => r.patient.id === bare);
      assert.equal(review?.candidate.id, known);
      assert.equal(review?.reason, 'same-name-and-birth-date');
      assert.deepEqual(
        [...(await index.patientIdsFor(ctx(complianceId), 'Okafor, Ngozi 1961-02-03'))].sort(),
        [known, bare].sort(),
      );
      await audit.flush();
      const entries = await db.query<{ entry: string }>(
        `select entry from audit_log where event = 'phi.update' and actor_id = $1 and patient_ids = array[$2::text]`,
        [feedId, bare],
      );
      const fields = entries.rows.map((r) => (JSON.parse(r.entry) as { fields?: string[] }).fields ?? []);
      assert.ok(
        fields.some((f) => f.includes('name')),
        'the learning is audited with the patient',
      );
      for (const r of entries.rows) assert.ok(!r.entry.includes('Okafor'), 'no PHI in the audit entry');
    });

    it('links a FHIR-fed patient to the HL7-fed one by the MRN its Patient resource carries, and gives the survivor the demographics', async () => {
      const mrn = { system: 'urn:north:mrn', value: 'N-AB-7' };
      const demographics = { name: { family: 'Abara', given: ['Chi'] }, birthDate: '1970-04-05' };
      // The HL7 feed named the patient by MRN (no demographics); a FHIR order only by EHR id.
      const byMrn = await index.resolve(ctx(feedId), { connectionId: north.id, site: 'north', identifiers: [mrn] });
      const byEhrId = await index.resolve(ctx(feedId), {
        connectionId: north.id,
        site: 'north',
        ehrId: 'fhir-abara',
        identifiers: [],
      });
      assert.notEqual(byMrn, byEhrId);
      // An unrelated MRN links nothing.
      const stranger = await index.resolve(ctx(feedId), {
        connectionId: north.id,
        site: 'north',
        identifiers: [{ system: 'urn:north:mrn', value: 'N-ZZ-9' }],
      });
      assert.equal(
        await index.learnDemographics(ctx(feedId), byEhrId, demographics, north.id, {
          ehrId: 'fhir-abara',
          identifiers: [mrn],
        }),
        true,
      );
      const [one] = await index.find(ctx(coordinatorId), { term: 'fhir-abara' });
      assert.equal(one?.id, byMrn, 'merged into the older patient, the one the MRN named');
      assert.deepEqual(one?.mergedIds, [byEhrId]);
      assert.deepEqual(one?.name, demographics.name);
      const [other] = await index.find(ctx(coordinatorId), { term: stranger });
      assert.deepEqual(other?.mergedIds, [], 'an unrelated patient stays apart');
      await audit.flush();
      const entries = await db.query<{ entry: string }>(
        `select entry from audit_log where event = 'phi.update' and patient_ids @> array[$1::text, $2::text]`,
        [byMrn, byEhrId],
      );
      assert.equal(entries.rows.length, 1, 'the linking is audited naming both patients');
      assert.ok(!entries.rows[0]!.entry.includes('N-AB-7') && !entries.rows[0]!.entry.includes('Abara'));
    });

    it('names the patient a message is about on its receipt when it files no event', async () => {
      const mrn = { system: 'urn:north:mrn', value: 'N-DOC-1' };
      const fhirMsg = (key: string, subject: PatientRef) => ({
        ...msg(north.id, key),
        channel: 'fhir-poll' as const,
        raw: '{"resourceType":"DocumentReference","status":"superseded"}',
        messageType: 'DocumentReference',
        subject,
      });
      // A superseded document of a patient known by MRN: no event, the receipt names them.
      const known = await index.resolve(ctx(feedId), { connectionId: north.id, site: 'north', identifiers: [mrn] });
      const first = await feeds.north.receive(fhirMsg('DocumentReference/d1/_history/1', { identifiers: [mrn] }), []);
      assert.deepEqual(first.status === 'stored' ? first.events : undefined, []);
      // A patient first met so (by EHR id), a resend of it, and one kept but not routed.
      const bare = { ehrId: 'fhir-doc-only', identifiers: [] };
      const second = await feeds.north.receive(fhirMsg('DocumentReference/d2/_history/1', bare), []);
      const again = await feeds.north.receive(fhirMsg('DocumentReference/d2/_history/1', bare), []);
      const ignored = await feeds.north.ignore(fhirMsg('Observation/o1/_history/1', bare), 'not routed');
      assert.equal(again.status, 'duplicate');
      assert.equal(ignored.status, 'ignored');
      const found = await index.patientIdOf({
        connectionId: north.id,
        site: 'north',
        ehrId: 'fhir-doc-only',
        identifiers: [],
      });
      assert.ok(found !== undefined, 'the patient met by a message without events is in the index');
      await audit.flush();
      const receipts = async (ids: readonly string[]) => {
        const { rows } = await db.query<{ patient_ids: string[]; entry: string }>(
          `select patient_ids, entry from audit_log where event = 'ehr.received' order by seq`,
        );
        return rows.filter((r) => ids.includes((JSON.parse(r.entry) as { entity: { id: string } }).entity.id));
      };
      const named = await receipts([first, second, again, ignored].map((o) => o.messageId));
      assert.deepEqual(
        named.map((r) => r.patient_ids),
        [[known], [found], [found], [found]],
      );
      for (const r of named) assert.ok(!r.entry.includes('fhir-doc-only') && !r.entry.includes('N-DOC-1'));
      // A message that names no patient (a practitioner) and files no event names nobody.
      const staff = await feeds.north.receive(
        { ...msg(north.id, 'Practitioner/p1/_history/1'), channel: 'fhir-poll' },
        [],
      );
      await audit.flush();
      const none = await receipts([staff.messageId]);
      assert.deepEqual(
        none.map((r) => r.patient_ids),
        [[]],
      );
    });

    it('sends look-alikes arriving from the feed to review, matched on the demographics it sent', async () => {
      const demographics = {
        name: { family: 'Everyman', given: ['Adam'] },
        birthDate: '1961-06-15',
        gender: 'male' as const,
      };
      // Sent together, so both may resolve in one writer transaction (the look-alike is then a patient of the same pass).
      const [first, second] = await Promise.all(
        ['LA-1', 'LA-2'].map((key) =>
          feeds.south.receive(msg(south.id, key), [
            event(south.id, key, { identifiers: [{ system: 'urn:south:mrn', value: key }], demographics }),
          ]),
        ),
      );
      const ids = [first, second].map((o) => (o?.status === 'stored' ? o.events[0]?.patientId : undefined));
      assert.ok(ids[0] !== undefined && ids[1] !== undefined && ids[0] !== ids[1], 'two patients, not merged');
      const rows = await db.query<{ patient_id: string; candidate_id: string; status: string }>(
        `select patient_id::text as patient_id, candidate_id::text as candidate_id, status from clinic_patient_reviews
          where patient_id = any($1::uuid[]) or candidate_id = any($1::uuid[])`,
        [ids],
      );
      assert.equal(rows.rows.length, 1);
      assert.deepEqual([rows.rows[0]?.patient_id, rows.rows[0]?.candidate_id].sort(), [...ids].sort());
      assert.equal(rows.rows[0]?.status, 'open');
    });

    it('answers "who accessed this patient" for an MRN through the audit search', async () => {
      const identifiers = cxList('fhir-converter/ADT-A06-01.hl7', 'PID', 3);
      const compliance = ctx(complianceId);
      const page = await auditService.query(compliance, { patient: identifiers[0]!.value, event: 'ehr.received' });
      assert.equal(page.items.length, 2);
      const none = await auditService.query(compliance, { patient: 'NO-SUCH-MRN' });
      assert.equal(none.items.length, 0, 'a term naming no patient finds nothing, not everything');
    });

    it('looks a sighting up without creating it, and takes a UUID term for an MRN that is one', async () => {
      const ehrId = '0f4b8c2e-6d1a-4e3b-9c5f-7a8b9c0d1e2f';
      const mrn = { system: 'urn:north:mrn', value: '2c9e4a7b-1f3d-4b6e-8a0c-5d7e9f1a3b5c' };
      const stored = await feeds.north.receive(msg(north.id, 'UUID-1'), [
        event(north.id, 'UUID-1', { ehrId, identifiers: [mrn] }),
      ]);
      const patientId = stored.status === 'stored' ? stored.events[0]?.patientId : undefined;
      assert.ok(patientId !== undefined);
      const count = async (): Promise<number> =>
        Number((await db.query<{ n: string }>('select count(*) as n from clinic_patients')).rows[0]!.n);
      const before = await count();
      // By the EHR id on its connection, or by an identifier; the same EHR id elsewhere is nobody.
      assert.equal(
        await index.patientIdOf({ connectionId: north.id, site: 'north', ehrId, identifiers: [] }),
        patientId,
      );
      assert.equal(await index.patientIdOf({ connectionId: south.id, site: 'south', identifiers: [mrn] }), patientId);
      assert.equal(
        await index.patientIdOf({ connectionId: south.id, site: 'south', ehrId, identifiers: [] }),
        undefined,
      );
      assert.equal(await count(), before, 'a lookup creates no patient');
      // The MRN's value is a UUID: it is searched as a value, not taken for a Steward id.
      assert.deepEqual(await index.patientIdsFor(ctx(complianceId), mrn.value), [patientId]);
      assert.deepEqual(await index.patientIdsFor(ctx(complianceId), patientId), [patientId]);
    });

    it('finds patients only where the caller may search, and audits the search with them', async () => {
      const coordinator = ctx(coordinatorId);
      const [found] = await index.find(coordinator, { term: 'urn:north:mrn|N-1' });
      assert.equal(found?.name?.family, 'van de Heuvel');
      assert.equal(found?.mergedIds.length, 1, 'the patient linked by review');
      // The south patient (F201) is outside a north coordinator's scope: not there.
      assert.deepEqual(await index.find(coordinator, { term: 'urn:north:mrn|N-77' }), []);
    });

    it('finds a patient by a name one letter off and the birth date only when asked, and audits the search as near', async () => {
      const coordinator = ctx(coordinatorId);
      const [found] = await index.find(coordinator, { term: 'urn:north:mrn|N-1' });
      const name = found?.name;
      assert.ok(name !== undefined && found?.birthDate !== undefined);
      const misread = `${name.family.replace(/e/, 'c')}, ${name.given[0] ?? ''} ${found.birthDate}`;
      assert.deepEqual(await index.find(coordinator, { term: misread }), [], 'the name as read finds nobody');
      const nearHits = await index.find(coordinator, { term: misread, near: true });
      assert.deepEqual(
        nearHits.map((p) => p.id),
        [found.id],
      );
      const exact = `${name.family}, ${name.given[0] ?? ''} ${found.birthDate}`;
      assert.deepEqual(await index.find(coordinator, { term: exact, near: true }), [], 'near is never the name itself');
      await audit.flush();
      const searches = (await queryAudit(db, cipher, { events: ['phi.search'], actorId: coordinatorId })).entries;
      assert.deepEqual(
        searches
          .filter((e) => e.query?.['near'] === 'one letter off')
          .map((e) => e.reason)
          .sort(),
        ['matches:0', 'matches:1'],
        'each near search is on the trail, said to be near, with what it found',
      );
    });

    it('files messages about known patients in one round trip with the resolver (PostgreSQL): the same rows, patient ids and receipts as the general path', async () => {
      const mrn = (v: string) => ({ identifiers: [{ system: 'urn:north:mrn', value: v }] });
      // Two patients met first (a new patient is written in the filing transaction: the general path).
      const seed = await feeds.north.receiveMany!([
        { message: msg(north.id, 'OT-SEED-A'), events: [event(north.id, 'OT-SEED-A', mrn('OT-A'))] },
        { message: msg(north.id, 'OT-SEED-B'), events: [event(north.id, 'OT-SEED-B', mrn('OT-B'))] },
      ]);
      const seeded = seed.map((o) => (o.status === 'stored' ? o.events[0]?.patientId : undefined));
      assert.ok(seeded[0] !== undefined && seeded[1] !== undefined && seeded[0] !== seeded[1]);
      const links = async () =>
        (await db.query<{ n: number }>('select count(*)::int as n from clinic_patient_links')).rows[0]!.n;
      const receipts = async (ids: readonly string[]) => {
        await audit.flush();
        await general.flush();
        const { rows } = await db.query<{ patient_ids: string[]; entry: string }>(
          `select patient_ids, entry from audit_log where event = 'ehr.received' order by seq`,
        );
        return ids.map((id) =>
          rows
            .filter((r) => (JSON.parse(r.entry) as { entity: { id: string } }).entity.id === id)
            .map((r) => r.patient_ids),
        );
      };
      const batch = (prefix: string) =>
        ['OT-A', 'OT-B', 'OT-A', 'OT-B', 'OT-A'].map((v, i) => ({
          message: msg(north.id, `${prefix}-${i}`),
          events: [event(north.id, `${prefix}-${i}`, mrn(v))],
        }));
      // The same kind of batch through a journal whose writer keeps the general path (in the transaction).
      const general = await AuditLog.open(db, cipher, { oneTrip: false });
      const grants = new GrantStore(db, general);
      const policy = new PolicyDecisionPoint(grants, new BreakGlassStore(db, cipher, general), general);
      const generalJournal = new EhrJournal(db, cipher, policy, general, undefined, { patients: index }).forConnection(
        ctx(feedId),
        north,
      );
      try {
        const linksBefore = await links();
        const viaGeneral = await generalJournal.receiveMany!(batch('OT-G'));
        await feeds.north.receive(msg(north.id, 'OT-HEAD'), [event(north.id, 'OT-HEAD', mrn('OT-A'))]); // head re-read
        const before = { ...audit.stats };
        const viaOneTrip = await feeds.north.receiveMany!(batch('OT-1'));
        if (db.kind === 'postgres') {
          assert.equal(audit.stats.oneTrip, before.oneTrip + 1, 'the batch went in one round trip');
          assert.equal(audit.stats.general, before.general, 'no batch took the general path');
        } else assert.equal(audit.stats.oneTrip, 0, 'PGlite keeps the general path');
        const idsOf = (outcomes: typeof viaGeneral) =>
          outcomes.map((o) => (o.status === 'stored' ? o.events.map((e) => e.patientId) : o.status));
        const expected = [[seeded[0]], [seeded[1]], [seeded[0]], [seeded[1]], [seeded[0]]];
        assert.deepEqual(idsOf(viaGeneral), expected);
        assert.deepEqual(idsOf(viaOneTrip), expected, 'the same patients as the general path');
        const stored = await db.query<{ dedup_key: string; patient_id: string }>(
          `select dedup_key, patient_id::text as patient_id from ehr_events
            where dedup_key like 'hl7:OT-G-%' or dedup_key like 'hl7:OT-1-%' order by seq`,
        );
        assert.deepEqual(
          stored.rows.map((r) => [r.dedup_key.replace(/OT-[G1]-/, ''), r.patient_id]),
          [...expected, ...expected].map((ids, i) => [`hl7:${i % 5}`, ids[0]]),
          'the stored events carry the same patients',
        );
        assert.equal(await links(), linksBefore, 'known patients: no link written by either path');
        assert.deepEqual(
          await receipts(viaOneTrip.map((o) => o.messageId)),
          await receipts(viaGeneral.map((o) => o.messageId)),
          'each receipt audited once, naming the same patient',
        );
        assert.deepEqual(
          (await receipts(viaOneTrip.map((o) => o.messageId))).map((r) => r.length),
          [1, 1, 1, 1, 1],
        );
      } finally {
        await general.close();
      }
      const v = await verifyAuditLog(db);
      assert.ok(v.ok, JSON.stringify(v));
    });

    it('files the general way when a patient resolved before the statement was merged meanwhile (PostgreSQL: SQLSTATE SA002), naming the survivor', async () => {
      const mrn = (v: string) => ({ identifiers: [{ system: 'urn:north:mrn', value: v }] });
      const seed = await feeds.north.receiveMany!([
        { message: msg(north.id, 'RC-SEED-A'), events: [event(north.id, 'RC-SEED-A', mrn('RC-A'))] },
        { message: msg(north.id, 'RC-SEED-B'), events: [event(north.id, 'RC-SEED-B', mrn('RC-B'))] },
      ]);
      const [survivor, retired] = seed.map((o) => (o.status === 'stored' ? o.events[0]?.patientId : undefined));
      assert.ok(survivor !== undefined && retired !== undefined && survivor !== retired);
      // A resolver that, once, lets another process merge B into A after it read B's key.
      let race: (() => Promise<unknown>) | undefined;
      const racing: PatientResolver = {
        resolveEvents: (tx, c, site, events) => index.resolveEvents(tx, c, site, events),
        resolveKnown: async (c, site, events) => {
          const known = await index.resolveKnown(c, site, events);
          const once = race;
          race = undefined;
          await once?.();
          return known;
        },
      };
      const grants = new GrantStore(db, audit);
      const policy = new PolicyDecisionPoint(grants, new BreakGlassStore(db, cipher, audit), audit);
      const journal = new EhrJournal(db, cipher, policy, audit, undefined, { patients: racing }).forConnection(
        ctx(feedId),
        north,
      );
      await journal.receive(msg(north.id, 'RC-HEAD'), [event(north.id, 'RC-HEAD', mrn('RC-A'))]);
      race = () => db.query('update clinic_patients set merged_into = $1 where id = $2', [survivor, retired]);
      if (db.kind !== 'postgres') {
        // PGlite keeps the general path (no read before the statement): the merge simply comes first.
        await race();
        race = undefined;
      }
      const before = { ...audit.stats };
      const outcomes = await journal.receiveMany!(
        ['RC-A', 'RC-B', 'RC-B'].map((v, i) => ({
          message: msg(north.id, `RC-${i}`),
          events: [event(north.id, `RC-${i}`, mrn(v))],
        })),
      );
      assert.equal(race, undefined, 'the race ran');
      if (db.kind === 'postgres') {
        assert.equal(audit.stats.readMoved, before.readMoved + 1, 'the statement saw the patient move');
        assert.equal(audit.stats.fellBack, before.fellBack + 1);
        assert.equal(audit.stats.general, before.general + 1, 'and the batch went the general way');
      }
      assert.deepEqual(
        outcomes.map((o) => (o.status === 'stored' ? o.events.map((e) => e.patientId) : o.status)),
        [[survivor], [survivor], [survivor]],
        'every event names the survivor, as resolving in the transaction does',
      );
      const rows = await db.query<{ message_key: string; n: number; events: number }>(
        `select i.message_key, count(distinct i.id)::int as n, count(e.id)::int as events
           from ehr_inbound i left join ehr_events e on e.inbound_id = i.id
          where i.message_key in ('RC-0', 'RC-1', 'RC-2') group by 1 order by 1`,
      );
      assert.deepEqual(
        rows.rows.map((r) => [r.message_key, r.n, r.events]),
        [
          ['RC-0', 1, 1],
          ['RC-1', 1, 1],
          ['RC-2', 1, 1],
        ],
        'none lost, none twice',
      );
      const v = await verifyAuditLog(db);
      assert.ok(v.ok, JSON.stringify(v));
    });
  });
}

/**
 * Referrals as EHRs send them (issue 12): recognised by their codes with the deciding rule kept,
 * closed the way the closed-loop referral IGs close them (a completed Task with an output), ended
 * with a reason, and found by an appointment whichever way the referral arrived.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceRequest, Task } from '@medplum/fhirtypes';
import { thirdPartyFixture } from '@steward/core/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { storeTargets, type StoreTarget, type TestDatabase } from '@steward/store/testing';
import type { ReferralState } from './referral-model.js';
import { appointment, HOUR, PATIENT, referralKit, referralTask } from './referral-test-kit.js';

const SCT = 'http://snomed.info/sct';

function sharedStore(target: StoreTarget): (fn: (db: TestDatabase) => Promise<void>) => Promise<void> {
  let db: TestDatabase | undefined;
  before(async () => {
    if (target.skip === undefined) db = await target.open();
  });
  after(async () => {
    await db?.close();
  });
  return (fn) => (db === undefined ? Promise.reject(new Error('store not open')) : fn(db));
}

/** A referral with no word "referral" anywhere: the category code and a coded service only. */
function codedReferral(id: string, extra: Partial<ServiceRequest> = {}): ServiceRequest {
  return {
    resourceType: 'ServiceRequest',
    id,
    status: 'active',
    intent: 'order',
    category: [{ coding: [{ system: SCT, code: '3457005' }] }],
    code: { coding: [{ system: SCT, code: '183519002' }] },
    subject: { reference: PATIENT },
    requester: { reference: 'Practitioner/pcp-1' },
    performer: [{ reference: 'PractitionerRole/card-role' }],
    ...extra,
  };
}

const task = (id: string, srId: string, status: Task['status'], extra: Partial<Task> = {}): Task => ({
  ...referralTask(id, srId, status),
  ...extra,
});

/** A fixture message sent now (MSH-7 at the kit's clock), so its timers are not long overdue. */
const hl7 = (name: string): string =>
  withField(
    readFileSync(join(thirdPartyFixture('hl7v2'), 'fhir-converter', name), 'utf8').replace(/^\uFEFF/, ''), // some start with a BOM
    'MSH',
    6, // MSH-7: MSH-1 is the field separator itself
    '20260302140000+0000',
  );
/** Sets one field of the first segment named `segment` (line-feed or CR separated). */
function withField(message: string, segment: string, index: number, value: string): string {
  const lines = message.split(/\r\n|\r|\n/);
  const i = lines.findIndex((l) => l.startsWith(`${segment}|`));
  const fields = lines[i]!.split('|');
  while (fields.length <= index) fields.push('');
  fields[index] = value;
  lines[i] = fields.join('|');
  return lines.join('\r');
}

for (const target of storeTargets()) {
  describe(`referral recognition and closure on ${target.name}`, { skip: target.skip }, () => {
    const store = sharedStore(target);

    it('starts a coded referral (category only), records the rule; a lab order starts nothing', async () => {
      await store(async (db) => {
        const k = await referralKit(db);
        await k.save(codedReferral('sr1'));
        const s = (await k.stateOf('sr1')).state as ReferralState;
        assert.equal(s.stage, 'sent');
        assert.deepEqual(
          { rule: s.recognisedBy?.rule, origin: s.recognisedBy?.origin },
          { rule: 'referral-category', origin: 'vendor' },
        );
        await k.save(
          codedReferral('lab1', {
            category: [{ coding: [{ system: SCT, code: '108252007' }] }],
            code: { coding: [{ system: 'http://loinc.org', code: '24331-1' }] },
          }),
        );
        assert.deepEqual(await k.referralKeys(), [s.connectionId !== null ? `referral:${s.connectionId}:sr1` : '']);
      });
    });

    it('closes on a completed Task with an output (a DiagnosticReport), without a separate note', async () => {
      await store(async (db) => {
        const k = await referralKit(db);
        await k.save(codedReferral('sr2'));
        await k.save(task('t2', 'sr2', 'accepted'));
        await k.advance(HOUR);
        await k.save(
          task('t2', 'sr2', 'completed', {
            output: [
              { type: { text: 'result' }, valueString: 'not read' },
              { type: { text: 'result' }, valueReference: { reference: 'DiagnosticReport/dr-9' } },
            ],
          }),
        );
        const snap = await k.stateOf('sr2');
        const s = snap.state as ReferralState;
        assert.equal(snap.status, 'completed');
        assert.equal(s.stage, 'closed');
        assert.deepEqual(
          s.history.map((h) => h.stage),
          ['sent', 'accepted', 'reported', 'closed'],
        );
        assert.deepEqual(s.ending, { how: 'task-output', by: 'DiagnosticReport', detail: 'DiagnosticReport/dr-9' });
        assert.equal(s.leaked, null);
      });
    });

    it('a completed Task without an output does not close by itself (the report is still awaited)', async () => {
      await store(async (db) => {
        const k = await referralKit(db);
        await k.save(codedReferral('sr3'));
        await k.save(task('t3', 'sr3', 'completed'));
        const s = (await k.stateOf('sr3')).state as ReferralState;
        assert.equal(s.stage, 'sent');
        assert.equal(s.requestCompleted, true);
        assert.equal(s.endedAt, null);
      });
    });

    it('a rejected Task ends the referral with its coded reason; free text is not kept', async () => {
      await store(async (db) => {
        const k = await referralKit(db);
        await k.save(codedReferral('sr4'));
        await k.save(
          task('t4', 'sr4', 'rejected', {
            statusReason: {
              coding: [{ system: 'http://example.org/reasons', code: 'out-of-scope' }],
              text: 'patient details here',
            },
          }),
        );
        const snap = await k.stateOf('sr4');
        const s = snap.state as ReferralState;
        assert.equal(snap.status, 'completed');
        assert.equal(s.leaked, 'cancelled');
        assert.deepEqual(s.ending, { how: 'rejected', by: 'task', detail: 'http://example.org/reasons|out-of-scope' });
        assert.ok(!JSON.stringify(s).includes('patient details'));
      });
    });

    it('an appointment based on the referral by identifier only (a logical reference) is linked to it', async () => {
      await store(async (db) => {
        const k = await referralKit(db);
        await k.save(codedReferral('sr5', { identifier: [{ system: 'urn:oid:1.2.3.4', value: 'R-77' }] }));
        const a = appointment('a5', undefined, 'booked', '2026-03-10T15:00:00Z');
        await k.save({ ...a, basedOn: [{ identifier: { system: 'urn:oid:1.2.3.4', value: 'R-77' } }] });
        const s = (await k.stateOf('sr5')).state as ReferralState;
        assert.equal(s.stage, 'scheduled');
        assert.equal(s.appointment, 'Appointment/a5');
      });
    });

    it('an HL7 REF referral is found by an SIU placer order number and by a FHIR appointment naming its ServiceRequest', async () => {
      await store(async (db) => {
        const k = await referralKit(db);
        // RF1-6 226839^EPIC: the referral number; the SIU's SCH-26 carries the same number as its placer order.
        await k.receiveHl7(hl7('REF-I12-01.hl7'));
        const [key] = await k.referralKeys();
        assert.ok(key !== undefined && key.includes(':h-'), 'keyed by its identifier');
        const first = (await k.stateOf(key)).state as ReferralState;
        assert.equal(first.recognisedBy?.rule, 'hl7-referral-message');
        await k.receiveHl7(withField(hl7('SIU-S12-01.hl7'), 'SCH', 26, '226839^EPIC'));
        let s = (await k.stateOf(key)).state as ReferralState;
        assert.equal(s.stage, 'scheduled');

        // The same referral later seen over FHIR with the same identifier: one workflow, and an
        // appointment naming the ServiceRequest's id finds it too.
        await k.save(
          codedReferral('sr6', {
            identifier: [{ system: 'urn:steward:hl7v2:aa:EPIC', value: '226839' }],
          }),
        );
        assert.deepEqual(await k.referralKeys(), [key]);
        await k.save(
          task('t6', 'sr6', 'completed', {
            output: [{ type: { text: 'note' }, valueReference: { reference: 'DocumentReference/d6' } }],
          }),
        );
        s = (await k.stateOf(key)).state as ReferralState;
        assert.equal(s.stage, 'closed');
      });
    });
    it('an ORM order for a coded referral service starts one; its final ORU result and ORC-5 CM close it', async () => {
      await store(async (db) => {
        const k = await referralKit(db);
        const now = '20260302140000+0000';
        const orm = withField(hl7('ORM-O01-01.hl7'), 'OBR', 4, '306206005^^SCT');
        await k.receiveHl7(withField(orm, 'ORC', 9, now));
        const [key] = await k.referralKeys();
        assert.ok(key !== undefined);
        assert.equal(((await k.stateOf(key)).state as ReferralState).recognisedBy?.rule, 'referral-code');
        let oru = withField(hl7('ORU-R01-01.hl7'), 'OBR', 2, '1101^GHHPlacer');
        for (const [field, value] of [
          [7, now],
          [22, now],
          [25, 'F'],
        ] as const)
          oru = withField(oru, 'OBR', field, value);
        await k.receiveHl7(oru);
        assert.equal(((await k.stateOf(key)).state as ReferralState).stage, 'reported');
        const done = withField(withField(withField(orm, 'MSH', 9, 'MSG-CM-1'), 'ORC', 1, 'SC'), 'ORC', 5, 'CM');
        await k.receiveHl7(withField(done, 'ORC', 9, now));
        const snap = await k.stateOf(key);
        const s = snap.state as ReferralState;
        assert.equal(snap.status, 'completed');
        assert.equal(s.stage, 'closed');
        assert.deepEqual(s.ending, { how: 'report-and-completion', by: null, detail: null });
        assert.deepEqual(await k.referralKeys(), [key], 'the lab ORU did not start anything');
      });
    });
  });
}

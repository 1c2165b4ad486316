/**
 * One referral whichever channel brings it (referral-numbers.ts): the EHR sends the same order as a
 * FHIR ServiceRequest (identifier under its URI system) and as an HL7 REF^I12 (RF1-6 under a local
 * namespace), in either order, on one connection or two of the same site. The guards: another
 * patient, two explicit systems, or no resolved patient never make two referrals one.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EhrEvent } from '@steward/core';
import { storeTargets, type StoreTarget, type TestDatabase } from '@steward/store/testing';
import type { ReferralState } from './referral-model.js';
import { CONN, referralKit, referralTask, serviceRequest, type ReferralKitOptions } from './referral-test-kit.js';

const HL7_CONN = '7a2d3c8f-3e1b-4d58-8b66-1c9e8d2f0b12';
const FHIR_SYSTEM = 'https://ehr.example.org/referral-id';

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

/** REF^I12 as the clinic's interface sends it: RF1-6 and RF1-11 `<number>^SANDBOX`, PID-3 the MRN. */
function refI12(control: string, number: string, mrn: string, event = 'I12'): string {
  return [
    `MSH|^~\\&|EHR|CLINIC|STEWARD|CLINIC|20260302090000-0500||REF^${event}^REF_I12|${control}|P|2.5.1`,
    `RF1|P^Pending^HL70283|R^Routine^HL70280|Med^Medical^HL70281||O^Outpatient^HL70284|${number}^SANDBOX|20260302||20260302|207RC0000X^Referral to Cardiology^NUCC|${number}^SANDBOX`,
    'PRD|RP^Referring Provider^HL70286|Wilkinson^Crissy||||||1234567890^NPI',
    'PRD|RT^Referred to Provider^HL70286|Torphy^Tyron||^^^Lakeside Cardiology|||1987654321^NPI',
    `PID|1||${mrn}^^^^MR||Emmerich^Augustus||19951230|M`,
  ].join('\r');
}

/** The patient index as the journal would have it: FHIR `Patient/pat-1` and MRN-1 are one person. */
const onePerson: ReferralKitOptions['patientOf'] = (e: EhrEvent) => {
  if (e.patient.ehrId === 'pat-1') return 'P1';
  const mrn = e.patient.identifiers[0]?.value;
  return mrn === 'MRN-1' ? 'P1' : mrn === 'MRN-2' ? 'P2' : undefined;
};

const withNumber = (number: string, system = FHIR_SYSTEM) => ({ identifier: [{ system, value: number }] });

for (const target of storeTargets()) {
  describe(`one referral over FHIR and HL7 (${target.name})`, { skip: target.skip }, () => {
    const store = sharedStore(target);

    it('HL7 first, then the ServiceRequest: one referral, the FHIR copy fills its request, owner and destination', async () => {
      await store(async (db) => {
        const k = await referralKit(db, {}, { patientOf: onePerson });
        await k.receiveHl7(refI12('C1', 'REF-9', 'MRN-1'));
        const [key] = await k.referralKeys();
        let s = (await k.stateOf(key!)).state as ReferralState;
        assert.equal(s.serviceRequest, null);
        assert.equal(s.owner, null, 'an HL7 requester has no EHR reference');
        await k.save(serviceRequest('sr9', withNumber('REF-9')));
        assert.deepEqual(await k.referralKeys(), [key], 'one referral, not two');
        s = (await k.stateOf(key!)).state as ReferralState;
        assert.equal(s.serviceRequest, 'ServiceRequest/sr9');
        assert.equal(s.owner, 'Practitioner/pcp-1');
        assert.equal(s.requester?.ref, 'Practitioner/pcp-1');
        assert.deepEqual(
          s.performers.map((p) => p.ref),
          ['PractitionerRole/card-role', 'Organization/card-org'],
        );
        assert.equal(s.eventIds.length, 2, 'the second arrival is an event of the same referral');
        // The FHIR Task names the ServiceRequest: it moves the same referral.
        await k.save(referralTask('t9', 'sr9', 'received'));
        s = (await k.stateOf(key!)).state as ReferralState;
        assert.equal(s.stage, 'received');
        assert.deepEqual(await k.referralKeys(), [key]);
      });
    });

    it('the ServiceRequest first, then HL7 (I12 and a later I13): one referral keyed by the ServiceRequest', async () => {
      await store(async (db) => {
        const k = await referralKit(db, {}, { patientOf: onePerson });
        await k.save(serviceRequest('sr9', withNumber('REF-9')));
        await k.receiveHl7(refI12('C1', 'REF-9', 'MRN-1'));
        await k.receiveHl7(refI12('C2', 'REF-9', 'MRN-1', 'I13'));
        assert.deepEqual(await k.referralKeys(), [`referral:${CONN}:sr9`]);
        const s = (await k.stateOf('sr9')).state as ReferralState;
        assert.equal(s.eventIds.length, 3, 'both HL7 messages are events of it');
        assert.equal(
          s.requester?.ref,
          'Practitioner/pcp-1',
          'a named reference is never replaced by an HL7 identifier',
        );
      });
    });

    it('finds it across the two connections of one site (the FHIR API and the HL7 interface registered apart)', async () => {
      await store(async (db) => {
        const k = await referralKit(db, {}, { patientOf: onePerson, hl7Connection: HL7_CONN });
        await k.receiveHl7(refI12('C1', 'REF-9', 'MRN-1'));
        await k.save(serviceRequest('sr9', withNumber('REF-9')));
        const keys = await k.referralKeys();
        assert.equal(keys.length, 1);
        assert.ok(keys[0]!.startsWith(`referral:${HL7_CONN}:h-`));
        await k.save(referralTask('t9', 'sr9', 'accepted'));
        assert.equal(((await k.stateOf(keys[0]!)).state as ReferralState).stage, 'accepted');
      });
    });

    it('follows a merge: the HL7 patient retired into the FHIR one is the same person', async () => {
      await store(async (db) => {
        const k = await referralKit(
          db,
          {},
          {
            patientOf: (e) => (e.patient.ehrId === 'pat-1' ? 'P1' : 'P1-retired'),
            patientIdsOf: (id) => Promise.resolve(id === 'P1' || id === 'P1-retired' ? ['P1', 'P1-retired'] : [id]),
          },
        );
        await k.receiveHl7(refI12('C1', 'REF-9', 'MRN-1'));
        await k.save(serviceRequest('sr9', withNumber('REF-9')));
        assert.equal((await k.referralKeys()).length, 1);
      });
    });

    it('never makes two referrals one: another patient, two explicit systems, or no resolved patient', async () => {
      await store(async (db) => {
        // The same number for another patient.
        let k = await referralKit(db, {}, { patientOf: onePerson });
        await k.receiveHl7(refI12('C1', 'REF-9', 'MRN-2'));
        await k.save(serviceRequest('sr9', withNumber('REF-9')));
        assert.equal((await k.referralKeys()).length, 2, 'another patient: two referrals');

        // The same number under two explicit systems (two number spaces), then HL7: ambiguous, its own.
        k = await referralKit(db, {}, { patientOf: onePerson });
        await k.save(serviceRequest('sr1', withNumber('REF-9', 'https://ehr.example.org/referral-id')));
        await k.save(serviceRequest('sr2', withNumber('REF-9', 'urn:oid:2.16.840.1.113883.3.999.5')));
        assert.equal((await k.referralKeys()).length, 2, 'two explicit systems: two referrals');
        await k.receiveHl7(refI12('C1', 'REF-9', 'MRN-1'));
        assert.equal((await k.referralKeys()).length, 2, 'HL7 joins the first of them');
        assert.equal(((await k.stateOf('sr1')).state as ReferralState).eventIds.length, 2);
        await k.receiveHl7(refI12('C2', 'REF-7', 'MRN-1'));
        assert.equal((await k.referralKeys()).length, 3, 'another number: its own referral');

        // HL7 first, joined by the ServiceRequest under system A; one under system B is another referral.
        k = await referralKit(db, {}, { patientOf: onePerson });
        await k.receiveHl7(refI12('C1', 'REF-9', 'MRN-1'));
        await k.save(serviceRequest('sr1', withNumber('REF-9', 'https://ehr.example.org/referral-id')));
        await k.save(serviceRequest('sr2', withNumber('REF-9', 'urn:oid:2.16.840.1.113883.3.999.5')));
        const [joined, apart] = await k.referralKeys();
        assert.equal(apart, `referral:${CONN}:sr2`, 'the second explicit system is its own referral');
        assert.equal(((await k.stateOf(joined!)).state as ReferralState).serviceRequest, 'ServiceRequest/sr1');
        // A later HL7 message of the number still reaches the first.
        await k.receiveHl7(refI12('C2', 'REF-9', 'MRN-1', 'I13'));
        assert.equal(((await k.stateOf(joined!)).state as ReferralState).eventIds.length, 3);

        // Without the patient index's word (no resolved patient), nothing is guessed.
        k = await referralKit(db);
        await k.receiveHl7(refI12('C1', 'REF-9', 'MRN-1'));
        await k.save(serviceRequest('sr9', withNumber('REF-9')));
        assert.equal((await k.referralKeys()).length, 2, 'no patient: two referrals');
      });
    });
  });
}

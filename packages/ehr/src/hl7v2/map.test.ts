import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type {
  AppointmentFacts,
  DocumentFacts,
  EncounterFacts,
  MergeFacts,
  OrderFacts,
  ReferralFacts,
  ResultFacts,
} from '@steward/core';
import { mapHl7 } from './map.js';
import { parseHl7 } from './parse.js';
import { hl7Fixture, testContext, withField, withoutSegment } from './test-fixtures.js';
import type { Hl7MapContext } from './map-common.js';

const map = (raw: string, ctx: Hl7MapContext = testContext) => mapHl7(parseHl7(raw), ctx);
const one = (raw: string, ctx?: Hl7MapContext) => {
  const events = map(raw, ctx);
  assert.equal(events.length, 1);
  return events[0]!;
};
const reason = (raw: string): string => {
  try {
    map(raw);
  } catch (err) {
    return (err as Error).message;
  }
  return 'mapped';
};

describe('SIU', () => {
  const s12 = hl7Fixture('fhir-converter/SIU-S12-01.hl7');

  it('gives the patient its minimum demographics from PID-5/7/8, and none without a family name or a full date', () => {
    assert.deepEqual(one(s12).patient.demographics, {
      name: { family: 'EVERYMAN', given: ['ADAM', 'A'] },
      birthDate: '1988-08-18',
      gender: 'male',
    });
    assert.equal(one(withField(s12, 'PID', 7, '1988')).patient.demographics, undefined);
    assert.equal(one(withField(s12, 'PID', 5, '^ADAM')).patient.demographics, undefined);
  });

  it('S12 → appointment.booked with times, identifiers and envelope', () => {
    const e = one(s12);
    assert.equal(e.type, 'appointment.booked');
    assert.equal(e.channel, 'hl7v2');
    assert.equal(e.connectionId, 'conn-1');
    assert.equal(e.dedupKey, 'hl7:MSG00012');
    assert.equal(e.sourceRef, 'SIU^S12');
    assert.equal(e.occurredAt, '2021-09-14T11:20+02:15');
    assert.deepEqual(e.patient.identifiers, [{ system: 'urn:steward:hl7v2:aa:test1', value: 'PATID1234' }]);
    const f = e.facts as AppointmentFacts;
    assert.equal(f.status, 'booked');
    assert.equal(f.start, '2021-09-24T09:30:00+02:15');
    assert.equal(f.end, '2021-09-24T10:20:00+02:15'); // AIS-7 50 min
    assert.deepEqual(
      f.identifiers.map((i) => i.value),
      ['12345', '36996'],
    );
    assert.ok(f.participants.some((p) => p.kind === 'Practitioner' && p.identifiers[0]?.value === '1210'));
  });

  it('S13 → rescheduled; previousStart from the field the connection names', () => {
    const s13 = hl7Fixture('fhir-converter/SIU-S13-01.hl7');
    const plain = one(s13);
    assert.equal(plain.type, 'appointment.rescheduled');
    assert.equal((plain.facts as AppointmentFacts).previousStart, undefined);
    const withZ = `${s13.trimEnd()}\rZSC|1|20210920080000`;
    const f = one(withZ, { ...testContext, previousStartField: 'ZSC-2' }).facts as AppointmentFacts;
    assert.equal(f.previousStart, '2021-09-20T08:00:00-04:00'); // zone-less → facility zone
    assert.equal(f.start, '2021-09-24T09:30:00+02:15');
  });

  it('S14 follows SCH-25 filler status', () => {
    const s14 = hl7Fixture('fhir-converter/SIU-S14-01.hl7');
    const cases: [string, string, string][] = [
      ['Booked', 'appointment.booked', 'booked'],
      ['Complete', 'appointment.fulfilled', 'fulfilled'],
      ['Noshow', 'appointment.no-show', 'noshow'],
      ['Cancelled', 'appointment.cancelled', 'cancelled'],
      ['Started', 'appointment.checked-in', 'checked-in'],
    ];
    for (const [code, type, status] of cases) {
      const e = one(withField(s14, 'SCH', 25, code));
      assert.equal(e.type, type, code);
      assert.equal((e.facts as AppointmentFacts).status, status, code);
    }
  });

  it('S15 → cancelled, S26 → no-show', () => {
    const s15 = one(hl7Fixture('fhir-converter/SIU-S15-01.hl7'));
    assert.equal(s15.type, 'appointment.cancelled');
    assert.equal((s15.facts as AppointmentFacts).status, 'cancelled');
    const s26 = one(hl7Fixture('fhir-converter/SIU-S26-01.hl7'));
    assert.equal(s26.type, 'appointment.no-show');
    assert.equal((s26.facts as AppointmentFacts).status, 'noshow');
  });

  it('zone-less resource times use the facility zone, and the event says the zone was inferred', () => {
    let zoneless = s12;
    for (const [seg, field] of [
      ['AIS', 4],
      ['AIG', 8],
      ['AIL', 6],
      ['AIP', 6],
      ['TQ1', 7],
    ] as const)
      zoneless = withField(zoneless, seg, field, '20240310023000');
    const e = one(withField(zoneless, 'SCH', 11, ''));
    const f = e.facts as AppointmentFacts;
    assert.equal(f.start, '2024-03-10T03:30:00-04:00'); // 02:30 does not exist that day in New York
    assert.equal(f.end, '2024-03-10T04:20:00-04:00');
    assert.deepEqual(e.flags, [
      {
        code: 'zone-inferred',
        detail: 'AIS-4, AIG-8, AIL-6, AIP-6, TQ1-7 had no UTC offset: read in America/New_York',
      },
    ]);
    // A connection that refuses zone-less times refuses the message, naming the field.
    assert.throws(
      () => map(zoneless, { ...testContext, zonelessTimes: 'refuse' }),
      /AIS-4 has a time without a UTC offset, and this connection refuses zone-less times/,
    );
    // Times with an offset are not flagged.
    assert.equal(one(withField(s12, 'SCH', 11, '')).flags, undefined);
  });

  it('the span comes from the resource durations in their units, so S14 sees a change of length', () => {
    const s14 = hl7Fixture('fhir-converter/SIU-S14-01.hl7');
    const before = one(s14).facts as AppointmentFacts;
    assert.equal(before.end, '2021-09-24T10:20:00+02:15'); // every resource: 50 min
    // The sender lengthens the room booking to 90 minutes: the appointment now ends later.
    const longer = one(withField(s14, 'AIL', 9, '90')).facts as AppointmentFacts;
    assert.equal(longer.start, before.start);
    assert.equal(longer.end, '2021-09-24T11:00:00+02:15');
    // Units in -10 (AIL/AIP) or -8 (AIS) are honoured: 2 hours, 5400 seconds.
    assert.equal(
      (one(withField(withField(s14, 'AIP', 9, '2'), 'AIP', 10, 'h^hours^ISO+')).facts as AppointmentFacts).end,
      '2021-09-24T11:30:00+02:15',
    );
    assert.equal(
      (one(withField(withField(s14, 'AIS', 7, '5400'), 'AIS', 8, 's')).facts as AppointmentFacts).end,
      '2021-09-24T11:00:00+02:15',
    );
    // An unknown unit gives no end from that resource (never a guess), the others still count.
    const furlongs = one(withField(withField(s14, 'AIG', 11, '500'), 'AIG', 12, 'fur')).facts as AppointmentFacts;
    assert.equal(furlongs.end, '2021-09-24T10:20:00+02:15');
  });

  it('without resource times, TQ1-7/8 give the span (SIU-S14-02 sends only TQ1 and SCH-11)', () => {
    const e = one(hl7Fixture('fhir-converter/SIU-S14-02.hl7'));
    const f = e.facts as AppointmentFacts;
    assert.equal(f.start, '2021-08-18T11:30+02:15');
    assert.equal(f.end, '2021-08-18T12:30+02:15');
    const schOnly = one(withoutSegment(hl7Fixture('fhir-converter/SIU-S14-02.hl7'), 'TQ1')).facts as AppointmentFacts;
    assert.equal(schOnly.start, '2020-10-01T11:26+02:15');
    assert.equal(schOnly.end, '2020-10-09T11:26+02:15');
  });

  it('a start in SCH-11 or TQ1 that differs from the resources is flagged, not silently resolved', () => {
    // The fixture itself: SCH-11.4 says 2020-10-01, TQ1-7 and AIS-4 say 2021-09-24.
    const e = one(s12);
    assert.equal((e.facts as AppointmentFacts).start, '2021-09-24T09:30:00+02:15');
    assert.deepEqual(e.flags, [
      { code: 'schedule-conflict', detail: 'SCH-11.4 and AIS-4 give different starts; AIS-4 is used' },
    ]);
    const tq1 = one(withField(withField(s12, 'SCH', 11, ''), 'TQ1', 7, '20210924100000+0215'));
    assert.deepEqual(tq1.flags, [
      { code: 'schedule-conflict', detail: 'TQ1-7 and AIS-4 give different starts; AIS-4 is used' },
    ]);
    // Same instant written with another offset is no conflict.
    const same = one(withField(withField(s12, 'SCH', 11, ''), 'TQ1', 7, '20210924071500+0000'));
    assert.equal(same.flags, undefined);
    // A malformed SCH-11.4 beside good resource times is flagged, not a refusal.
    const bad = one(withField(s12, 'SCH', 11, '2^^2 hours^2020130111'));
    assert.deepEqual(
      bad.flags?.map((f) => f.detail),
      ['SCH-11.4 is not a valid date/time; the start from AIS-4 is used'],
    );
  });

  it('rejects an SIU without SCH or patient', () => {
    assert.equal(reason(withoutSegment(s12, 'SCH')), 'SCH segment is missing');
    assert.equal(reason(withoutSegment(s12, 'PID')), 'PID segment is missing');
    assert.equal(
      reason(withField(withField(s12, 'PID', 2, ''), 'PID', 3, '')),
      'PID-3 (patient identifier list) has no usable identifier',
    );
  });
});

describe('ADT', () => {
  it('A01 → encounter.started; EVN-2 time with its offset; SSNs left out', () => {
    const e = one(hl7Fixture('fhir-converter/ADT-A01-01.hl7'));
    assert.equal(e.type, 'encounter.started');
    assert.equal(e.occurredAt, '2029-08-01T07:06:24+01:15');
    assert.ok(e.patient.identifiers.every((i) => i.value !== '123456789'));
    assert.equal((e.facts as EncounterFacts).status, 'in-progress');
    assert.equal((e.facts as EncounterFacts).class, 'PRENC');
  });

  it('A04 → encounter.started, A03 → encounter.discharged, A08 → patient.updated', () => {
    assert.equal(one(hl7Fixture('fhir-converter/ADT-A04-01.hl7')).type, 'encounter.started');
    const a03 = one(hl7Fixture('hapi/adt-a03-italian-discharge.hl7'));
    assert.equal(a03.type, 'encounter.discharged');
    assert.equal((a03.facts as EncounterFacts).status, 'finished');
    assert.equal((a03.facts as EncounterFacts).class, 'IMP');
    assert.equal(a03.occurredAt, '2008-03-05T15:09-05:00'); // zone-less EVN-2, facility in New York
    assert.ok(a03.flags?.some((f) => f.code === 'zone-inferred' && f.detail.startsWith('EVN-2')));
    assert.deepEqual(a03.patient.identifiers[0], { system: 'urn:steward:hl7v2:aa:PK', value: '5520255' });
    const rome = one(hl7Fixture('hapi/adt-a03-italian-discharge.hl7'), {
      ...testContext,
      facilityTimeZone: 'Europe/Rome',
    });
    assert.equal(rome.occurredAt, '2008-03-05T15:09+01:00');
    assert.equal(one(hl7Fixture('fhir-converter/ADT-A08-01.hl7')).type, 'patient.updated');
  });

  it('A40 → one patient.merged per PID/MRG pair with distinct dedup keys', () => {
    const events = map(hl7Fixture('fhir-converter/ADT-A40-02.hl7'));
    assert.deepEqual(
      events.map((e) => [
        e.type,
        e.dedupKey,
        e.patient.identifiers[0]?.value,
        (e.facts as MergeFacts).retired.identifiers[0]?.value,
      ]),
      [
        ['patient.merged', 'hl7:8919-40', '12345', '56789'],
        ['patient.merged', 'hl7:8919-40:2', '145', '569'],
      ],
    );
    assert.equal(events[0]?.patient.identifiers[0]?.system, 'urn:steward:hl7v2:aa:BCBS');
    assert.equal(
      reason(withoutSegment(hl7Fixture('fhir-converter/ADT-A40-01.hl7'), 'MRG')),
      'MRG segment is missing after PID 1',
    );
  });

  it('A34/A36/A39 merges, A47 identifier change, A35 account change: the PID patient survives', () => {
    const a40 = hl7Fixture('fhir-converter/ADT-A40-01.hl7');
    const as = (trigger: string) => withField(withField(a40, 'MSH', 9, `ADT^${trigger}^ADT_A39`), 'EVN', 1, trigger);
    for (const trigger of ['A34', 'A36', 'A40']) {
      const e = one(as(trigger));
      assert.equal(e.type, 'patient.merged', trigger);
      assert.deepEqual(e.facts, {
        kind: 'Merge',
        scope: 'patient',
        retired: { identifiers: [{ system: 'urn:steward:hl7v2:aa:BCBS', value: '56789' }] },
      });
    }
    // A39 (merge person): the v2.3 prior patient ID in MRG-4 when given.
    const a39 = one(withField(as('A39'), 'MRG', 4, '4711^^^BCBS'));
    assert.deepEqual((a39.facts as MergeFacts).retired.identifiers, [
      { system: 'urn:steward:hl7v2:aa:BCBS', value: '4711' },
    ]);
    // A35: only the account number changed; MRG-3 is required.
    const a35 = one(withField(as('A35'), 'MRG', 3, 'ACC-9^^^BCBS^AN'));
    assert.equal(a35.type, 'patient.identifier-changed');
    assert.equal((a35.facts as MergeFacts).scope, 'account');
    assert.equal(reason(as('A35')), 'MRG-3 (the retired identifier) has no usable identifier');
    // A47 from the fixtures: one event per PID/MRG pair.
    const a47 = map(hl7Fixture('fhir-converter/ADT-A47-02.hl7'));
    assert.deepEqual(
      a47.map((e) => [e.type, e.patient.identifiers[0]?.value, (e.facts as MergeFacts).retired.identifiers[0]?.value]),
      [
        ['patient.identifier-changed', 'MR101', 'MR102'],
        ['patient.identifier-changed', '145', '569'],
      ],
    );
  });

  it('configured identifier systems and OIDs become the system URI', () => {
    const a40 = hl7Fixture('fhir-converter/ADT-A40-01.hl7');
    const e = one(a40, { ...testContext, identifierSystems: { BCBS: 'https://ehr.example/mrn' } });
    assert.deepEqual(e.patient.identifiers, [{ system: 'https://ehr.example/mrn', value: '12345' }]);
    const oid = one(withField(a40, 'PID', 3, '777^^^MRN&1.2.3.4&ISO^MR'));
    assert.deepEqual(oid.patient.identifiers, [{ system: 'urn:oid:1.2.3.4', value: '777' }]);
  });

  it('unsupported triggers are named', () => {
    assert.equal(reason(hl7Fixture('fhir-converter/ADT-A02-01.hl7')), 'unsupported message type ADT^A02');
    assert.equal(reason(hl7Fixture('fhir-converter/VXU-V04-01.hl7')), 'unsupported message type VXU^V04');
  });
});

describe('REF', () => {
  it('I12 → referral.created with status, priority, providers', () => {
    const e = one(hl7Fixture('fhir-converter/REF-I12-01.hl7'));
    assert.equal(e.type, 'referral.created');
    assert.equal(e.occurredAt, '2022-01-25T16:20+00:00');
    const f = e.facts as ReferralFacts;
    assert.equal(f.status, 'active');
    assert.equal(f.priority, 'routine');
    assert.equal(f.service, 'Medical');
    assert.equal(f.authoredOn, '2022-01-25');
    assert.equal(f.requester?.display, 'ROBERT POWELL');
    assert.deepEqual(
      f.performers.map((p) => p.display),
      ['PAUL McWILLIAMS'],
    );
    assert.deepEqual(f.identifiers[0], { system: 'urn:steward:hl7v2:aa:EPIC#originating-referral', value: '226839' });
  });

  it('I14 → referral.updated, revoked; I13 → updated with RF1-1 status', () => {
    const i14 = one(hl7Fixture('fhir-converter/REF-I14-02.hl7'));
    assert.equal(i14.type, 'referral.updated');
    assert.equal((i14.facts as ReferralFacts).status, 'revoked');
    const i13 = withField(
      withField(hl7Fixture('fhir-converter/REF-I12-01.hl7'), 'MSH', 9, 'REF^I13^REF_I12'),
      'RF1',
      1,
      'A^Accepted^HL70283',
    );
    const e = one(i13);
    assert.equal(e.type, 'referral.updated');
    assert.equal((e.facts as ReferralFacts).status, 'active');
    assert.equal((one(withField(i13, 'RF1', 1, 'R')).facts as ReferralFacts).status, 'revoked');
  });
});

describe('MDM, ORM, ORU', () => {
  it('MDM^T02 → document.received from TXA only (no note text)', () => {
    const raw = hl7Fixture('fhir-converter/MDM-T02-01.hl7');
    const e = one(raw);
    assert.equal(e.type, 'document.received');
    const f = e.facts as DocumentFacts;
    assert.deepEqual([f.type, f.status, f.date, f.contentType], ['DI', 'final', '2008-01-31T15:55+02:15', 'TX']);
    assert.equal(f.identifiers[0]?.value, '1.2.840.317.5947431.51.20080131160038');
    const withNote = `${raw.trimEnd()}\rOBX|3|TX|11488-4^Consult note^LN||Patient reports NOTE-TEXT-MARKER||||||F`;
    assert.ok(!JSON.stringify(one(withNote)).includes('NOTE-TEXT-MARKER'));
    assert.equal(reason(withoutSegment(raw, 'TXA')), 'TXA segment is missing');
  });

  it('ORM^O01 → order.updated per ORC with control and status', () => {
    const e = one(hl7Fixture('fhir-converter/ORM-O01-01.hl7'));
    assert.equal(e.type, 'order.updated');
    const f = e.facts as OrderFacts;
    assert.deepEqual([f.control, f.status, f.service], ['NW', 'SC', '24725-4']);
    assert.deepEqual(
      f.identifiers.map((i) => i.value),
      ['1101', '1201'],
    );
    assert.equal(e.occurredAt, '2021-10-20T11:26+02:15');
  });

  it('ORU^R01 → result.received per OBR with status, no values', () => {
    const events = map(hl7Fixture('fhir-converter/LAB-ORU-1.hl7'));
    assert.equal(events.length, 2);
    const f = events[0]?.facts as ResultFacts;
    assert.deepEqual([f.status, f.service, f.identifiers[0]?.value], ['final', '24317-0', '82503246']);
    assert.deepEqual(
      f.orderIdentifiers.map((i) => i.value),
      ['88502218', '82503246'],
    );
    assert.equal(events[0]?.occurredAt, '2014-10-06T06:45:00+07:00'); // no OBR-22/OBR-7 here: MSH-7
    assert.deepEqual(
      events.map((e) => e.dedupKey),
      ['hl7:182', 'hl7:182:2'],
    );
  });
});

// The directory facts real HL7 v2 messages give (fixtures: fhir-converter's samples, PROVENANCE.md
// in the shared fixtures): PV1 doctors and ROL persons (ADT), PRD providers (REF), AIP/AIL (SIU).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { participantFacts, participantsOf } from '@steward/clinic';
import { mapHl7 } from './map.js';
import { parseHl7 } from './parse.js';
import { hl7Fixture, testContext } from './test-fixtures.js';

const factsOf = (path: string) =>
  mapHl7(parseHl7(hl7Fixture(path)), testContext).flatMap((e) =>
    participantsOf(e).map((p) => participantFacts(p, 'hl7v2')),
  );

describe('directory facts from HL7 v2', () => {
  it('ADT^A04: PV1-7/8/9/17 doctors and the ROL primary care providers with their practice', () => {
    const facts = factsOf('fhir-converter/ADT-A04-01.hl7');
    const names = facts.map((f) => f.name);
    for (const n of ['Mohammed Alaz', 'Kathleen Woolfson', 'leen Condoc', 'WALT DISNEY', 'John Smith', 'Harold Phoeb'])
      assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
    const smith = facts.find((f) => f.name === 'John Smith')!;
    assert.equal(smith.kind, 'Practitioner');
    assert.equal(smith.identifiers[0]?.value, '12377H87');
    assert.deepEqual(smith.specialties, ['General practice']);
    assert.equal(smith.address, '1234 Magnolia Lane, Ste. 231, Houston, TX 33612, USA');
    assert.deepEqual(smith.telecom, [{ system: 'email', value: 'fred@nnnn.com' }]);
    assert.equal(smith.organizationName, 'Good Health Hospital');
    // The ward (PV1-3) is a location by name.
    assert.ok(facts.some((f) => f.kind === 'Location' && f.name !== undefined));
  });

  it('REF^I12: the referring and referred-to providers with their organizations and phones', () => {
    const facts = factsOf('fhir-converter/REF-I12-02.hl7');
    const to = facts.find((f) => f.name === 'PAUL McWILLIAMS')!;
    assert.deepEqual(to.identifiers, [{ system: 'urn:steward:hl7v2:provider-id:SL', value: 'PLN5010' }]);
    assert.equal(to.organizationName, 'RADIANT HEALTH HOSPITAL');
    assert.equal(to.address, '2000 PARK AVENUE, ANN ARBOR, MI 99999');
    assert.deepEqual(to.telecom, [{ system: 'phone', value: '(626)555-5678', use: 'work' }]);
    const from = facts.find((f) => f.name === 'ROBERT POWELL')!;
    assert.equal(from.organizationName, 'GOOD HEALTH HOSPITAL');
  });

  it('SIU^S12: the AIP practitioner with its resource type, the AIL location', () => {
    const facts = factsOf('fhir-converter/SIU-S12-01.hl7');
    const doctor = facts.find((f) => f.kind === 'Practitioner');
    assert.equal(doctor?.name, 'Robert GE');
    assert.deepEqual(doctor?.specialties, ['Gastroenterologist']);
    assert.ok(facts.some((f) => f.kind === 'Location' && f.name?.includes('Room01')));
  });
});

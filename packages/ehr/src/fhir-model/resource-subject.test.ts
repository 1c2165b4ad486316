import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Resource } from '@medplum/fhirtypes';
import { subjectOf } from './resource-subject.js';
import { readJson, thirdParty } from './test-fixtures.js';

const example = (name: string): Resource => readJson(thirdParty('fhir-r4-examples', 'r4-core', name)) as Resource;

describe('subjectOf: the patient a FHIR resource is about, event or not', () => {
  it("names the patient of the event types, whatever the resource's state", () => {
    // A superseded document becomes no event: its receipt still names the patient.
    const doc = { ...example('DocumentReference-example.json'), status: 'superseded' } as Resource;
    assert.deepEqual(subjectOf(doc), { ehrId: 'xcda', identifiers: [] });
    assert.equal(subjectOf(example('Appointment-example.json'))?.ehrId, 'example');
    const patient = subjectOf(example('Patient-f201.json'));
    assert.equal(patient?.ehrId, 'f201');
    assert.ok((patient?.identifiers.length ?? 0) >= 1, 'with its identifiers');
  });

  it('names the Patient a subject, patient or beneficiary reference points at in any other type', () => {
    assert.deepEqual(subjectOf(example('Coverage-9876B1.json')), { ehrId: '4', identifiers: [] });
    const observation = {
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'x' },
      subject: { type: 'Patient', identifier: { system: 'urn:mrn', value: 'M-1' } },
    } as Resource;
    assert.deepEqual(subjectOf(observation), { identifiers: [{ system: 'urn:mrn', value: 'M-1' }] });
  });

  it('names nobody for staff and places, a subject that is not a Patient, or a patient it cannot map', () => {
    assert.equal(subjectOf(example('Practitioner-f001.json')), undefined);
    const group = { resourceType: 'Observation', status: 'final', code: {}, subject: { reference: 'Group/g1' } };
    assert.equal(subjectOf(group as Resource), undefined);
    const noPatient = { resourceType: 'DocumentReference', status: 'current', content: [] } as Resource;
    assert.equal(subjectOf(noPatient), undefined, 'refused or filed without one: never thrown here');
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { purposesOfUse } from '@steward/core';
import { elementsFor, mandatoryElements, minimumNecessary, subsettedTag } from './purpose-elements.js';
import { requirePatientNamed, searchParameters, servedTypes, tokenAllows } from './search-rules.js';

const patient = {
  resourceType: 'Patient',
  id: 'p1',
  meta: { versionId: '2', tag: [{ system: 'urn:other', code: 'x' }] },
  identifier: [{ system: 'urn:mrn', value: '1' }],
  name: [{ family: 'Zebulon' }],
  birthDate: '1961-07-23',
  _birthDate: { extension: [] },
  telecom: [{ system: 'phone', value: '555' }],
  deceasedBoolean: false,
  text: { status: 'generated', div: '<div>Zebulon</div>' },
};

test('treatment receives the whole resource, untagged', () => {
  for (const purpose of ['TREAT', 'ETREAT'] as const) {
    const r = minimumNecessary({ resource: patient, versionId: '2' }, purpose);
    assert.deepEqual(r.resource, patient);
  }
});

test('payment loses contact details and narrative, keeps identity, and is tagged SUBSETTED once', () => {
  const r = minimumNecessary({ resource: patient, versionId: '2' }, 'HPAYMT').resource as Record<string, unknown>;
  assert.deepEqual(Object.keys(r).sort(), [
    '_birthDate',
    'birthDate',
    'id',
    'identifier',
    'meta',
    'name',
    'resourceType',
  ]);
  const tags = (r['meta'] as { tag: { code: string }[] }).tag;
  assert.deepEqual(
    tags.map((t) => t.code),
    ['x', 'SUBSETTED'],
  );
  const again = minimumNecessary({ resource: r, versionId: '2' }, 'HPAYMT').resource;
  assert.deepEqual(again, r, 'a subsetted resource is not tagged twice');
});

test('operations keep a choice element by its [x] name', () => {
  const r = minimumNecessary({ resource: patient, versionId: '2' }, 'HOPERAT').resource;
  assert.equal(r['deceasedBoolean'], false);
  assert.equal(r['telecom'] !== undefined, true);
  assert.equal(r['text'], undefined);
});

test('every purpose keeps the mandatory elements of every type, and the directory whole', () => {
  for (const purpose of purposesOfUse) {
    for (const [type, mandatory] of Object.entries(mandatoryElements)) {
      const allowed = elementsFor(purpose, type);
      if (allowed === 'all') continue;
      for (const e of ['resourceType', 'id', 'meta', 'modifierExtension', ...mandatory])
        assert.ok(allowed.includes(e), `${purpose} ${type} keeps ${e}`);
    }
    assert.equal(elementsFor(purpose, 'Practitioner'), 'all');
  }
  const doc = { resourceType: 'DocumentReference', id: 'd', status: 'current', content: [{ attachment: {} }] };
  const shown = minimumNecessary({ resource: doc, versionId: '1' }, 'HOPERAT').resource;
  assert.equal(shown['status'], 'current');
  assert.equal(shown['content'], undefined, 'the document itself is for treatment only');
  assert.equal((shown['meta'] as { tag: { code: string }[] }).tag[0]?.code, subsettedTag.code);
});

test('a connection serves what its vendor profile offers and its own SMART scopes cover', () => {
  const all = servedTypes({ vendor: 'generic-r4', scopes: ['system/*.rs'] });
  assert.ok(all.some((t) => t.type === 'Appointment' && t.read && t.searchParams.includes('patient')));
  assert.ok(!all.some((t) => t.searchParams.includes('_include')));
  assert.deepEqual(
    servedTypes({ vendor: 'generic-r4', scopes: ['system/Patient.r'] }).map((t) => [t.type, t.searchParams.length]),
    [['Patient', 0]],
  );
  assert.deepEqual(servedTypes({ vendor: 'generic-r4', scopes: [] }), []);
});

test('a token is held to its SMART system scopes only when it carries some', () => {
  assert.equal(tokenAllows(['*'], 'Patient', 'read'), true);
  assert.equal(tokenAllows(undefined, 'Patient', 'read'), true);
  assert.equal(tokenAllows(['*', 'system/Appointment.rs'], 'Patient', 'read'), false);
  assert.equal(tokenAllows(['system/Appointment.r'], 'Appointment', 'search'), false);
  assert.equal(tokenAllows(['system/*.read'], 'Task', 'search'), true);
});

test('a patient-compartment search must name a patient; a subject must be a Patient', () => {
  assert.doesNotThrow(() => requirePatientNamed('Appointment', { patient: '123' }));
  assert.doesNotThrow(() => requirePatientNamed('Task', { subject: 'Patient/1,Patient/2' }));
  assert.doesNotThrow(() => requirePatientNamed('Task', { 'subject:Patient': '1' }));
  assert.doesNotThrow(() => requirePatientNamed('Patient', { identifier: 'urn:mrn|1' }));
  assert.doesNotThrow(() => requirePatientNamed('Practitioner', { name: 'x' }));
  for (const params of [{ status: 'booked' }, { patient: ' ' }, { subject: 'Group/1' }, { 'patient:missing': 'true' }])
    assert.throws(() => requirePatientNamed('Task', params), /FHIR_PATIENT_REQUIRED|must name the patient/);
  assert.throws(() => requirePatientNamed('Patient', { name: 'Smith' }), /_id= or identifier=/);
});

test('search parameters: strict, single, _count within the page size', () => {
  const [appointment] = servedTypes({ vendor: 'generic-r4', scopes: ['system/Appointment.rs'] });
  assert.ok(appointment);
  assert.deepEqual(searchParameters(appointment, { patient: '1', _count: '500', 'date:missing': 'false' }, 100), {
    patient: '1',
    _count: '100',
    'date:missing': 'false',
  });
  assert.throws(() => searchParameters(appointment, { colour: 'blue' }, 100), /colour is not supported/);
  assert.throws(() => searchParameters(appointment, { date: ['ge2026', 'lt2027'] }, 100), /more than once/);
  assert.throws(() => searchParameters(appointment, { _count: '0' }, 100), /_count/);
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Appointment, DocumentReference, Encounter, Patient, ServiceRequest, Task } from '@medplum/fhirtypes';
import { UserError } from '@steward/core';
import { appointmentPatient, mapAppointment } from './map-appointment.js';
import { documentReferencePatient, mapDocumentReference } from './map-document-reference.js';
import { encounterPatient, mapEncounter } from './map-encounter.js';
import { mapPatient, patientLinks } from './map-patient.js';
import { mapServiceRequest, serviceRequestPatient } from './map-service-request.js';
import { mapTask, taskPatient } from './map-task.js';
import { parseFhirJson } from './parse-resource.js';
import { r4Examples, readText, thirdParty } from './test-fixtures.js';

function example<T>(name: string): T {
  return parseFhirJson(readText(thirdParty('fhir-r4-examples', 'r4-core', name))) as T;
}

/** Free text a mapper must never copy (minimum necessary). */
function clinicalText(resource: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const key of ['description', 'comment', 'patientInstruction']) {
    const v = resource[key];
    if (typeof v === 'string' && v.length > 3) out.push(v);
  }
  for (const key of ['reasonCode', 'note']) {
    const v = resource[key];
    for (const item of Array.isArray(v) ? v : v ? [v] : []) {
      const text = (item as { text?: unknown }).text;
      if (typeof text === 'string' && text.length > 3) out.push(text);
    }
  }
  return out;
}

describe('Appointment → AppointmentFacts', () => {
  it('maps the official example: status, times, service, practitioner/location participants, basedOn', () => {
    const a = example<Appointment>('Appointment-example.json');
    const f = mapAppointment(a);
    assert.equal(f.kind, 'Appointment');
    assert.equal(f.ehrId, 'example');
    assert.equal(f.status, 'booked');
    assert.equal(f.start, '2013-12-10T09:00:00Z');
    assert.equal(f.end, '2013-12-10T11:00:00Z');
    assert.equal(f.serviceType, '52');
    assert.deepEqual(f.basedOn, ['ServiceRequest/myringotomy']);
    assert.deepEqual(
      f.participants.map((p) => [p.kind, p.ehrId, p.display]),
      [
        ['Practitioner', 'example', 'Dr Adam Careful'],
        ['Location', '1', 'South Wing, second floor'],
      ],
    );
    assert.deepEqual(appointmentPatient(a), { ehrId: 'example', identifiers: [] });
  });

  it('keeps identifiers, drops display-only actors, and never copies reason or comment text', () => {
    const two = mapAppointment(example<Appointment>('Appointment-2docs.json'));
    assert.deepEqual(
      two.participants.map((p) => p.ehrId),
      ['example', 'f202'],
    );
    const req = example<Appointment>('Appointment-examplereq.json');
    const f = mapAppointment(req);
    assert.equal(f.status, 'proposed');
    assert.deepEqual(f.identifiers, [{ system: 'http://example.org/sampleappointment-identifier', value: '123' }]);
    for (const ex of r4Examples('Appointment')) {
      const r = example<Appointment>(ex.name);
      const json = JSON.stringify(mapAppointment(r));
      for (const text of clinicalText(r as unknown as Record<string, unknown>))
        assert.ok(!json.includes(text), ex.name);
      assert.ok(!json.includes('Peter James Chalmers'), 'patient display must not leak');
    }
  });

  it('rejects a wrong status or a wrongly typed element with FHIR_INVALID naming the element', () => {
    const a = example<Appointment>('Appointment-example.json');
    assert.throws(
      () => mapAppointment({ ...a, status: 'done' } as unknown as Appointment),
      (e: unknown) => e instanceof UserError && e.code === 'FHIR_INVALID' && e.message.includes('Appointment.status'),
    );
    assert.throws(
      () => mapAppointment({ ...a, start: 20131210 } as unknown as Appointment),
      (e: unknown) =>
        e instanceof UserError && e.message.includes('Appointment.start') && !e.message.includes('20131210'),
    );
  });
});

describe('ServiceRequest → ReferralFacts', () => {
  it('maps every official example and reads status, intent, service code, requester, subject', () => {
    const examples = r4Examples('ServiceRequest');
    assert.ok(examples.length >= 20);
    for (const ex of examples) {
      const r = example<ServiceRequest>(ex.name);
      const f = mapServiceRequest(r);
      assert.equal(f.status, r.status, ex.name);
      const json = JSON.stringify(f);
      for (const text of clinicalText(r as unknown as Record<string, unknown>))
        assert.ok(!json.includes(text), ex.name);
    }
    const pt = mapServiceRequest(example<ServiceRequest>('ServiceRequest-physiotherapy.json'));
    assert.equal(pt.service, '34431008');
    assert.equal(pt.intent, 'order');
    assert.equal(pt.authoredOn, '2017-02-01T17:23:07Z');
    assert.deepEqual(pt.requester, {
      kind: 'Practitioner',
      ehrId: 'example',
      identifiers: [],
      display: 'Dr Adam Careful',
    });
    assert.deepEqual(pt.identifiers, [{ system: 'http://goodhealth.org/placer-ids', value: '20170201-0001' }]);
    assert.deepEqual(serviceRequestPatient(example<ServiceRequest>('ServiceRequest-physiotherapy.json')), {
      ehrId: 'example',
      identifiers: [],
    });
  });
});

describe('ServiceRequest category and occurrence (recheck orders)', () => {
  it('reads the category code and occurrenceDateTime or occurrencePeriod, and nothing when absent', () => {
    const base: ServiceRequest = {
      resourceType: 'ServiceRequest',
      id: 'rc1',
      status: 'active',
      intent: 'order',
      subject: { reference: 'Patient/p1' },
      category: [{ coding: [{ system: 'http://example.org/category', code: 'follow-up', display: 'Follow-up' }] }],
      code: { coding: [{ system: 'http://example.org/order', code: 'recheck' }] },
      occurrenceDateTime: '2026-04-15T09:00:00-04:00',
    };
    const f = mapServiceRequest(base);
    assert.equal(f.category, 'follow-up');
    assert.equal(f.service, 'recheck');
    assert.deepEqual(f.occurrence, { start: '2026-04-15T09:00:00-04:00' });
    const noTime: ServiceRequest = { ...base };
    delete noTime.occurrenceDateTime;
    const period = mapServiceRequest({ ...noTime, occurrencePeriod: { start: '2026-04-08', end: '2026-04-22' } });
    assert.deepEqual(period.occurrence, { start: '2026-04-08', end: '2026-04-22' });
    const bare = mapServiceRequest({ ...noTime, category: [] });
    assert.equal('category' in bare, false);
    assert.equal('occurrence' in bare, false);
    assert.throws(() => mapServiceRequest({ ...noTime, occurrencePeriod: 'soon' } as unknown as ServiceRequest), {
      code: 'FHIR_INVALID',
    });
  });
});

describe('Task → TaskFacts', () => {
  it('maps the official examples: status, business status, focus, owner, patient from Task.for', () => {
    const t = example<Task>('Task-example1.json');
    const f = mapTask(t);
    assert.equal(f.status, 'in-progress');
    assert.equal(f.businessStatus, 'waiting for specimen');
    assert.equal(f.code, 'Lipid Panel');
    assert.equal(f.focus, 'ServiceRequest/lipid');
    assert.deepEqual(f.basedOn, []); // display-only reference
    assert.equal(f.owner?.kind, 'Organization');
    assert.equal(f.owner?.ehrId, '1832473e-2fe0-452d-abe9-3cdb9879522f');
    assert.deepEqual(taskPatient(t), { ehrId: 'example', identifiers: [] });
    for (const ex of r4Examples('Task')) {
      const r = example<Task>(ex.name);
      assert.equal(mapTask(r).status, r.status, ex.name);
    }
  });

  it('a Task without `for` has no patient: FHIR_INVALID naming Task.for', () => {
    assert.throws(() => taskPatient(example<Task>('Task-fm-example1.json')), /Task\.for/);
  });
});

describe('Encounter → EncounterFacts', () => {
  it('maps class, period, discharge disposition, service provider and basedOn/appointment', () => {
    const f1 = mapEncounter(example<Encounter>('Encounter-f001.json'));
    assert.equal(f1.status, 'finished');
    assert.equal(f1.class, 'AMB');
    assert.equal(f1.dischargeDisposition, '306689006');
    assert.equal(f1.serviceProvider?.kind, 'Organization');
    assert.deepEqual(f1.identifiers, [{ system: 'http://www.amc.nl/zorgportal/identifiers/visits', value: 'v1451' }]);
    const f203 = mapEncounter(example<Encounter>('Encounter-f203.json'));
    assert.deepEqual(f203.basedOn, ['ServiceRequest/myringotomy', 'Appointment/example']);
    assert.equal(f203.start, '2013-03-11');
    const home = mapEncounter(example<Encounter>('Encounter-home.json'));
    assert.equal(home.start, '2015-01-17T16:00:00+10:00', 'offset kept');
    assert.equal(home.location, undefined, 'a contained location has no EHR id or kind');
    for (const ex of r4Examples('Encounter')) {
      const r = example<Encounter>(ex.name);
      const json = JSON.stringify(mapEncounter(r));
      for (const text of clinicalText(r as unknown as Record<string, unknown>))
        assert.ok(!json.includes(text), ex.name);
      assert.equal(encounterPatient(r).ehrId, r.subject?.reference?.split('/')[1], ex.name);
    }
  });
});

describe('DocumentReference → DocumentFacts', () => {
  it('maps type, date with offset, content type and author, never the content', () => {
    const d = example<DocumentReference>('DocumentReference-example.json');
    const f = mapDocumentReference(d);
    assert.equal(f.status, 'current');
    assert.equal(f.type, '34108-1');
    assert.equal(f.date, '2005-12-24T09:43:41+11:00');
    assert.equal(f.contentType, 'application/hl7-v3+xml');
    assert.deepEqual(f.author, { kind: 'Practitioner', ehrId: 'xcda1', identifiers: [] });
    assert.ok(f.related.includes('Encounter/xcda'));
    assert.ok(!JSON.stringify(f).includes('Binary/07a6483f'), 'no content URL');
    assert.deepEqual(documentReferencePatient(d), { ehrId: 'xcda', identifiers: [] });
  });
});

describe('Patient → PatientRef', () => {
  it('gives the EHR id, system-qualified identifiers and the minimum demographics (official name, birth date, sex)', () => {
    const p = example<Patient>('Patient-example.json');
    assert.deepEqual(mapPatient(p), {
      ehrId: 'example',
      identifiers: [{ system: 'urn:oid:1.2.36.146.595.217.0.1', value: '12345' }],
      demographics: {
        name: { family: 'Chalmers', given: ['Peter', 'James'] },
        birthDate: '1974-12-25',
        gender: 'male',
      },
    });
    // No family name or no full birth date: no demographics (never a partial guess).
    assert.equal(mapPatient({ ...p, birthDate: '1974' }).demographics, undefined);
    assert.equal(mapPatient({ ...p, name: [{ given: ['Peter'] }] }).demographics, undefined);
    for (const ex of r4Examples('Patient')) {
      const ref = mapPatient(example<Patient>(ex.name));
      assert.ok(
        ref.identifiers.every((i) => i.system.length > 0 && i.value.length > 0),
        ex.name,
      );
    }
  });

  it('reads links to other Patients and skips links to RelatedPerson', () => {
    assert.deepEqual(patientLinks(example<Patient>('Patient-pat1.json')), [
      { type: 'seealso', other: { ehrId: 'pat2', identifiers: [] } },
    ]);
    assert.deepEqual(patientLinks(example<Patient>('Patient-mom.json')), []);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '@steward/core';
import { changeEvents, parseFhirJson, parseSubscriptionNotification } from '../fhir-model/index.js';
import { readText, thirdParty } from '../fhir-model/test-fixtures.js';
import { profileFor } from './profiles.js';
import { assertSupported, identifierSystem, planPolling, vendorIds } from './vendor-profile.js';

const notSupported = (e: unknown): boolean => e instanceof UserError && e.code === 'EHR_NOT_SUPPORTED';

describe('profileFor', () => {
  it('gives each vendor its own fresh profile, and refuses an unknown id', () => {
    for (const id of vendorIds) assert.equal(profileFor(id).id, id);
    assert.notEqual(profileFor('epic'), profileFor('epic'));
    assert.throws(() => profileFor('meditech'), notSupported);
  });
});

describe('assertSupported', () => {
  it('generic R4: every interaction on the workflow types', () => {
    const p = profileFor('generic-r4');
    for (const t of ['Appointment', 'ServiceRequest', 'Task', 'Encounter', 'DocumentReference', 'Patient']) {
      for (const i of ['read', 'search', 'create', 'update', 'history'] as const) assertSupported(p, t, i);
    }
    assert.throws(() => assertSupported(p, 'Claim', 'read'), notSupported);
    assert.throws(() => assertSupported(p, 'Appointment', 'search', ['not-a-param']), notSupported);
  });

  it('Epic: no Appointment writes, searches need a patient, DocumentReference create', () => {
    const p = profileFor('epic');
    assertSupported(p, 'Appointment', 'read');
    assert.throws(() => assertSupported(p, 'Appointment', 'create'), notSupported);
    assert.throws(() => assertSupported(p, 'Appointment', 'update'), notSupported);
    assert.throws(() => assertSupported(p, 'Encounter', 'search', ['date']), /requires patient/);
    assertSupported(p, 'Encounter', 'search', ['patient', 'date']);
    assertSupported(p, 'DocumentReference', 'create');
    assert.throws(() => assertSupported(p, 'Patient', 'history'), notSupported);
  });

  it('Oracle Health: Appointment booked and patched, no Task', () => {
    const p = profileFor('oracle-health');
    assertSupported(p, 'Appointment', 'create');
    assertSupported(p, 'Appointment', 'update');
    assert.throws(() => assertSupported(p, 'Task', 'read'), notSupported);
    assert.throws(() => assertSupported(p, 'ServiceRequest', 'create'), notSupported);
  });

  it('athenahealth: read-only FHIR, practice-scoped searches', () => {
    const p = profileFor('athenahealth');
    assertSupported(p, 'Appointment', 'search', ['ah-practice', 'patient']);
    assert.throws(() => assertSupported(p, 'Appointment', 'search', ['patient']), /ah-practice/);
    assert.throws(() => assertSupported(p, 'Appointment', 'create'), notSupported);
  });
});

describe('planPolling', () => {
  it('generic R4: _lastUpdated=gt<since>, oldest first, largest page', () => {
    const plan = planPolling(profileFor('generic-r4'), 'Appointment', '2024-03-01T09:00:00-05:00');
    assert.deepEqual(plan.params, {
      _lastUpdated: 'gt2024-03-01T09:00:00-05:00',
      _sort: '_lastUpdated',
      _count: '100',
    });
  });
  it('Epic has no change search: EHR_NOT_SUPPORTED (use the HL7 v2 feed)', () => {
    assert.throws(() => planPolling(profileFor('epic'), 'Appointment', '2024-03-01T09:00:00Z'), notSupported);
  });
  it('Oracle Health polls ServiceRequest per patient; not Appointment', () => {
    const p = profileFor('oracle-health');
    assert.deepEqual(planPolling(p, 'ServiceRequest', '2024-03-01T09:00:00Z', { patient: '12724066' }).params, {
      patient: '12724066',
      _lastUpdated: 'gt2024-03-01T09:00:00Z',
      _count: '100',
    });
    assert.throws(() => planPolling(p, 'ServiceRequest', '2024-03-01T09:00:00Z'), /requires patient/);
    assert.throws(() => planPolling(p, 'Appointment', '2024-03-01T09:00:00Z'), notSupported);
  });
  it('athenahealth needs the practice scope', () => {
    const plan = planPolling(profileFor('athenahealth'), 'Patient', '2024-03-01T09:00:00Z', {
      'ah-practice': 'Organization/a-1.Practice-195900',
    });
    assert.equal(plan.params['ah-practice'], 'Organization/a-1.Practice-195900');
  });
});

describe('identifier systems and normalize hooks', () => {
  it('fills per-site templates', () => {
    assert.equal(
      identifierSystem(profileFor('athenahealth'), 'patient', { practiceId: '195900' }),
      'urn:athenahealth:athenanet:patient:195900',
    );
    assert.equal(identifierSystem(profileFor('epic'), 'mrn', { mrnSystem: 'urn:oid:1.2.3' }), 'urn:oid:1.2.3');
    assert.equal(identifierSystem(profileFor('generic-r4'), 'mrn'), undefined);
  });
  it('normalize drops the narrative before mapping; the event is unchanged otherwise', () => {
    const full = parseFhirJson(
      readText(
        thirdParty(
          'fhir-r4-examples',
          'subscriptions-backport',
          'inferno',
          'full_resource_notification_bundle_example.json',
        ),
      ),
    );
    const enc = parseSubscriptionNotification(full).events[0]?.resource;
    assert.ok(enc && 'text' in enc);
    for (const id of vendorIds) {
      const n = profileFor(id).normalize(enc);
      assert.ok(!('text' in n), id);
      const [e] = changeEvents(
        { ...n, meta: { versionId: '1', lastUpdated: '2020-05-29T11:44:13-05:00' } },
        undefined,
        { connectionId: 'c', channel: 'fhir-subscription' },
      );
      assert.equal(e?.type, 'encounter.started', id);
      assert.equal(e?.patient.ehrId, '1599eb66-431a-447c-a3de-6897fe9ae9a1', id);
    }
  });
});

describe('athenahealth notifications through the shared parser and the profile hook', () => {
  const athena = (name: string) =>
    profileFor('athenahealth').normalizeNotification(
      parseSubscriptionNotification(parseFhirJson(readText(thirdParty('vendor-sandbox', 'athenahealth', name)))),
    );
  it('appointment: type from the topic, patient from the AuditEvent extension', () => {
    const [e] = athena('fhir-subscription-notification-appointment.json').events;
    assert.equal(e?.focus?.type, 'Appointment');
    assert.equal(e?.patient, 'Patient/a-195900.E-51711');
  });
  it('order → ServiceRequest; patient event → Patient reference', () => {
    const [o] = athena('fhir-subscription-notification-order.json').events;
    assert.equal(o?.focus?.type, 'ServiceRequest');
    assert.equal(o?.patient, 'Patient/a-195900.E-8269');
    const [p] = athena('fhir-subscription-notification-patient.json').events;
    assert.equal(p?.patient, 'Patient/a-195900.E-1');
  });
  it('appointment-create (no AuditEvent): type from the topic, no patient invented', () => {
    const [e] = athena('fhir-subscription-notification-appointment-create.json').events;
    assert.equal(e?.focus?.type, 'Appointment');
    assert.equal(e?.patient, undefined);
  });
  it('derives the Patient id from an athenaNet identifier the same way the recording pairs them', () => {
    const n = athena('fhir-subscription-notification-patient.json');
    const focus = n.events[0]?.focus;
    const identifier = focus?.identifier;
    assert.ok(identifier);
    const stripped = { ...n, events: n.events.map((e) => ({ ...e, focus: { identifier } })) };
    const [e] = profileFor('athenahealth').normalizeNotification(stripped).events;
    assert.equal(e?.focus?.relative, focus?.relative);
    assert.equal(e?.focus?.relative, 'Patient/a-195900.E-1');
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '@steward/core';
import { readJson, thirdParty } from '../fhir-model/test-fixtures.js';
import { compareToProfile, parseCapabilityStatement, parseSmartConfiguration } from './capability.js';
import { profileFor } from './profiles.js';

const vendor = (...p: string[]): unknown => readJson(thirdParty('vendor-sandbox', ...p));

describe('parseCapabilityStatement', () => {
  it('Epic STU3 (2021): Appointment read-only, ProcedureRequest read as ServiceRequest', () => {
    const s = parseCapabilityStatement(vendor('epic', 'capabilitystatement-stu3-advantagecare-epic-feb2021.json'));
    assert.equal(s.fhirVersion, '3.0.1');
    assert.deepEqual(s.resources['Appointment']?.interactions, ['read']);
    assert.equal(s.resources['ServiceRequest']?.declaredAs, 'ProcedureRequest');
    assert.ok(s.resources['ServiceRequest']?.searchParams.includes('patient'));
    assert.deepEqual(s.resources['DocumentReference']?.interactions, ['create', 'read', 'search-type']);
    assert.equal(s.topicSubscriptions, false);
  });

  it('Epic DSTU2 Conformance recordings parse too', () => {
    for (const f of [
      'conformance-dstu2-wellstar-epic-nov2019.json',
      'conformance-dstu2-ardenthealth-epic-may2019.json',
      'capabilitystatement-stu3-epic-feb2019.json',
    ]) {
      const s = parseCapabilityStatement(vendor('epic', f));
      assert.ok(s.resources['Patient']?.interactions.includes('read'), f);
    }
  });

  it('Cerner DSTU2: Appointment searchable by date/patient/status; ProcedureRequest by _lastUpdated', () => {
    const s = parseCapabilityStatement(vendor('cerner', 'conformance-dstu2-cerner-myrecord.json'));
    assert.equal(s.fhirVersion, '1.0.2');
    for (const p of ['date', 'patient', 'practitioner', 'location', 'status'])
      assert.ok(s.resources['Appointment']?.searchParams.includes(p), p);
    assert.ok(s.resources['ServiceRequest']?.searchParams.includes('_lastUpdated'));
  });

  it('a backport-capable server declares topic-based subscriptions', () => {
    const s = parseCapabilityStatement(
      readJson(
        thirdParty('fhir-r4-examples', 'subscriptions-backport', 'inferno', 'capability_statement_example.json'),
      ),
    );
    assert.equal(s.topicSubscriptions, true);
  });

  it('refuses what is not a capability statement', () => {
    assert.throws(
      () => parseCapabilityStatement({ resourceType: 'Patient' }),
      (e: unknown) => e instanceof UserError && e.code === 'FHIR_INVALID',
    );
    assert.throws(
      () => parseCapabilityStatement([]),
      (e: unknown) => e instanceof UserError && e.code === 'FHIR_INVALID',
    );
  });
});

describe('compareToProfile', () => {
  it('the 2021 Epic recording lacks what the R4 Epic profile expects (Appointment search, Task)', () => {
    const gaps = compareToProfile(
      profileFor('epic'),
      parseCapabilityStatement(vendor('epic', 'capabilitystatement-stu3-advantagecare-epic-feb2021.json')),
    );
    assert.ok(gaps.some((g) => g.resourceType === 'Appointment' && g.missing === 'search'));
    assert.ok(gaps.some((g) => g.resourceType === 'Task' && g.missing === 'resource'));
    assert.ok(!gaps.some((g) => g.resourceType === 'DocumentReference' && g.missing === 'create'));
  });
  it('the Cerner recording lacks Oracle Health R4 writes, not its declared Appointment search', () => {
    const gaps = compareToProfile(
      profileFor('oracle-health'),
      parseCapabilityStatement(vendor('cerner', 'conformance-dstu2-cerner-myrecord.json')),
    );
    assert.ok(gaps.some((g) => g.resourceType === 'Appointment' && g.missing === 'create'));
    assert.ok(!gaps.some((g) => g.resourceType === 'Appointment' && g.missing.startsWith('search:date')));
    assert.ok(!gaps.some((g) => g.resourceType === 'ServiceRequest' && g.missing === 'search:_lastUpdated'));
  });
  it('athenahealth expects topic subscriptions', () => {
    const gaps = compareToProfile(
      profileFor('athenahealth'),
      parseCapabilityStatement(vendor('cerner', 'conformance-dstu2-cerner-myrecord.json')),
    );
    assert.ok(gaps.some((g) => g.missing === 'subscriptions'));
  });
});

describe('parseSmartConfiguration', () => {
  it('Cerner sandbox tenant: SMART v2 permissions, no asymmetric client auth declared', () => {
    const s = parseSmartConfiguration(vendor('cerner', 'smart-configuration-cerner-sandbox-tenant-ec2458f2.json'));
    assert.equal(s.v2Scopes, true);
    assert.ok(s.capabilities.includes('launch-standalone'));
    assert.equal(s.backendServices, false);
    assert.ok(s.tokenEndpoint?.startsWith('https://'));
  });
});

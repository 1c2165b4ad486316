/* eslint-disable @typescript-eslint/no-unsafe-member-access -- tests walk FHIR JSON answers dynamically; the assertions are the type checks. */
import { thirdPartyFixture } from '@steward/core/testing';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSandboxEhr } from '../sandbox-ehr.js';
import type { SandboxEhr } from '../sandbox-ehr.js';
import { fhirFetch, tokenFor } from '../testing/index.js';
import { validateR4 } from '../fhir-server/index.js';

const fixturesDir = thirdPartyFixture('synthea-r4');

describe('seeding from Synthea', () => {
  let ehr: SandboxEhr;
  let token: string;
  before(async () => {
    ehr = await startSandboxEhr({ seed: { fixturesDir, maxPatients: 3 } });
    token = await tokenFor(ehr, ['system/*.rs']);
  });
  after(async () => ehr.close());

  it('loads the requested number of patients and reports counts by type', () => {
    const report = ehr.seedReport;
    assert.ok(report);
    assert.equal(report.patients, 3);
    assert.equal(report.byType['Patient'], 3);
    assert.ok((report.byType['Encounter'] ?? 0) > 3);
  });

  it('seeds only valid R4 (the seed is loaded without validating it again at every start)', () => {
    const { entry } = ehr.repository.changeHistory({});
    assert.ok(entry.length > 100);
    for (const e of entry) if (e.resource) validateR4(e.resource);
  });

  it('makes the patients and their encounters searchable, with references resolved', async () => {
    const patients = await fhirFetch(ehr, token, 'GET', 'Patient');
    assert.equal(patients.json.total, 3);
    const id = patients.json.entry[0].resource.id as string;
    const encounters = await fhirFetch(ehr, token, 'GET', `Encounter?patient=Patient/${id}&_count=5`);
    assert.ok(encounters.json.total > 0);
    assert.equal(encounters.json.entry[0].resource.subject.reference, `Patient/${id}`);
  });
});

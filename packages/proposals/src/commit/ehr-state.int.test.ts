/**
 * The EHR state beside a proposal sends the patient only as what checking the chart needs (name,
 * birth date, sex, record numbers): never the SSN, licence, address or telecom the EHR holds.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storeTargets } from '@steward/store/testing';
import {
  appointmentStatusDraft,
  bookedAppointment,
  ENTERPRISE,
  MRN,
  openProposalKit,
  type ProposalKit,
} from '../test-kit.js';
import { EhrStateReader } from './ehr-state.js';

const target = storeTargets()[0];

describe('the EHR state a reviewer sees', () => {
  let k: ProposalKit;
  before(async () => {
    if (target === undefined) throw new Error('no store target');
    k = await openProposalKit(await target.open());
  });
  after(async () => k?.close());

  it('carries only the minimum necessary of the patient', async () => {
    k.ehr.put({
      resourceType: 'Patient',
      id: 'p1',
      name: [
        { use: 'old', family: 'Maidenname', given: ['Marisol'] },
        { use: 'official', family: 'Quixotic-Zebulon', given: ['Marisol', 'Tamsin'], prefix: ['Ms'] },
      ],
      birthDate: '1961-07-23',
      gender: 'female',
      identifier: [
        { system: MRN, value: 'MRN-p1', type: { coding: [{ code: 'MR' }] } },
        { system: ENTERPRISE, value: 'E-p1' },
        { system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-12-3456', type: { coding: [{ code: 'SS' }] } },
        { system: 'urn:oid:2.16.840.1.113883.4.3.25', value: 'S99912345', type: { coding: [{ code: 'DL' }] } },
        { system: 'urn:example:passport', value: 'X1234567', type: { coding: [{ code: 'PPN' }] } },
      ],
      address: [{ line: ['12 Hidden Lane'], city: 'Secretville', postalCode: '01234' }],
      telecom: [{ system: 'phone', value: '555-0100' }],
      maritalStatus: { text: 'Married' },
      contact: [{ name: { family: 'Nextofkin' } }],
    });
    const reviewer = await k.as('ehr-state-reviewer', 'clinician_reviewer');
    const flow = await k.as('ehr-state-flow', 'automation');
    const a = k.ehr.put(bookedAppointment('p1'));
    const p = await k.desk.draft(flow, appointmentStatusDraft(a.resource, a.versionId, 'cancelled'));
    const state = await new EhrStateReader(k.deps, k.ehr).read(reviewer, p.id);
    assert.deepEqual(state.patient?.resource, {
      resourceType: 'Patient',
      id: 'p1',
      name: [{ family: 'Quixotic-Zebulon', given: ['Marisol', 'Tamsin'] }],
      birthDate: '1961-07-23',
      gender: 'female',
      identifier: [
        { system: MRN, value: 'MRN-p1', type: { coding: [{ code: 'MR' }] } },
        { system: ENTERPRISE, value: 'E-p1' },
      ],
    });
    const sent = JSON.stringify(state);
    for (const secret of ['999-12-3456', 'S99912345', 'X1234567', 'Hidden Lane', '555-0100', 'Married', 'Nextofkin'])
      assert.ok(!sent.includes(secret), `${secret} reached the reviewer`);
    assert.equal(state.target?.resource?.['resourceType'], 'Appointment', 'the target is sent whole');
  });
});

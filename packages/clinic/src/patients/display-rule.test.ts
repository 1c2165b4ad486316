import { test } from 'node:test';
import assert from 'node:assert/strict';
import { purposesOfUse, roles } from '@steward/core';
import { displayFieldsFor, maskMrn, patientDisplayFields, type DisplayViewer } from './display-rule.js';

const all = ['name', 'birthDate', 'mrn'];
// The matrix for treatment (the purpose the clinic's grants carry): role × field.
const treat: Record<DisplayViewer, readonly string[]> = {
  admin: [],
  compliance_officer: [],
  coordinator: all,
  front_desk: all,
  clinician_reviewer: all,
  automation: [],
  agent: [],
  integration: [],
  'break-glass': all,
};

test('role × field for treatment: coordinators, front desk and reviewers see name, birth date and masked MRN; others none', () => {
  for (const viewer of [...roles, 'break-glass'] as const)
    for (const field of patientDisplayFields)
      assert.equal(
        displayFieldsFor(viewer, 'TREAT').includes(field),
        treat[viewer].includes(field),
        `${viewer} × ${field}`,
      );
});

test('purpose narrows: payment shows name and MRN, system administration and compliance show nothing', () => {
  assert.deepEqual(displayFieldsFor('coordinator', 'HPAYMT'), ['name', 'mrn']);
  assert.deepEqual(displayFieldsFor('coordinator', 'HSYSADMIN'), []);
  assert.deepEqual(displayFieldsFor('clinician_reviewer', 'HCOMPL'), []);
  assert.deepEqual(displayFieldsFor('break-glass', 'ETREAT'), ['name', 'birthDate', 'mrn']);
});

test('a role without PHI read sees no field for any purpose, and no viewer ever gets a field beyond the three', () => {
  for (const purpose of purposesOfUse) {
    for (const viewer of ['admin', 'compliance_officer', 'integration', 'automation', 'agent'] as const)
      assert.deepEqual(displayFieldsFor(viewer, purpose), [], `${viewer} ${purpose}`);
    for (const viewer of [...roles, 'break-glass'] as const)
      for (const field of displayFieldsFor(viewer, purpose))
        assert.ok((patientDisplayFields as readonly string[]).includes(field), field);
  }
  for (const forbidden of ['ssn', 'licence', 'address', 'phone', 'email'])
    assert.ok(!(patientDisplayFields as readonly string[]).includes(forbidden));
});

test('an MRN is shown by its last four characters only', () => {
  assert.equal(maskMrn('MRN-00412345'), '••••2345');
  assert.equal(maskMrn('123'), '••••');
  assert.ok(!maskMrn('99887766').includes('9988'));
});

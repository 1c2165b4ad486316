import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import type { RequestContext } from '@steward/core';
import {
  AuditLog,
  BreakGlassStore,
  GrantStore,
  InMemoryMasterKeyProvider,
  KeyRing,
  PolicyDecisionPoint,
} from '@steward/governance';
import { PatientIndex } from './patient-index.js';
import { PatientLabels } from './patient-labels.js';

const bootstrap = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'test',
  authMethod: 'local-operator',
} as const;
const coordinatorId = '3d4e5f60-7182-4c9d-8e1f-2a3b4c5d6e7f';
const complianceId = '4e5f6071-8293-4dae-9f20-3b4c5d6e7f80';
const ctx = (id: string): RequestContext => ({
  actor: { kind: 'user', id, name: id.slice(0, 8), authMethod: 'password' },
});
const mrn = { system: 'urn:hl7v2:HOSP:MR', value: '00418822' };

for (const target of storeTargets()) {
  describe(`patient labels on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let audit: AuditLog;
    let labels: PatientLabels;
    let patientId: string;

    before(async () => {
      db = await target.open();
      const cipher = await KeyRing.open(db, InMemoryMasterKeyProvider.random());
      audit = await AuditLog.open(db, cipher);
      const grants = new GrantStore(db, audit);
      const policy = new PolicyDecisionPoint(grants, new BreakGlassStore(db, cipher, audit), audit);
      const index = new PatientIndex({ db, cipher, policy, audit });
      labels = new PatientLabels({ db, cipher, policy, audit });
      await db.query(
        `insert into users (id, username, password_hash) values ($1, 'coord', 'x'), ($2, 'officer', 'x')`,
        [coordinatorId, complianceId],
      );
      const grant = (id: string, role: 'coordinator' | 'compliance_officer', site: string) =>
        grants.add(bootstrap, {
          principalKind: 'user',
          principalId: id,
          role,
          site,
          workflow: '*',
          purposeOfUse: 'TREAT',
        });
      await grant(coordinatorId, 'coordinator', 'north');
      await grant(complianceId, 'compliance_officer', '*');
      patientId = await index.resolve(ctx(coordinatorId), {
        connectionId: '5d0c7f4e-2a8b-4c1d-9e3f-6a7b8c9d0e1f',
        site: 'north',
        identifiers: [mrn],
        demographics: { name: { family: 'Lovelace', given: ['Ada', 'B'] }, birthDate: '1961-02-03', gender: 'female' },
      });
    });
    after(async () => {
      await audit.close();
      await db.close();
    });

    const lastEntry = async () =>
      (
        await db.query<{ event: string; actor_id: string; patient_ids: string[] }>(
          'select event, actor_id, patient_ids from audit_log order by seq desc limit 1',
        )
      ).rows[0];

    it('shows a coordinator at the site the name, birth date and masked MRN, and audits the read with the patient', async () => {
      const [label] = await labels.label(ctx(coordinatorId), [{ patientId, site: 'north', identifiers: [mrn] }]);
      assert.deepEqual(label, { id: patientId, name: 'Lovelace, Ada B', birthDate: '1961-02-03', mrn: '••••8822' });
      const entry = await lastEntry();
      assert.equal(entry?.event, 'phi.read');
      assert.equal(entry?.actor_id, coordinatorId);
      assert.deepEqual(entry?.patient_ids, [patientId]);
    });

    it('shows the Steward id alone to a compliance officer and to a coordinator at another site, and audits nothing', async () => {
      const before = await lastEntry();
      const [officer] = await labels.label(ctx(complianceId), [{ patientId, site: 'north', identifiers: [mrn] }]);
      const [elsewhere] = await labels.label(ctx(coordinatorId), [{ patientId, site: 'south', identifiers: [mrn] }]);
      assert.deepEqual(officer, { id: patientId });
      assert.deepEqual(elsewhere, { id: patientId });
      assert.deepEqual(await lastEntry(), before);
    });
  });
}

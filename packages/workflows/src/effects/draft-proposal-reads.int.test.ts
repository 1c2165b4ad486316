import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { systemClock, type Actor, type PatientRef, type RequestContext } from '@steward/core';
import {
  AuditLog,
  BreakGlassStore,
  GrantStore,
  InMemoryMasterKeyProvider,
  KeyRing,
  PolicyDecisionPoint,
  ServiceAccountDirectory,
  queryAudit,
} from '@steward/governance';
import { GovernedEhr, InMemoryEhrChannel, ehrPatientId } from '@steward/ehr';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import { draftProposalHandler } from './draft-proposal.js';

const CONNECTION = '11111111-1111-4111-8111-111111111111';
const bootstrap: Actor = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'operator',
  authMethod: 'local-operator',
};

/** A workflow's reads of the chart, through the reader it is given: decided by policy, audited per patient. */
for (const target of storeTargets()) {
  describe(`proposal.draft reads the EHR through the governed reader on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let cipher: KeyRing;
    let audit: AuditLog;
    let ehr: GovernedEhr;
    let channel: InMemoryEhrChannel;
    let accounts: ServiceAccountDirectory;
    let grants: GrantStore;

    const drafter = async (name: string, site: string | undefined): Promise<RequestContext> => {
      const a = await accounts.create(name, bootstrap);
      if (site !== undefined)
        await grants.add(bootstrap, {
          principalKind: 'service',
          principalId: a.id,
          role: 'automation',
          site,
          workflow: '*',
          purposeOfUse: 'TREAT',
        });
      return { actor: { kind: 'service', id: a.id, name, authMethod: 'local-operator' } };
    };
    const draft = (
      ctx: RequestContext,
      drafted: unknown[],
      patient: PatientRef = { ehrId: 'pat-1', identifiers: [] },
    ) =>
      draftProposalHandler({
        desk: {
          draft: (_ctx, input) => {
            drafted.push(input);
            return Promise.resolve({ id: 'p1', status: 'pending_review' } as never);
          },
        },
        ctx,
        siteOf: () => Promise.resolve('north'),
        patientOf: () => Promise.resolve(patient),
        ehr: ehr.reader,
      })({
        key: 'referral/1/1',
        kind: 'proposal.draft',
        workflowId: 'referral-1',
        attempt: 1,
        input: {
          action: 'task.create',
          connectionId: CONNECTION,
          workflow: 'referral',
          correlationId: 'referral:c1:1',
          patientEventId: 'e1',
          target: { resourceType: 'Task' },
          payload: { resourceType: 'Task', for: { reference: 'Patient/{{patient}}' } },
          evidence: { eventIds: ['e1'], resources: [], reasonCode: 'overdue' },
        },
      });
    const audited = async () =>
      (await queryAudit(db, cipher, { patientId: ehrPatientId(cipher, CONNECTION, 'pat-1') })).entries;

    before(async () => {
      db = await target.open();
      cipher = await KeyRing.open(db, InMemoryMasterKeyProvider.random());
      audit = await AuditLog.open(db, cipher);
      grants = new GrantStore(db, audit);
      accounts = new ServiceAccountDirectory({ db, audit, clock: systemClock });
      const policy = new PolicyDecisionPoint(grants, new BreakGlassStore(db, cipher, audit), audit);
      channel = new InMemoryEhrChannel();
      channel.put({
        resourceType: 'Patient',
        id: 'pat-1',
        identifier: [
          { system: 'urn:mrn', value: 'MRN-1' },
          { system: 'urn:enterprise', value: 'E-1' },
        ],
      });
      ehr = new GovernedEhr({
        channel,
        policy,
        audit,
        cipher,
        connection: () => Promise.resolve({ site: 'north', actor: bootstrap }),
      });
    });
    after(async () => {
      await audit.close();
      await db.close();
    });

    it("leaves an audit entry under the patient for the workflow's Patient read", async () => {
      const ctx = await drafter('steward-workflows', 'north');
      const drafted: { patient: { identifiers: unknown[] } }[] = [];
      await draft(ctx, drafted);
      assert.deepEqual(drafted[0]?.patient.identifiers, [
        { system: 'urn:mrn', value: 'MRN-1' },
        { system: 'urn:enterprise', value: 'E-1' },
      ]);
      const reads = (await audited()).filter((e) => e.event === 'phi.read' && e.actor.id === ctx.actor.id);
      assert.equal(reads.length, 1);
      assert.deepEqual(reads[0]?.entity?.kind, 'Patient');
    });

    it("finds an HL7-fed event's patient by its MRN through a governed search, audited under the patient", async () => {
      const ctx = await drafter('steward-workflows-hl7', 'north');
      const drafted: { patient: { ehrId: string } }[] = [];
      await draft(ctx, drafted, { identifiers: [{ system: 'urn:mrn', value: 'MRN-1' }] });
      assert.equal(drafted[0]?.patient.ehrId, 'pat-1');
      const mine = (await audited()).filter((e) => e.actor.id === ctx.actor.id).map((e) => e.event);
      assert.deepEqual(mine.sort(), ['phi.read', 'phi.search']);
    });

    it('is refused without phi.read at the site: nothing read, nothing drafted, the denial audited under the patient', async () => {
      const ctx = await drafter('other-site-workflows', 'south');
      const calls = channel.calls.length;
      const drafted: unknown[] = [];
      await assert.rejects(draft(ctx, drafted), { code: 'FORBIDDEN' });
      assert.equal(drafted.length, 0);
      assert.equal(channel.calls.length, calls);
      const denied = (await audited()).filter((e) => e.event === 'access.denied' && e.actor.id === ctx.actor.id);
      assert.equal(denied.length, 1);
    });
  });
}

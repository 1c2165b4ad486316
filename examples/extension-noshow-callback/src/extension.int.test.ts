/**
 * The example extension end to end, on a real store (PGlite, and PostgreSQL when configured): its
 * workflow registered in the catalog beside Steward's own and run by the engine, which drafts its
 * action through the real `proposal.draft` effect and desk; a reviewer approves the content hash;
 * the real applier commits it through the EHR port (the in-memory EHR) and verifies it; a rollback
 * withdraws it by the action's compensation.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, isStewardError, type EhrEvent, type RequestContext } from '@steward/core';
import type { EhrReader } from '@steward/ehr';
import { ProposalApplier, ProposalDesk, builtinActions, type ProposalDeps } from '@steward/proposals';
import { openProposalKit, type ProposalKit } from '@steward/proposals/testing';
import { workflowCatalog } from '@steward/server';
import { openTestApp } from '@steward/server/testing';
import { flowTargets, type TestDatabase } from '@steward/store/testing';
import {
  WorkflowCatalog,
  WorkflowEngine,
  WorkflowWorker,
  builtinWorkflowPackages,
  draftProposal,
  draftProposalHandler,
  type RouteAction,
} from '@steward/workflows';
import { CALLBACK_CODE, NOSHOW_CALLBACK, noshowCallbackExtension } from './index.js';

const CONNECTION = '11111111-1111-4111-8111-111111111111';
const EVENT = '33333333-3333-4333-8333-333333333333';
const patient = {
  ehrId: 'p7',
  identifiers: [
    { system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN-p7' },
    { system: 'urn:oid:2.16.840.1.113883.19.9', value: 'E-p7' },
  ],
};

const noShow: EhrEvent = {
  id: EVENT,
  seq: 1,
  recordedAt: new Date('2026-06-01T14:00:00Z'),
  type: 'appointment.no-show',
  connectionId: CONNECTION,
  channel: 'fhir-poll',
  dedupKey: 'fhir:Appointment/a9/_history/3',
  occurredAt: '2026-06-01T09:30:00-04:00',
  patient,
  facts: { kind: 'Appointment', ehrId: 'a9', identifiers: [], status: 'noshow', participants: [], basedOn: [] },
  sourceRef: 'Appointment/a9/_history/3',
};

// The example reads nothing from the EHR to draft (the event names two identifiers and it creates):
// a reader that fails if it is ever asked proves it.
const refuse = (): Promise<never> => Promise.reject(new Error('the example reads nothing from the EHR'));
const unusedEhr: EhrReader = { patient: refuse, read: refuse, search: refuse, searchPage: refuse };

for (const target of flowTargets()) {
  describe(`the no-show call-back extension on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let kit: ProposalKit;
    let desk: ProposalDesk;
    let applier: ProposalApplier;
    let drafter: RequestContext;
    let reviewer: RequestContext;
    let writer: RequestContext;
    const clock = new ManualClock('2026-06-01T14:00:00Z');

    before(async () => {
      db = await target.open();
      kit = await openProposalKit(db);
      // As the kernel does with `extensions`: the built-in actions and the extension's.
      const deps: ProposalDeps = {
        ...kit.deps,
        actions: builtinActions.with(noshowCallbackExtension.actions ?? []),
      };
      desk = new ProposalDesk(deps);
      applier = new ProposalApplier(deps, kit.ehr);
      drafter = await kit.as('steward-workflows', 'automation');
      reviewer = await kit.as('reviewer', 'clinician_reviewer');
      writer = await kit.as('steward-applier', 'integration');
    });
    after(() => kit.close());

    it('is registered beside the built-in workflows, runs, proposes, is reviewed, committed, verified and rolled back', async () => {
      const catalog = new WorkflowCatalog([...builtinWorkflowPackages, ...(noshowCallbackExtension.workflows ?? [])], {
        siteOf: () => Promise.resolve('north'),
        referralRulesOf: () => Promise.reject(new Error('no referral in this test')),
      });
      assert.deepEqual(catalog.packages, ['referrals', 'followups', 'handoffs', 'example-noshow-callback']);

      // Every registered route sees the event; only the extension's starts something.
      const actions: RouteAction[] = [];
      for (const route of catalog.routes) actions.push(...(await route(noShow, () => Promise.resolve(undefined))));
      assert.equal(actions.length, 1);
      const start = actions[0];
      assert.ok(start?.kind === 'start' && start.type === NOSHOW_CALLBACK);

      const engine = new WorkflowEngine({
        db,
        clock,
        definitions: catalog.definitions,
        effects: {
          ...catalog.effects,
          [draftProposal.kind]: draftProposalHandler({
            desk,
            ctx: drafter,
            siteOf: () => Promise.resolve('north'),
            patientOf: () => Promise.resolve(patient),
            ehr: unusedEhr,
            actions: builtinActions.with(noshowCallbackExtension.actions ?? []),
          }),
        },
      });
      const { workflowId } = await engine.start(start.type, start.correlationKey, start.payload);
      await new WorkflowWorker(engine, { id: 'example' }).drain();
      const run = await engine.get(workflowId);
      assert.equal(run.status, 'completed');
      const proposalId = (run.state as { proposalId: string | null }).proposalId;
      assert.ok(proposalId !== null, JSON.stringify(run.outcome));

      // Reviewed: the reviewer sees the extension's action and approves exactly what they saw.
      const proposal = await desk.get(reviewer, proposalId);
      assert.equal(proposal.action, 'callback-task.create');
      assert.equal(proposal.status, 'pending_review');
      assert.equal(proposal.payload['for'] !== undefined, true);
      assert.deepEqual((proposal.payload['for'] as { reference: string }).reference, 'Patient/p7');
      await desk.approve(reviewer, proposalId, { contentHash: proposal.contentHash });

      // Committed through the real applier and the EHR port, then read back.
      const committed = await applier.commit(writer, proposalId);
      assert.equal(committed.status, 'verified');
      const taskId = committed.proposal.committed?.id;
      assert.ok(taskId !== undefined);
      const task = await kit.ehr.read(CONNECTION, 'Task', taskId);
      assert.equal(task.resource['status'], 'requested');
      assert.deepEqual(task.resource['code'], { coding: [{ ...CALLBACK_CODE }] });

      // Rolled back by the action's compensation: the task is cancelled, not deleted.
      const rolled = await applier.rollback(reviewer, proposalId);
      assert.equal(rolled.status, 'rolled_back');
      assert.equal((await kit.ehr.read(CONNECTION, 'Task', taskId)).resource['status'], 'cancelled');
    });

    it('refuses a draft of its action that breaks the action’s payload schema, naming the field', async () => {
      const draft = {
        action: 'callback-task.create',
        connectionId: CONNECTION,
        site: 'north',
        patient,
        target: { resourceType: 'Task' },
        payload: { resourceType: 'Task', status: 'completed', intent: 'order', description: 'x' },
        evidence: { eventIds: [], resources: [], reasonCode: 'missed-appointment' },
      };
      await assert.rejects(desk.draft(drafter, draft), (e) => {
        assert.ok(isStewardError(e) && e.code === 'VALIDATION_FAILED');
        assert.deepEqual(
          e.details.map((d) => d.path),
          ['payload.status', 'payload.for', 'payload.focus'],
        );
        return true;
      });
    });

    it('a server given the extension registers its action and its workflow at start-up', async () => {
      const app = await openTestApp(await target.open(), { logLevel: 'silent', extensions: [noshowCallbackExtension] });
      try {
        assert.equal(app.kernel.actions.has('callback-task.create'), true);
        assert.equal(app.kernel.actions.has('task.create'), true);
        const catalog = workflowCatalog(app.kernel);
        assert.deepEqual(catalog.packages, ['referrals', 'followups', 'handoffs', 'example-noshow-callback']);
        assert.ok(catalog.definitions.some((d) => d.type === NOSHOW_CALLBACK));
      } finally {
        await app.close();
      }
    });

    it('without the extension, the same action is unknown', async () => {
      const plain = new ProposalDesk(kit.deps);
      const draft = {
        action: 'callback-task.create',
        connectionId: CONNECTION,
        site: 'north',
        patient,
        target: { resourceType: 'Task' },
        payload: { resourceType: 'Task' },
        evidence: { eventIds: [], resources: [], reasonCode: 'missed-appointment' },
      };
      await assert.rejects(
        plain.draft(drafter, draft),
        (e) => isStewardError(e) && e.details.some((d) => d.path === 'action'),
      );
      assert.throws(
        () => builtinActions.get('callback-task.create'),
        (e) => isStewardError(e) && e.code === 'ACTION_UNKNOWN',
      );
    });
  });
}

// Proposals from outside (ADR 0017), at the desk: an agent's draft goes through the desk's own
// drafting, waits for a person whatever the approval policy says, keeps its rationale sealed and on
// every revision, is never approvable by the agent (not even an edited revision), answers retries by
// its own key, and is read back by the agent as an outcome (and by nobody else outside review).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor, RequestContext } from '@steward/core';
import { storeTargets } from '@steward/store/testing';
import { appointmentStatusDraft, bookedAppointment, openProposalKit, type ProposalKit } from '../test-kit.js';
import type { OutsideDraft } from '../model/index.js';
import { OutsideDrafts } from './outside-drafts.js';

const bootstrap: Actor = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'operator',
  authMethod: 'local-operator',
};
const RATIONALE = 'Marisol Quixotic-Zebulon missed her visit twice; the model suggests cancelling this slot.';

for (const target of storeTargets()) {
  describe(`proposals from outside on ${target.name}`, { skip: target.skip }, () => {
    let k: ProposalKit;
    let outside: OutsideDrafts;
    let agent: RequestContext;
    let otherAgent: RequestContext;
    let coordinator: RequestContext;
    let clinician: RequestContext;
    let compliance: RequestContext;

    const agentAccount = async (name: string, actionTypes?: string[]): Promise<RequestContext> => {
      const account = await k.accounts.create(name, bootstrap);
      await k.grants.add(bootstrap, {
        principalKind: 'service',
        principalId: account.id,
        role: 'agent',
        site: 'north',
        workflow: 'rebooking',
        purposeOfUse: 'TREAT',
        ...(actionTypes !== undefined ? { actionTypes } : {}),
      });
      return { actor: { kind: 'service', id: account.id, name, authMethod: 'api-token' } };
    };

    before(async () => {
      k = await openProposalKit(await target.open());
      outside = new OutsideDrafts(k.deps, k.desk);
      agent = await agentAccount('rebooking-agent', ['appointment.status', 'task.create']);
      otherAgent = await agentAccount('another-agent');
      coordinator = await k.as('coord-1', 'coordinator');
      clinician = await k.as('clin-1', 'clinician_reviewer');
      compliance = await k.as('compliance-1', 'compliance_officer', '*');
    });
    after(async () => k?.close());

    const outsideDraft = (status: string, draftKey: string, extra: Partial<OutsideDraft> = {}): OutsideDraft => {
      const a = k.ehr.put(bookedAppointment());
      const d = appointmentStatusDraft(a.resource, a.versionId, status);
      return {
        action: d.action,
        connectionId: d.connectionId!,
        site: d.site,
        patient: d.patient,
        target: d.target,
        baseVersion: d.baseVersion!,
        payload: d.payload,
        evidence: d.evidence,
        workflow: 'rebooking',
        draftKey,
        rationale: RATIONALE,
        ...extra,
      };
    };

    it('waits for a person even where a policy approves its action type, with the rationale sealed', async () => {
      await k.policies.set(compliance, { actionType: 'appointment.status', mode: 'auto' });
      try {
        const { proposal, created } = await outside.draft(agent, outsideDraft('cancelled', 'k-1'));
        assert.equal(created, true);
        assert.equal(proposal.status, 'pending_review', 'never auto-approved');
        assert.deepEqual(proposal.outcome, { outcome: 'pending-review', settled: false });
        assert.equal(proposal.draftKey, 'k-1');
        const { rows } = await k.db.query<Record<string, unknown>>('select * from proposals where id = $1', [
          proposal.id,
        ]);
        assert.equal(rows[0]?.['correlation_id'], `agent:${agent.actor.id}:k-1`);
        assert.equal(rows[0]?.['draft_key'], `agent:${agent.actor.id}:k-1`);
        assert.equal(rows[0]?.['outside_drafter_id'], agent.actor.id);
        assert.equal(rows[0]?.['policy_version'], null);
        const stored = JSON.stringify(rows[0], (_k, v: unknown) =>
          v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v,
        );
        assert.ok(!stored.includes('Quixotic'), 'the rationale is sealed');
        const detail = await k.desk.get(coordinator, proposal.id);
        assert.equal(detail.rationale, RATIONALE);
        assert.equal(detail.draftedOutside, true);
        // A workflow's own draft of the same type is still approved by the policy.
        const a = k.ehr.put(bookedAppointment());
        const own = await k.desk.draft(
          await k.as('no-show-flow', 'automation'),
          appointmentStatusDraft(a.resource, a.versionId, 'noshow'),
        );
        assert.equal(own.status, 'approved');
      } finally {
        await k.policies.set(compliance, { actionType: 'appointment.status', mode: 'review' });
      }
    });

    it('answers a retry with the same proposal, and refuses other content under the key', async () => {
      const first = outsideDraft('noshow', 'k-retry');
      const { proposal } = await outside.draft(agent, first);
      const again = await outside.draft(agent, first);
      assert.deepEqual([again.created, again.proposal.id], [false, proposal.id]);
      for (const changed of [
        { ...first, payload: { ...first.payload, status: 'cancelled' } },
        { ...first, rationale: 'another reason' },
        { ...first, evidence: { ...first.evidence, resources: ['Appointment/other'] } },
        { ...first, priority: 1 },
      ])
        await assert.rejects(outside.draft(agent, changed), { code: 'ALREADY_EXISTS' });
      // Another account's same key is its own.
      const theirs = await outside.draft(otherAgent, first);
      assert.equal(theirs.created, true);
      assert.notEqual(theirs.proposal.id, proposal.id);
    });

    it('refuses a draft without evidence, another workflow in the header, or another patient in the payload', async () => {
      const d = outsideDraft('noshow', 'k-bad');
      await assert.rejects(outside.draft(agent, { ...d, evidence: { ...d.evidence, resources: [] } }), {
        code: 'VALIDATION_FAILED',
      });
      await assert.rejects(outside.draft({ ...agent, workflow: 'intake' }, d), { code: 'VALIDATION_FAILED' });
      await assert.rejects(
        outside.draft(agent, {
          ...d,
          payload: { ...d.payload, participant: [{ actor: { reference: 'Patient/someone-else' } }] },
        }),
        { code: 'VALIDATION_FAILED' },
      );
      const person: RequestContext = { ...coordinator, actor: { ...coordinator.actor, kind: 'user' } };
      await assert.rejects(outside.draft(person, d), { code: 'FORBIDDEN' }, 'a person drafts in the console');
    });

    it('never lets the agent approve, not even a revision a reviewer edited; the agent follows it to the end', async () => {
      const { proposal } = await outside.draft(agent, outsideDraft('cancelled', 'k-edit'));
      const detail = await k.desk.get(coordinator, proposal.id);
      const edited = await k.desk.edit(coordinator, proposal.id, { ...detail.payload, status: 'noshow' });
      assert.equal(edited.draftedOutside, true, 'still the outside drafter’s lineage');
      assert.equal((await k.desk.get(clinician, edited.id)).rationale, RATIONALE, 'the rationale is carried');
      // The agent holds no review.decide: refused as not found, like any proposal it may not decide.
      await assert.rejects(k.desk.approve(agent, edited.id, { contentHash: edited.contentHash }), {
        code: 'NOT_FOUND',
      });
      const was = await outside.get(agent, proposal.id);
      assert.deepEqual(was.outcome, { outcome: 'superseded', settled: true, nextId: edited.id });
      const now = await outside.get(agent, edited.id);
      assert.equal(now.outcome.outcome, 'pending-review');
      assert.equal(now.draftKey, 'k-edit');
      await k.desk.reject(clinician, edited.id, 'the patient already rebooked by phone');
      assert.deepEqual((await outside.get(agent, edited.id)).outcome, {
        outcome: 'rejected',
        settled: true,
        reason: 'the patient already rebooked by phone',
      });
    });

    it('lets only the drafter (while its grant covers it) and reviewers read a proposal back', async () => {
      const { proposal } = await outside.draft(agent, outsideDraft('noshow', 'k-read'));
      assert.equal((await outside.get(coordinator, proposal.id)).id, proposal.id);
      await assert.rejects(outside.get(otherAgent, proposal.id), { code: 'NOT_FOUND' });
      await assert.rejects(outside.get(agent, '00000000-0000-4000-8000-00000000dead'), { code: 'NOT_FOUND' });
      const south = await k.as('coord-south', 'coordinator', 'south');
      await assert.rejects(outside.get(south, proposal.id), { code: 'NOT_FOUND' });
    });

    it("lists the agent's own proposals by last change, by status, and pages", async () => {
      const mine = await outside.list(agent, { limit: 200 });
      assert.ok(mine.items.length >= 5);
      assert.ok(mine.items.every((p) => p.draftKey !== undefined && p.draftKey.startsWith('k-')));
      const times = mine.items.map((p) => p.updatedAt.getTime());
      assert.deepEqual(
        times,
        [...times].sort((a, b) => a - b),
        'oldest change first',
      );
      const rejected = await outside.list(agent, { statuses: ['rejected'] });
      assert.deepEqual(
        rejected.items.map((p) => p.outcome.outcome),
        ['rejected'],
      );
      const first = await outside.list(agent, { limit: 2 });
      assert.equal(first.items.length, 2);
      assert.ok(first.next !== undefined);
      const second = await outside.list(agent, { limit: 2, cursor: first.next });
      assert.notEqual(second.items[0]?.id, first.items[0]?.id);
      assert.equal(second.items[0]?.id, mine.items[2]?.id);
      assert.deepEqual((await outside.list(otherAgent)).items.length, 1, 'only its own');
      assert.deepEqual((await outside.list(coordinator)).items, [], 'a person has none');
    });
  });
}

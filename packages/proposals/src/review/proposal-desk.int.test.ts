import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor, RequestContext } from '@steward/core';
import { storeTargets } from '@steward/store/testing';
import {
  appointmentStatusDraft,
  bookedAppointment,
  openProposalKit,
  patientFor,
  type ProposalKit,
} from '../test-kit.js';
import type { ActionType, OutsideDraft, ProposalDraft } from '../model/index.js';
import { OutsideDrafts } from './outside-drafts.js';
import { proposalStates } from '../store/index.js';

const reminder = (extra: Partial<ProposalDraft> = {}): ProposalDraft => ({
  action: 'reminder.send',
  site: 'north',
  workflow: 'appointment-reminders',
  patient: patientFor('p1'),
  target: { resourceType: 'Communication' },
  payload: { template: 'appointment-reminder', channel: 'sms', appointment: 'Appointment/a1' },
  evidence: { eventIds: [], resources: ['Appointment/a1'], reasonCode: 'reminder-due' },
  ...extra,
});

const bootstrap: Actor = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'operator',
  authMethod: 'local-operator',
};
const RATIONALE = 'Marisol Quixotic-Zebulon missed her visit twice; the model suggests cancelling this slot.';

for (const target of storeTargets()) {
  describe(`review desk and approval policies on ${target.name}`, { skip: target.skip }, () => {
    let k: ProposalKit;
    let workflow: RequestContext;
    let coordinator: RequestContext;
    let clinician: RequestContext;
    let compliance: RequestContext;
    let southReviewer: RequestContext;

    before(async () => {
      k = await openProposalKit(await target.open());
      workflow = await k.as('referral-workflow', 'automation');
      coordinator = await k.as('coord-1', 'coordinator');
      clinician = await k.as('clin-1', 'clinician_reviewer');
      compliance = await k.as('compliance-1', 'compliance_officer', '*');
      southReviewer = await k.as('coord-south', 'coordinator', 'south');
    });
    after(async () => k?.close());

    const draftAppointment = (status = 'cancelled', extra: Partial<ProposalDraft> = {}): ProposalDraft => {
      const a = k.ehr.put(bookedAppointment());
      return appointmentStatusDraft(a.resource, a.versionId, status, extra);
    };

    it('files a draft pending review, sealed, with its history and audit', async () => {
      const p = await k.desk.draft(workflow, draftAppointment());
      assert.equal(p.status, 'pending_review');
      assert.equal(p.revision, 1);
      assert.match(p.contentHash, /^[0-9a-f]{64}$/);
      assert.deepEqual(p.draftedBy, { kind: 'service', id: workflow.actor.id });
      const { rows } = await k.db.query<Record<string, unknown>>('select * from proposals where id = $1', [p.id]);
      const stored = JSON.stringify(rows[0], (_k, v: unknown) =>
        v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v,
      );
      assert.ok(!stored.includes('MRN-p1') && !stored.includes('cancelled'), 'payload and identifiers are sealed');
      const detail = await k.desk.get(coordinator, p.id);
      assert.equal(detail.payload['status'], 'cancelled');
      assert.equal(detail.patient.identifiers[0]?.value, 'MRN-p1');
      assert.deepEqual(
        detail.history.map((h) => [h.from ?? null, h.to]),
        [
          [null, 'drafted'],
          ['drafted', 'pending_review'],
        ],
      );
      await k.audit.flush();
      const events = await k.db.query<{ event: string }>(
        `select event from audit_log where event like 'proposal.%' or event = 'phi.read' order by seq`,
      );
      assert.ok(events.rows.some((r) => r.event === 'proposal.drafted'));
      assert.equal(events.rows.at(-1)?.event, 'phi.read', 'opening a proposal is audited as a read');
    });

    it('never lets the drafter approve, and audits the refusal', async () => {
      // A coordinator may both draft and decide: still never their own proposal.
      const p = await k.desk.draft(coordinator, draftAppointment());
      await assert.rejects(k.desk.approve(coordinator, p.id, { contentHash: p.contentHash }), {
        code: 'FORBIDDEN',
        message: /drafted a proposal cannot approve it/,
      });
      await k.audit.flush();
      const denied = await k.db.query(
        `select 1 from audit_log where event = 'proposal.approved' and outcome = 'denied' and actor_id = $1`,
        [coordinator.actor.id],
      );
      assert.equal(denied.rowCount, 1);
      const approved = await k.desk.approve(clinician, p.id, { contentHash: p.contentHash });
      assert.equal(approved.status, 'approved');
      assert.deepEqual(approved.approvedBy, { kind: 'service', id: clinician.actor.id });
    });

    it('does not carry an approval over to a changed payload', async () => {
      const p = await k.desk.draft(workflow, draftAppointment('cancelled'));
      const detail = await k.desk.get(coordinator, p.id);
      const edited = await k.desk.edit(clinician, p.id, { ...detail.payload, status: 'noshow' });
      assert.notEqual(edited.contentHash, p.contentHash);
      assert.equal(edited.revision, 2);
      assert.equal(edited.supersedes, p.id);
      assert.deepEqual(edited.draftedBy, { kind: 'service', id: clinician.actor.id }, 'the editor drafted it');
      // The hash the reviewer saw (the old payload) does not approve the new one.
      await assert.rejects(k.desk.approve(coordinator, edited.id, { contentHash: p.contentHash }), {
        code: 'VERSION_CONFLICT',
      });
      // The old revision is superseded and cannot be approved either.
      await assert.rejects(k.desk.approve(coordinator, p.id, { contentHash: p.contentHash }), {
        code: 'VERSION_CONFLICT',
      });
      // The editor cannot approve their own edit; someone else can, by the new hash.
      await assert.rejects(k.desk.approve(clinician, edited.id, { contentHash: edited.contentHash }), {
        code: 'FORBIDDEN',
      });
      const ok = await k.desk.approve(coordinator, edited.id, { contentHash: edited.contentHash });
      assert.equal(ok.status, 'approved');
      // An approved proposal edited before commit needs approving again.
      const again = await k.desk.edit(clinician, ok.id, { ...detail.payload, status: 'cancelled' });
      assert.equal(again.status, 'pending_review');
      assert.equal((await k.desk.get(coordinator, ok.id)).status, 'superseded');
      // A workflow kept only the first id: where it stands now is its latest revision's state.
      const states = await proposalStates(k.db, [p.id, again.id, 'not-a-proposal']);
      assert.deepEqual(states.get(p.id), { status: 'pending_review', latestId: again.id });
      assert.deepEqual(states.get(again.id), { status: 'pending_review', latestId: again.id });
      assert.equal(states.size, 2);
      await k.desk.reject(coordinator, again.id, 'not needed');
      assert.equal((await proposalStates(k.db, [p.id])).get(p.id)?.status, 'rejected');
    });

    it('refuses a stored payload altered behind the hash', async () => {
      const p = await k.desk.draft(workflow, draftAppointment());
      const other = await k.desk.draft(workflow, draftAppointment('noshow'));
      // Swapping the sealed body of another row in fails to open: the seal is bound to its row.
      await k.db.query(`update proposals set body_enc = (select body_enc from proposals where id = $2) where id = $1`, [
        p.id,
        other.id,
      ]);
      await assert.rejects(k.desk.approve(coordinator, p.id, { contentHash: p.contentHash }));
      assert.equal(
        (await k.db.query(`select status from proposals where id = $1`, [p.id])).rows[0]?.['status'],
        'pending_review',
      );
    });

    it('auto-approves only the exactly named action type, at draft time, by the recorded policy version', async () => {
      await assert.rejects(k.policies.set(coordinator, { actionType: 'reminder.send', mode: 'auto' }), {
        code: 'FORBIDDEN',
      });
      await assert.rejects(
        k.policies.set(compliance, { actionType: '*', mode: 'auto' }),
        { code: 'VALIDATION_FAILED' },
        'no wildcard',
      );
      await assert.rejects(k.policies.set(compliance, { actionType: 'reminder', mode: 'auto' }), {
        code: 'VALIDATION_FAILED',
      });
      const policy = await k.policies.set(compliance, { actionType: 'reminder.send', mode: 'auto' });
      const auto = await k.desk.draft(workflow, reminder());
      assert.equal(auto.status, 'approved');
      assert.equal(auto.policyVersion, policy.version);
      assert.deepEqual(auto.approvedBy, { kind: 'policy', id: `policy:${policy.version}` });
      assert.equal(auto.reversible, false, 'a message cannot be recalled');
      assert.match(auto.irreversibleReason ?? '', /cannot be recalled/);
      // Every other action type, including the other channel one, still needs review.
      const message = await k.desk.draft(workflow, { ...reminder(), action: 'communication.send' });
      assert.equal(message.status, 'pending_review');
      assert.equal(message.policyVersion, undefined);
      const appointment = await k.desk.draft(workflow, draftAppointment());
      assert.equal(appointment.status, 'pending_review');
      // Turning the policy off applies from then on; it is versioned, and changes are audited.
      const off = await k.policies.set(compliance, { actionType: 'reminder.send', mode: 'review' });
      assert.ok(off.version > policy.version);
      assert.equal((await k.desk.draft(workflow, reminder())).status, 'pending_review');
      await k.audit.flush();
      const changed = await k.db.query(`select 1 from audit_log where event = 'approval_policy.changed'`);
      assert.equal(changed.rowCount, 2);
      await assert.rejects(k.db.query(`update approval_policies set mode = 'auto'`), /append-only/);
    });

    it('refuses an edit that changes the patient, the target or the kind of act, for every action type', async () => {
      const ehr = { connectionId: '11111111-1111-4111-8111-111111111111', site: 'north', patient: patientFor('p1') };
      const evidence = { eventIds: [], resources: [], reasonCode: 'edit-check' };
      const update = (action: ActionType, resourceType: string, payload: Record<string, unknown>): ProposalDraft => ({
        ...ehr,
        action,
        target: { resourceType, id: 'r1' },
        baseVersion: '1',
        payload: { resourceType, id: 'r1', ...payload },
        evidence,
      });
      const create = (action: ActionType, resourceType: string, payload: Record<string, unknown>): ProposalDraft => ({
        ...ehr,
        action,
        target: { resourceType },
        payload: { resourceType, ...payload },
        evidence,
      });
      // Each action type: a valid draft, a harmless edit, and the edits that must be refused.
      const cases: Record<
        ActionType,
        { draft: ProposalDraft; harmless: Record<string, unknown>; refused: Record<string, unknown>[] }
      > = {
        'appointment.status': {
          draft: update('appointment.status', 'Appointment', {
            status: 'booked',
            participant: [{ actor: { reference: 'Patient/p1' } }, { actor: { reference: 'Practitioner/d1' } }],
          }),
          harmless: { status: 'noshow' },
          refused: [
            { participant: [{ actor: { reference: 'Patient/p2' } }, { actor: { reference: 'Practitioner/d1' } }] },
            { id: 'r2' },
            { resourceType: 'Task' },
          ],
        },
        'task.create': {
          draft: create('task.create', 'Task', {
            status: 'requested',
            for: { reference: 'Patient/p1' },
            focus: { reference: 'ServiceRequest/s1' },
          }),
          harmless: { status: 'draft' },
          refused: [
            { for: { reference: 'Patient/p2' } },
            { focus: { reference: 'ServiceRequest/s2' } },
            { resourceType: 'Appointment' },
          ],
        },
        'task.update': {
          draft: update('task.update', 'Task', { status: 'requested', for: { reference: 'Patient/p1' } }),
          harmless: { status: 'completed' },
          refused: [{ for: { reference: 'Patient/p2' } }, { id: 'r2' }, { resourceType: 'ServiceRequest' }],
        },
        'service-request.status': {
          draft: update('service-request.status', 'ServiceRequest', {
            status: 'active',
            subject: { reference: 'Patient/p1' },
          }),
          harmless: { status: 'completed' },
          refused: [{ subject: { reference: 'Patient/p2' } }, { id: 'r2' }, { resourceType: 'Task' }],
        },
        'document-reference.draft': {
          draft: create('document-reference.draft', 'DocumentReference', {
            status: 'current',
            docStatus: 'preliminary',
            subject: { reference: 'Patient/p1' },
            content: [{ attachment: { contentType: 'text/plain', data: 'ZHJhZnQ=' } }],
          }),
          harmless: { content: [{ attachment: { contentType: 'text/plain', data: 'Zml4ZWQ=' } }] },
          refused: [
            { subject: { reference: 'Patient/p2' } },
            { context: { related: [{ reference: 'Patient/p2' }] } },
            { resourceType: 'Task' },
          ],
        },
        'communication.send': {
          draft: {
            ...ehr,
            action: 'communication.send',
            target: { resourceType: 'Communication' },
            payload: {
              resourceType: 'Communication',
              template: 'referral-overdue-sent',
              channel: 'practice',
              recipient: [{ reference: 'Organization/o1' }],
              about: [{ reference: 'ServiceRequest/s1' }],
              subject: { reference: 'Patient/{{patient}}' },
            },
            evidence,
          },
          harmless: { channel: 'fax' },
          refused: [
            { recipient: [{ reference: 'Organization/o2' }] },
            { subject: { reference: 'Patient/p2' } },
            { about: [{ reference: 'ServiceRequest/s2' }] },
            { template: 'appointment-reminder' },
          ],
        },
        'reminder.send': {
          draft: reminder(),
          harmless: { channel: 'email' },
          refused: [
            { appointment: 'Appointment/a2' },
            { template: 'referral-overdue-sent' },
            { patient: 'Patient/p2' },
            { correlationKey: 'other-flow' },
          ],
        },
      };
      for (const [action, c] of Object.entries(cases)) {
        const p = await k.desk.draft(workflow, c.draft);
        for (const change of c.refused) {
          await assert.rejects(
            k.desk.edit(clinician, p.id, { ...c.draft.payload, ...change }),
            (e: { code?: string; details?: { path: string; message: string }[] }) =>
              e.code === 'VALIDATION_FAILED' && (e.details ?? []).some((d) => /an edit cannot change/.test(d.message)),
            `${action}: ${JSON.stringify(change)} was accepted`,
          );
        }
        const edited = await k.desk.edit(clinician, p.id, { ...c.draft.payload, ...c.harmless });
        assert.equal(edited.revision, 2, action);
      }
    });

    it('requires the role a review policy names', async () => {
      await k.policies.set(compliance, {
        actionType: 'document-reference.draft',
        mode: 'review',
        roles: ['clinician_reviewer'],
      });
      const p = await k.desk.draft(workflow, {
        action: 'document-reference.draft',
        connectionId: '11111111-1111-4111-8111-111111111111',
        site: 'north',
        patient: patientFor('p1'),
        target: { resourceType: 'DocumentReference' },
        payload: {
          resourceType: 'DocumentReference',
          status: 'current',
          docStatus: 'preliminary',
          subject: { reference: 'Patient/p1' },
          content: [{ attachment: { contentType: 'text/plain', data: 'ZHJhZnQ=' } }],
        },
        evidence: { eventIds: [], resources: [], reasonCode: 'visit-summary' },
      });
      await assert.rejects(k.desk.approve(coordinator, p.id, { contentHash: p.contentHash }), {
        code: 'FORBIDDEN',
        message: /needs the role clinician_reviewer/,
      });
      assert.equal((await k.desk.approve(clinician, p.id, { contentHash: p.contentHash })).status, 'approved');
    });

    it('checks the site: a reviewer elsewhere sees nothing, and automation cannot decide', async () => {
      const p = await k.desk.draft(workflow, draftAppointment());
      await assert.rejects(k.desk.get(southReviewer, p.id), { code: 'NOT_FOUND' });
      await assert.rejects(k.desk.approve(southReviewer, p.id, { contentHash: p.contentHash }), { code: 'NOT_FOUND' });
      await assert.rejects(k.desk.reject(workflow, p.id, 'no'), { code: 'NOT_FOUND' });
      await assert.rejects(k.desk.draft(southReviewer, draftAppointment()), { code: 'FORBIDDEN' });
      await assert.rejects(k.desk.list(southReviewer, { site: 'north' }), { code: 'FORBIDDEN' });
      await assert.rejects(k.desk.list(coordinator), { code: 'FORBIDDEN' }, 'a site grant does not list every site');
    });

    it('rejects with a sealed note, and a rejected proposal is final', async () => {
      const p = await k.desk.draft(workflow, draftAppointment());
      const r = await k.desk.reject(coordinator, p.id, 'patient called to reschedule');
      assert.equal(r.status, 'rejected');
      assert.equal((await k.desk.get(coordinator, p.id)).rejection, 'patient called to reschedule');
      await assert.rejects(k.desk.approve(clinician, p.id, { contentHash: p.contentHash }), {
        code: 'VERSION_CONFLICT',
      });
      await assert.rejects(k.desk.edit(clinician, p.id, {}), { code: 'VERSION_CONFLICT' });
    });

    it('enforces the state machine in SQL and keeps history append-only', async () => {
      const p = await k.desk.draft(workflow, draftAppointment());
      await assert.rejects(
        k.db.query(`update proposal_history set to_status = 'approved' where proposal_id = $1`, [p.id]),
        /append-only/,
      );
      await assert.rejects(k.db.query(`update proposals set status = 'merged' where id = $1`, [p.id]), /check/);
      // Two reviewers racing: exactly one approval wins.
      const results = await Promise.allSettled([
        k.desk.approve(coordinator, p.id, { contentHash: p.contentHash }),
        k.desk.approve(clinician, p.id, { contentHash: p.contentHash }),
      ]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      const history = (await k.desk.get(coordinator, p.id)).history;
      assert.equal(history.filter((h) => h.to === 'approved').length, 1);
    });

    it('drafts once per draft key', async () => {
      const d = draftAppointment('cancelled', { draftKey: 'wf-run-7:step-3' });
      const a = await k.desk.draft(workflow, d);
      const b = await k.desk.draft(workflow, d);
      assert.equal(a.id, b.id);
      await assert.rejects(k.desk.draft(workflow, { ...d, payload: { ...d.payload, status: 'noshow' } }), {
        code: 'ALREADY_EXISTS',
      });
    });

    it('validates drafts without echoing their values', async () => {
      const d = draftAppointment();
      await assert.rejects(
        k.desk.draft(workflow, { ...d, target: { resourceType: 'Task', id: 'x' } }),
        (e: Error & { details?: { path: string }[] }) =>
          e.message === 'the proposal is not valid' && (e.details ?? []).some((x) => x.path === 'target.resourceType'),
      );
      await assert.rejects(k.desk.draft(workflow, { ...d, baseVersion: undefined } as unknown as ProposalDraft), {
        code: 'VALIDATION_FAILED',
      });
      await assert.rejects(k.desk.draft(workflow, { ...d, reversible: false }), { code: 'VALIDATION_FAILED' });
    });

    // Proposals from outside (ADR 0017), at the desk: an agent's draft goes through the desk's own
    // drafting, waits for a person whatever the approval policy says, keeps its rationale sealed and
    // on every revision, is never approvable by the agent (not even an edited revision), answers
    // retries by its own key, and is read back by the agent as an outcome (by nobody else outside review).
    describe('proposals from outside', () => {
      let outside: OutsideDrafts;
      let agent: RequestContext;
      let otherAgent: RequestContext;

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
        outside = new OutsideDrafts(k.deps, k.desk);
        agent = await agentAccount('rebooking-agent', ['appointment.status', 'task.create']);
        otherAgent = await agentAccount('another-agent');
      });

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
          const own = await k.desk.draft(workflow, appointmentStatusDraft(a.resource, a.versionId, 'noshow'));
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
        await assert.rejects(outside.get(southReviewer, proposal.id), { code: 'NOT_FOUND' });
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
  });
}

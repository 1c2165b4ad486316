import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OperationalError, type RequestContext } from '@steward/core';
import { storeTargets } from '@steward/store/testing';
import {
  CONNECTION,
  appointmentStatusDraft,
  bookedAppointment,
  openProposalKit,
  patientFor,
  type ProposalKit,
} from '../test-kit.js';
import type { ProposalSummary } from '../model/index.js';
import type { ChannelCommit } from './applier-types.js';

for (const target of storeTargets()) {
  describe(`the applier on ${target.name}, against an in-memory EHR`, { skip: target.skip }, () => {
    let k: ProposalKit;
    let workflow: RequestContext;
    let reviewer: RequestContext;
    let integration: RequestContext;
    let frontDesk: RequestContext;

    before(async () => {
      k = await openProposalKit(await target.open());
      workflow = await k.as('follow-up-workflow', 'automation');
      reviewer = await k.as('coord-1', 'coordinator');
      integration = await k.as('north-interface', 'integration');
      frontDesk = await k.as('desk-1', 'front_desk');
    });
    after(async () => k?.close());

    const approved = async (status: string): Promise<{ p: ProposalSummary; appointmentId: string }> => {
      const a = k.ehr.put(bookedAppointment());
      const p = await k.desk.draft(workflow, appointmentStatusDraft(a.resource, a.versionId, status));
      await k.desk.approve(reviewer, p.id, { contentHash: p.contentHash });
      return { p, appointmentId: String(a.resource['id']) };
    };

    it('commits exactly what was approved, verifies it, and rolls it back to the prior version', async () => {
      const { p, appointmentId } = await approved('cancelled');
      await assert.rejects(k.applier().commit(frontDesk, p.id), { code: 'FORBIDDEN' });
      const r = await k.applier().commit(integration, p.id);
      assert.equal(r.status, 'verified');
      assert.equal(r.proposal.committed?.version, '2');
      const now = await k.ehr.read(CONNECTION, 'Appointment', appointmentId);
      assert.equal(now.resource['status'], 'cancelled');
      assert.equal(k.ehr.writes.at(-1)?.kind, 'update');
      // Committing again changes nothing (a retried applier step).
      assert.equal((await k.applier().commit(integration, p.id)).status, 'verified');
      assert.equal(k.ehr.writes.length, 1);

      await assert.rejects(
        k.applier().rollback(integration, p.id),
        { code: 'NOT_FOUND' },
        'the interface does not decide',
      );
      const back = await k.applier().rollback(reviewer, p.id);
      assert.equal(back.status, 'rolled_back');
      const restored = await k.ehr.read(CONNECTION, 'Appointment', appointmentId);
      assert.equal(restored.resource['status'], 'booked');
      assert.equal(restored.versionId, '3', 'a compensating write, not a rewrite of history');
      const history = (await k.desk.get(reviewer, p.id)).history.map((h) => h.to);
      assert.deepEqual(history, ['drafted', 'pending_review', 'approved', 'committed', 'verified', 'rolled_back']);
    });

    it('does not commit what was not approved', async () => {
      const a = k.ehr.put(bookedAppointment());
      const p = await k.desk.draft(workflow, appointmentStatusDraft(a.resource, a.versionId, 'cancelled'));
      await assert.rejects(k.applier().commit(integration, p.id), { code: 'VERSION_CONFLICT' });
      // An approved row whose sealed content was swapped for another's fails to open: nothing is written.
      const { p: q } = await approved('noshow');
      await k.db.query(`update proposals set body_enc = (select body_enc from proposals where id = $2) where id = $1`, [
        q.id,
        p.id,
      ]);
      const before = k.ehr.writes.length;
      await assert.rejects(k.applier().commit(integration, q.id));
      assert.equal(k.ehr.writes.length, before);
    });

    it('catches a conflict, keeps the diff, and files a rebased revision for review again', async () => {
      const { p, appointmentId } = await approved('cancelled');
      // While the proposal waited, the EHR moved the appointment to another time.
      const current = await k.ehr.read(CONNECTION, 'Appointment', appointmentId);
      k.ehr.put({ ...current.resource, resourceType: 'Appointment', start: '2026-12-02T09:00:00-05:00' });
      const r = await k.applier().commit(integration, p.id);
      assert.equal(r.status, 'conflicted');
      assert.ok(r.next !== undefined);
      assert.equal(r.next.status, 'pending_review');
      assert.equal(r.next.revision, 2);
      assert.equal(r.next.baseVersion, '2');
      assert.deepEqual(r.next.draftedBy, p.draftedBy, 'the drafter stays the drafter');
      assert.equal((await k.ehr.read(CONNECTION, 'Appointment', appointmentId)).resource['status'], 'booked');
      const detail = await k.desk.get(reviewer, r.next.id);
      assert.deepEqual(
        detail.diff?.changes.map((c) => c.path),
        ['/start'],
      );
      assert.equal(detail.payload['status'], 'cancelled', 'the proposal’s own change carried over');
      assert.equal(detail.payload['start'], '2026-12-02T09:00:00-05:00', 'onto the EHR’s current version');
      // The old approval does not carry over; a new one commits on the current version.
      await assert.rejects(k.applier().commit(integration, r.next.id), { code: 'VERSION_CONFLICT' });
      await k.desk.approve(reviewer, r.next.id, { contentHash: r.next.contentHash });
      assert.equal((await k.applier().commit(integration, r.next.id)).status, 'verified');
      const final = await k.ehr.read(CONNECTION, 'Appointment', appointmentId);
      assert.equal(final.resource['status'], 'cancelled');
      assert.equal(final.resource['start'], '2026-12-02T09:00:00-05:00');
    });

    it('fails on an EHR error, retries a passing one with the same approval, and never duplicates a create', async () => {
      const p = await k.desk.draft(workflow, {
        action: 'task.create',
        connectionId: CONNECTION,
        site: 'north',
        patient: patientFor('p1'),
        target: { resourceType: 'Task' },
        payload: { resourceType: 'Task', status: 'requested', intent: 'order', for: { reference: 'Patient/p1' } },
        evidence: { eventIds: [], resources: [], reasonCode: 'referral-follow-up' },
      });
      await k.desk.approve(reviewer, p.id, { contentHash: p.contentHash });
      k.ehr.failNext(new OperationalError('EHR_UNAVAILABLE', 'down'));
      const failed = await k.applier().commit(integration, p.id);
      assert.equal(failed.status, 'failed');
      assert.equal(failed.error?.code, 'EHR_UNAVAILABLE');
      assert.equal(failed.error.retryable, true);
      assert.equal(failed.error.attempts, 1);
      assert.ok(failed.error.nextAttemptAt !== undefined, 'the applier will retry it by itself');
      await assert.rejects(k.applier().commit(integration, p.id), { code: 'VERSION_CONFLICT' });
      assert.equal((await k.applier().retry(reviewer, p.id)).status, 'approved');
      const ok = await k.applier().commit(integration, p.id);
      assert.equal(ok.status, 'verified');
      const taskId = ok.proposal.committed?.id;
      assert.ok(taskId !== undefined);
      assert.equal(ok.proposal.target.id, taskId);
      // Both tries carried one key: the same write.
      const keys = k.ehr.writes.filter((w) => w.kind === 'create').map((w) => w.idempotencyKey);
      assert.equal(new Set(keys).size, 1);
      // Rolling back a create withdraws it.
      assert.equal((await k.applier().rollback(reviewer, p.id)).status, 'rolled_back');
      assert.equal((await k.ehr.read(CONNECTION, 'Task', taskId)).resource['status'], 'cancelled');
    });

    it('writes an approved proposal once when several writers take it at once, and after a dead writer’s claim runs out', async () => {
      const approvedTask = async (patient: string): Promise<ProposalSummary> => {
        const p = await k.desk.draft(workflow, {
          action: 'task.create',
          connectionId: CONNECTION,
          site: 'north',
          patient: patientFor(patient),
          target: { resourceType: 'Task' },
          payload: {
            resourceType: 'Task',
            status: 'requested',
            intent: 'order',
            for: { reference: `Patient/${patient}` },
          },
          evidence: { eventIds: [], resources: [], reasonCode: 'referral-follow-up' },
        });
        await k.desk.approve(reviewer, p.id, { contentHash: p.contentHash });
        return p;
      };
      const writesOf = (p: ProposalSummary): number =>
        k.ehr.writes.filter((w) => w.idempotencyKey.startsWith(p.id)).length;

      // The approval's own write, the background sweep and a person's "write now" at the same moment.
      const p = await approvedTask('p3');
      const results = await Promise.all([
        k.applier().commit(integration, p.id),
        k.applier().commitApproved(integration),
        k.applier().commit(reviewer, p.id),
      ]);
      assert.equal(writesOf(p), 1, 'one write to the EHR');
      assert.equal((await k.desk.get(reviewer, p.id)).status, 'verified');
      // The one that lost the race says where the winner's write was when it looked: still approved
      // (being written), committed (written, being read back) or verified; never a second write.
      const statuses = [results[0].status, results[2].status];
      assert.ok(
        statuses.every((s) => s === 'verified' || s === 'committed' || s === 'approved'),
        statuses.join(', '),
      );

      // A writer claimed this one and died (its claim is in the store, its process gone): nobody
      // writes it while the claim lasts, and the first sweep after it ran out does.
      const q = await approvedTask('p4');
      let now = new Date();
      const clock = { now: () => now };
      await k.db.query('update proposals set writing_until = $2 where id = $1', [
        q.id,
        new Date(now.getTime() + 60_000),
      ]);
      assert.equal((await k.applier(undefined, undefined, { clock }).commit(integration, q.id)).status, 'approved');
      assert.equal(writesOf(q), 0, 'not while another holds the claim');
      now = new Date(now.getTime() + 60_001);
      assert.equal((await k.applier(undefined, undefined, { clock }).commit(integration, q.id)).status, 'verified');
      assert.equal(writesOf(q), 1);
    });

    it('a wrong chart is a failure that is not retried', async () => {
      const a = k.ehr.put(bookedAppointment('p9'));
      const draft = appointmentStatusDraft(a.resource, a.versionId, 'cancelled');
      const p = await k.desk.draft(workflow, { ...draft, patient: patientFor('p1') });
      await k.desk.approve(reviewer, p.id, { contentHash: p.contentHash });
      const r = await k.applier().commit(integration, p.id);
      assert.deepEqual(r.error, { code: 'EHR_WRONG_PATIENT', retryable: false, attempts: 1, exhausted: false });
      await assert.rejects(k.applier().retry(reviewer, p.id), { code: 'VERSION_CONFLICT' });
    });

    it('sends channel actions through their committer, and refuses to roll back what cannot be undone', async () => {
      const sent: ChannelCommit[] = [];
      const applier = k.applier(k.ehr, {
        'communication.send': {
          commit: (_ctx, c) => {
            sent.push(c);
            return Promise.resolve({ reference: 'msg-1', verified: true });
          },
        },
      });
      const p = await k.desk.draft(workflow, {
        action: 'communication.send',
        site: 'north',
        patient: patientFor('p1'),
        target: { resourceType: 'Communication' },
        payload: { template: 'referral-scheduled', channel: 'sms' },
        evidence: { eventIds: [], resources: [], reasonCode: 'referral-scheduled' },
      });
      const detail = await k.desk.get(reviewer, p.id);
      assert.equal(detail.reversible, false, 'said before approval');
      await k.desk.approve(reviewer, p.id, { contentHash: p.contentHash });
      await assert.rejects(k.applier().commit(reviewer, p.id), { code: 'EHR_NOT_SUPPORTED' }, 'no committer, no send');
      const r = await applier.commit(reviewer, p.id);
      assert.equal(r.status, 'verified');
      assert.equal(sent.length, 1);
      assert.equal(sent[0]?.idempotencyKey, `${p.id}.r1`);
      await assert.rejects(applier.rollback(reviewer, p.id), {
        code: 'EHR_NOT_SUPPORTED',
        message: /cannot be recalled/,
      });
      assert.equal(k.ehr.writes.filter((w) => w.idempotencyKey.startsWith(p.id)).length, 0);
    });
  });
}

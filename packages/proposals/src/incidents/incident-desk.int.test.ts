import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestContext } from '@steward/core';
import { storeTargets } from '@steward/store/testing';
import {
  STEWARD_PATIENT,
  appointmentStatusDraft,
  bookedAppointment,
  openProposalKit,
  type ProposalKit,
} from '../test-kit.js';
import { IncidentDesk } from './incident-desk.js';
import { breachClock } from './incident-model.js';
import { renderIncidentReport } from './incident-report.js';

describe('the breach notification clock', () => {
  it('counts 60 days from discovery, and flags 500 or more individuals', () => {
    const found = new Date('2026-12-01T00:00:00Z');
    const c = breachClock(found, 499, new Date('2026-12-06T00:00:00Z'));
    assert.deepEqual(
      [c.notifyBy, c.daysLeft, c.overdue, c.largeBreach],
      ['2027-01-30T00:00:00.000Z', 55, false, false],
    );
    const late = breachClock(found, 500, new Date('2027-02-02T00:00:00Z'));
    assert.deepEqual([late.daysLeft, late.overdue, late.largeBreach], [-3, true, true]);
  });
});

for (const target of storeTargets()) {
  describe(`incident response on ${target.name}, against an in-memory EHR`, { skip: target.skip }, () => {
    let k: ProposalKit;
    let desk: IncidentDesk;
    let workflow: RequestContext;
    let reviewer: RequestContext;
    let officer: RequestContext;

    before(async () => {
      k = await openProposalKit(await target.open());
      desk = new IncidentDesk(k.deps, k.applier());
      workflow = await k.as('wrong-chart-flow', 'automation');
      reviewer = await k.as('coord-1', 'coordinator');
      officer = await k.as('privacy-officer', 'compliance_officer', '*');
    });
    after(async () => k?.close());

    it('opens from a proposal, lists the scope, rolls back through a reviewer, and reports', async () => {
      const a = k.ehr.put(bookedAppointment('p-wrong'));
      const p = await k.desk.draft(workflow, appointmentStatusDraft(a.resource, a.versionId, 'cancelled'));
      await k.desk.approve(reviewer, p.id, { contentHash: p.contentHash });
      assert.equal((await k.applier().commit(reviewer, p.id)).status, 'verified');

      await assert.rejects(desk.open(reviewer, { origin: { kind: 'proposal', proposalId: p.id }, summary: 'x' }), {
        code: 'FORBIDDEN',
      });
      const incident = await desk.open(officer, {
        origin: { kind: 'proposal', proposalId: p.id },
        summary: 'No-show cancellation landed on the wrong chart',
      });
      assert.equal(incident.status, 'open');
      assert.deepEqual(
        incident.containment.map((c) => [c.proposalId, c.status]),
        [[p.id, 'proposed']],
      );
      // The officer proposed it and holds no review.decide: a reviewer at the site approves.
      await assert.rejects(desk.approveContainment(officer, incident.id, p.id), { code: 'FORBIDDEN' });
      const contained = await desk.approveContainment(reviewer, incident.id, p.id);
      assert.equal(contained.status, 'contained');
      assert.deepEqual(
        contained.containment.map((c) => [c.status, c.outcome]),
        [['applied', 'rolled_back']],
      );
      assert.equal((await k.ehr.read('', 'Appointment', String(a.resource['id']))).resource['status'], 'booked');
      await assert.rejects(desk.approveContainment(reviewer, incident.id, p.id), { code: 'VERSION_CONFLICT' });

      const report = await desk.report(officer, incident.id);
      assert.deepEqual(report.patients, [{ stewardId: STEWARD_PATIENT }]);
      const events = report.entries.map((e) => e.event);
      for (const e of ['proposal.drafted', 'proposal.approved', 'proposal.committed', 'proposal.rolled_back'])
        assert.ok(events.includes(e as never), `${e} is listed`);
      const approval = report.entries.find((e) => e.event === 'proposal.approved');
      assert.equal(approval?.actor.name, 'coord-1', 'who approved the wrong write');
      assert.equal(report.clock.individuals, 1);
      assert.equal(report.clock.largeBreach, false);
      assert.ok(report.clock.daysLeft >= 59);
      const text = renderIncidentReport(report);
      assert.match(text, /Individuals affected: 1\b/);
      assert.match(text, new RegExp(`Roll back ${p.id}: applied by`));
      assert.ok(!text.includes('MRN-'), 'no identifier values in the report');

      await k.audit.flush();
      const { rows } = await k.db.query<{ event: string }>(
        `select event from audit_log where event like 'incident.%' order by seq`,
      );
      assert.deepEqual(
        rows.map((r) => r.event),
        ['incident.opened', 'incident.changed', 'incident.reported'],
      );
      const closed = await desk.close(officer, incident.id);
      assert.equal(closed.status, 'closed');
    });

    it('opens from an audited write, a patient and a time range; refuses what is not a write', async () => {
      const a = k.ehr.put(bookedAppointment('p-other'));
      const p = await k.desk.draft(workflow, appointmentStatusDraft(a.resource, a.versionId, 'noshow'));
      await k.desk.approve(reviewer, p.id, { contentHash: p.contentHash });
      await k.applier().commit(reviewer, p.id);
      await k.audit.flush();
      const { rows } = await k.db.query<{ seq: string }>(
        `select seq from audit_log where event = 'proposal.committed' order by seq desc limit 1`,
      );
      const fromWrite = await desk.open(officer, {
        origin: { kind: 'write', auditSeq: Number(rows[0]?.seq) },
        summary: 'a write found in the audit trail',
      });
      assert.deepEqual(
        fromWrite.containment.map((c) => c.proposalId),
        [p.id],
      );
      const { rows: reads } = await k.db.query<{ seq: string }>(
        `select seq from audit_log where event = 'incident.opened' order by seq desc limit 1`,
      );
      await assert.rejects(
        desk.open(officer, { origin: { kind: 'write', auditSeq: Number(reads[0]?.seq) }, summary: 'not a write' }),
        { code: 'VALIDATION_FAILED' },
      );
      const byPatient = await desk.open(officer, {
        origin: { kind: 'patient', patientId: STEWARD_PATIENT },
        summary: 'everything about one patient',
      });
      const patientReport = await desk.report(officer, byPatient.id);
      assert.ok(patientReport.proposals.length >= 2, 'both proposals for the patient are in scope');
      const from = new Date(Date.now() - 3_600_000).toISOString();
      const byRange = await desk.open(officer, {
        origin: { kind: 'range', from, to: new Date(Date.now() + 60_000).toISOString() },
        summary: 'the last hour',
      });
      const rangeReport = await desk.report(officer, byRange.id);
      assert.ok(rangeReport.entries.length >= patientReport.entries.length);
      await assert.rejects(desk.open(officer, { origin: { kind: 'range', from, to: from }, summary: 'empty' }), {
        code: 'VALIDATION_FAILED',
      });
      // A rejected rollback leaves the write, recorded.
      const rejected = await desk.rejectContainment(reviewer, fromWrite.id, p.id);
      assert.deepEqual(
        rejected.containment.map((c) => c.status),
        ['rejected'],
      );
      assert.equal(rejected.status, 'open');
    });
  });
}

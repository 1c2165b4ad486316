/**
 * /reports/operations over HTTP on both stores, with referral and follow-up workflows run through
 * the engine and proposals drafted, approved and rejected through the review desk at set times:
 * the weekly closure and leakage (in UTC and in a clinic's zone), time in stage (median and p90),
 * no-shows by service line, decisions by hour of day and the queue's age by priority, each for a
 * site and for every site; sections withheld without `review.read`; refused without either
 * permission or outside the grant's site; each read audited; a configured site's own zone by default.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, type RequestContext } from '@steward/core';
import type { ProposalDraft, ProposalSummary } from '@steward/proposals';
import { flowTargets } from '@steward/store/testing';
import {
  defaultFollowupSettings,
  followupWorkflow,
  referralWorkflow,
  WorkflowEngine,
  WorkflowWorker,
  type AppointmentSignal,
  type FollowupStart,
  type Json,
  type ReferralSignalPayload,
  type ReferralStartPayload,
} from '@steward/workflows';
import type { OperationsReport } from '../../reports/index.js';
import { bearer, openTestApp, principalWith, type TestApp, type TestPrincipal } from '../../testing.js';

const CONN = '44444444-4444-4444-8444-444444444444';
const PATIENT = '22222222-2222-4222-8222-222222222222';
const HOUR = 3_600_000;
let events = 0;
const eventId = (): string => `55555555-5555-4555-8555-${String(++events).padStart(12, '0')}`;
let appointments = 0;

const draftOf = (site: string, priority: number): ProposalDraft => {
  const id = `appt-${++appointments}`;
  return {
    action: 'appointment.status',
    connectionId: CONN,
    site,
    workflow: 'followup',
    patient: {
      stewardId: PATIENT,
      ehrId: 'ehr-p1',
      identifiers: [
        { system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN-1' },
        { system: 'urn:oid:2.16.840.1.113883.19.9', value: 'E-1' },
      ],
    },
    target: { resourceType: 'Appointment', id },
    baseVersion: '1',
    payload: { resourceType: 'Appointment', id, status: 'cancelled' },
    evidence: { eventIds: [], resources: [`Appointment/${id}`], reasonCode: 'no-show' },
    priority,
  };
};

for (const target of flowTargets()) {
  describe(`the operations report on ${target.name}`, { skip: target.skip }, () => {
    let t: TestApp;
    let clock: ManualClock;
    let engine: WorkflowEngine;
    let worker: WorkflowWorker;
    let flow: RequestContext;
    let reviewer: RequestContext;
    let north: TestPrincipal;
    let everywhere: TestPrincipal;
    let frontDesk: TestPrincipal;
    let officer: TestPrincipal;

    /** Sets the clock to an instant (never backwards). */
    const at = (iso: string): string => {
      const delta = Date.parse(iso) - clock.now().getTime();
      assert.ok(delta >= 0, `the test's timeline runs forwards (${iso})`);
      clock.advance(delta);
      return iso;
    };
    const startReferral = async (site: string, sr: string): Promise<void> => {
      const payload: ReferralStartPayload = {
        eventId: eventId(),
        occurredAt: clock.now().toISOString(),
        connectionId: CONN,
        site,
        serviceRequest: `ServiceRequest/${sr}`,
        status: 'active',
        priority: 'routine',
        requester: 'Practitioner/pcp',
        performers: [{ kind: 'Organization', ref: 'Organization/card', systems: [] }],
      };
      await engine.start('referral', `referral:${CONN}:${sr}`, payload);
      await worker.drain();
    };
    const signalReferral = async (sr: string, name: string, status: string): Promise<void> => {
      const payload: ReferralSignalPayload = {
        eventId: eventId(),
        eventType: `${name}.updated`,
        occurredAt: clock.now().toISOString(),
        status,
        ref: name === 'appointment' ? `Appointment/${sr}` : null,
        start: name === 'appointment' ? new Date(clock.now().getTime() + HOUR).toISOString() : null,
        participants: [{ kind: 'Practitioner', ref: 'Practitioner/cardio', systems: [] }],
      };
      await engine.signal(`referral:${CONN}:${sr}`, name, payload);
      await worker.drain();
    };
    const startFollowup = async (order: string): Promise<void> => {
      const payload: FollowupStart = {
        event: {
          eventId: eventId(),
          type: 'referral.created',
          connectionId: CONN,
          occurredAt: clock.now().toISOString(),
          sourceRef: order,
        },
        orderRef: order,
        site: 'north',
        occurrence: null,
        settings: defaultFollowupSettings,
      };
      await engine.start('followup', `followup:${CONN}:${order.replace('/', ':')}`, payload as unknown as Json);
      await worker.drain();
    };
    const appointment = async (order: string, appt: string, status: string): Promise<void> => {
      const payload: AppointmentSignal = {
        event: {
          eventId: eventId(),
          type: 'appointment.updated',
          connectionId: CONN,
          occurredAt: clock.now().toISOString(),
          sourceRef: appt,
        },
        appointmentRef: appt,
        status,
        start: new Date(clock.now().getTime() + 24 * HOUR).toISOString(),
      };
      await engine.signal(`followup:${CONN}:${order.replace('/', ':')}`, 'appointment', payload as unknown as Json);
      await worker.drain();
    };
    const draft = (site: string, priority: number): Promise<ProposalSummary> =>
      t.kernel.proposals.draft(flow, draftOf(site, priority));

    before(async () => {
      if (target.skip !== undefined) return;
      clock = new ManualClock('2026-03-02T09:00:00Z'); // a Monday
      t = await openTestApp(await target.open(), { clock });
      engine = new WorkflowEngine({
        db: t.db,
        clock,
        definitions: [referralWorkflow, followupWorkflow],
        effects: { 'proposal.draft': (r) => Promise.resolve({ proposalId: r.key, status: 'pending_review' }) },
      });
      worker = new WorkflowWorker(engine, { id: 'test' });
      const automation = await principalWith(t.kernel, 'flow', { role: 'automation' });
      flow = { actor: { kind: 'service', id: automation.id, name: 'flow', authMethod: 'api-token' } };
      const clin = await principalWith(t.kernel, 'clin', { role: 'clinician_reviewer' });
      reviewer = { actor: { kind: 'user', id: clin.id, name: 'clin', authMethod: 'api-token' } };
      north = await principalWith(t.kernel, 'coord-north', { role: 'coordinator', site: 'north' });
      everywhere = await principalWith(t.kernel, 'coord-all', { role: 'coordinator' });
      frontDesk = await principalWith(t.kernel, 'desk-north', { role: 'front_desk', site: 'north' });
      officer = await principalWith(t.kernel, 'officer', { role: 'compliance_officer' });

      // Week of 2 March (UTC): three referrals, one leaks (cancelled); three follow-ups.
      await startReferral('north', 'n1');
      await startReferral('north', 'n2');
      await startReferral('south', 's1');
      await startFollowup('ServiceRequest/f1');
      await startFollowup('ServiceRequest/f2');
      await startFollowup('Task/f3');
      const p5 = await draft('north', 5);
      await draft('south', 3);
      assert.equal(p5.status, 'pending_review');
      at('2026-03-02T10:00:00Z');
      await signalReferral('n1', 'task', 'received'); // n1: 1 h in sent
      await signalReferral('n2', 'referral', 'revoked');
      await appointment('ServiceRequest/f1', 'Appointment/a1', 'booked');
      await appointment('ServiceRequest/f2', 'Appointment/a2', 'booked');
      await appointment('Task/f3', 'Appointment/a3', 'booked');
      const approved = await draft('north', 1);
      const rejected = await draft('north', 4);
      await t.kernel.proposals.approve(reviewer, approved.id, { contentHash: approved.contentHash });
      await t.kernel.proposals.reject(reviewer, rejected.id, 'not needed');
      at('2026-03-02T14:00:00Z');
      const south = await draft('south', 2);
      await t.kernel.proposals.approve(reviewer, south.id, { contentHash: south.contentHash });
      at('2026-03-03T10:00:00Z');
      await appointment('ServiceRequest/f1', 'Appointment/a1', 'noshow');
      await appointment('Task/f3', 'Appointment/a3', 'noshow');
      await appointment('ServiceRequest/f2', 'Appointment/a2', 'fulfilled');
      at('2026-03-04T10:00:00Z');
      await appointment('ServiceRequest/f1', 'Appointment/a4', 'booked');
      at('2026-03-07T12:00:00Z');
      await draft('north', 2);

      // Week of 9 March (UTC; still Sunday 8 March in New York): n3 runs the whole loop.
      at('2026-03-09T02:00:00Z');
      await startReferral('north', 'n3');
      at('2026-03-09T05:00:00Z');
      await signalReferral('n3', 'task', 'received'); // 3 h in sent
      at('2026-03-09T07:00:00Z');
      await signalReferral('n3', 'task', 'accepted'); // 2 h in received
      await draft('north', 3);
      at('2026-03-09T08:00:00Z');
      await signalReferral('n3', 'appointment', 'booked'); // 1 h in accepted
      at('2026-03-09T09:00:00Z');
      await signalReferral('n3', 'encounter', 'finished'); // 1 h scheduled
      at('2026-03-09T10:00:00Z');
      await signalReferral('n3', 'document', 'current'); // 1 h attended
      await draft('north', 3);
      at('2026-03-09T11:30:00Z');
      await signalReferral('n3', 'referral', 'completed'); // 1.5 h reported, then closed
      await draft('north', 1);
      at('2026-03-09T12:00:00Z');
    });
    after(async () => t?.close());

    const get = (p: TestPrincipal, query: string) =>
      t.app.inject({ method: 'GET', url: `/reports/operations?${query}`, headers: bearer(p) });
    const window = 'from=2026-03-02T00:00:00Z&to=2026-03-16T00:00:00Z';

    it('counts referrals closed and leaked per week, in UTC and in the clinic zone', async () => {
      const r = await get(north, `site=north&${window}`);
      assert.equal(r.statusCode, 200, r.body);
      const f = r.json<OperationsReport>();
      assert.deepEqual(f.withheld, []);
      assert.deepEqual(f.referralWeeks, [
        { week: '2026-03-02', started: 2, closed: 0, leaked: 1, closureRate: 0, leakageRate: 0.5 },
        { week: '2026-03-09', started: 1, closed: 1, leaked: 0, closureRate: 1, leakageRate: 0 },
      ]);
      const all = (await get(everywhere, window)).json<OperationsReport>();
      assert.equal(all.referralWeeks?.[0]?.started, 3, 'every site');
      const ny = (await get(north, `site=north&${window}&zone=America/New_York`)).json<OperationsReport>();
      assert.deepEqual(
        ny.referralWeeks?.map((w) => [w.week, w.started, w.closed]),
        [
          ['2026-02-23', 0, 0],
          ['2026-03-02', 3, 1],
          ['2026-03-09', 0, 0],
        ],
        'n3 started on Sunday evening in New York; the window starts on a Sunday there',
      );
    });

    it('reports time in stage as median and 90th percentile hours', async () => {
      const f = (await get(north, `site=north&${window}`)).json<OperationsReport>();
      const byStage = Object.fromEntries((f.timeInStage ?? []).map((s) => [s.stage, s]));
      assert.deepEqual(byStage['sent'], { stage: 'sent', count: 2, medianHours: 1, p90Hours: 3 });
      assert.deepEqual(byStage['received'], { stage: 'received', count: 1, medianHours: 2, p90Hours: 2 });
      assert.deepEqual(byStage['reported'], { stage: 'reported', count: 1, medianHours: 1.5, p90Hours: 1.5 });
      assert.deepEqual(byStage['closed'], { stage: 'closed', count: 0, medianHours: null, p90Hours: null });
    });

    it('reports no-shows per booked appointment by service line', async () => {
      const f = (await get(north, `site=north&${window}`)).json<OperationsReport>();
      assert.deepEqual(f.noShows, [
        { serviceLine: 'ServiceRequest', followups: 2, booked: 3, noShows: 1, rate: 0.333 },
        { serviceLine: 'Task', followups: 1, booked: 1, noShows: 1, rate: 1 },
      ]);
    });

    it('reports decisions by hour of day, in the zone asked for', async () => {
      const f = (await get(north, `site=north&${window}`)).json<OperationsReport>();
      const busy = (f.throughput ?? []).filter((h) => h.reviewed + h.autoApproved + h.committed > 0);
      assert.equal(f.throughput?.length, 24);
      assert.deepEqual(busy, [{ hour: 10, reviewed: 2, autoApproved: 0, committed: 0 }]);
      const all = (await get(everywhere, `${window}&zone=America/New_York`)).json<OperationsReport>();
      assert.deepEqual(
        (all.throughput ?? []).filter((h) => h.reviewed > 0).map((h) => [h.hour, h.reviewed]),
        [
          [5, 2],
          [9, 1],
        ],
      );
    });

    it('buckets the pending queue by age and priority', async () => {
      const f = (await get(north, `site=north&${window}`)).json<OperationsReport>();
      const rows = Object.fromEntries((f.queueAge ?? []).map((r) => [r.priority, r]));
      assert.deepEqual(rows[1], {
        priority: 1,
        total: 1,
        under1h: 1,
        from1to4h: 0,
        from4to24h: 0,
        from1to3d: 0,
        over3d: 0,
      });
      assert.deepEqual(rows[2], {
        priority: 2,
        total: 1,
        under1h: 0,
        from1to4h: 0,
        from4to24h: 0,
        from1to3d: 1,
        over3d: 0,
      });
      assert.deepEqual(rows[3], {
        priority: 3,
        total: 2,
        under1h: 0,
        from1to4h: 1,
        from4to24h: 1,
        from1to3d: 0,
        over3d: 0,
      });
      assert.deepEqual(rows[4], {
        priority: 4,
        total: 0,
        under1h: 0,
        from1to4h: 0,
        from4to24h: 0,
        from1to3d: 0,
        over3d: 0,
      });
      assert.deepEqual(rows[5], {
        priority: 5,
        total: 1,
        under1h: 0,
        from1to4h: 0,
        from4to24h: 0,
        from1to3d: 0,
        over3d: 1,
      });
      const all = (await get(everywhere, window)).json<OperationsReport>();
      assert.equal(all.queueAge?.find((r) => r.priority === 3)?.over3d, 1, 'the south proposal');
    });

    it('withholds the queue without review.read, and refuses without phi.search or outside the site', async () => {
      const desk = await get(frontDesk, `site=north&${window}`);
      assert.equal(desk.statusCode, 200);
      const f = desk.json<OperationsReport>();
      assert.deepEqual(f.withheld, ['review.read']);
      assert.equal(f.queueAge, null);
      assert.equal(f.throughput, null);
      assert.equal(f.referralWeeks?.length, 2);
      assert.equal((await get(officer, window)).statusCode, 403);
      assert.equal((await get(north, window)).statusCode, 403, 'a one-site grant does not cover every site');
      assert.equal((await get(north, `site=south&${window}`)).statusCode, 403);
      assert.equal((await get(north, 'site=north&zone=Mars/Olympus')).statusCode, 400);
      assert.equal((await get(north, 'site=north&from=2026-03-09T00:00:00Z&to=2026-03-02T00:00:00Z')).statusCode, 400);
      assert.equal((await get(north, 'site=north&from=2024-01-01T00:00:00Z')).statusCode, 400, 'over a year');
      assert.equal((await get(north, 'site=north&patient=x')).statusCode, 400);
    });

    it('audits every read, and every refusal', async () => {
      const before = await t.db.query<{ n: number }>(
        `select count(*)::int as n from audit_log where actor_id = $1 and event = 'phi.search'`,
        [frontDesk.id],
      );
      assert.equal((await get(frontDesk, `site=north&${window}`)).statusCode, 200);
      assert.equal((await get(officer, window)).statusCode, 403);
      await t.kernel.audit.flush();
      const reads = await t.db.query<{ entry: string }>(
        `select entry from audit_log where actor_id = $1 and event = 'phi.search' order by seq`,
        [frontDesk.id],
      );
      assert.equal(reads.rows.length, (before.rows[0]?.n ?? 0) + 1);
      const last = JSON.parse(reads.rows.at(-1)?.entry ?? '{}') as Record<string, unknown>;
      assert.deepEqual(last['entity'], { kind: 'OperationsReport', id: '*' });
      assert.equal(last['site'], 'north');
      assert.equal(last['reason'], 'sections:referrals,followups');
      const denied = await t.db.query<{ n: number }>(
        `select count(*)::int as n from audit_log where actor_id = $1 and event = 'access.denied'`,
        [officer.id],
      );
      assert.ok((denied.rows[0]?.n ?? 0) >= 1);
    });

    it("reports a configured site in the site's zone unless a zone is asked for; a site without a record in UTC", async () => {
      const admin = await principalWith(t.kernel, 'site-admin', { role: 'admin' });
      const added = await t.app.inject({
        method: 'POST',
        url: '/sites',
        headers: bearer(admin),
        payload: { id: 'north', name: 'North Clinic', zone: 'America/New_York' },
      });
      assert.equal(added.statusCode, 201, added.body);
      const f = (await get(north, `site=north&${window}`)).json<OperationsReport>();
      assert.equal(f.zone, 'America/New_York');
      assert.deepEqual(
        f.referralWeeks?.map((w) => [w.week, w.started]),
        [
          ['2026-02-23', 0],
          ['2026-03-02', 3],
          ['2026-03-09', 0],
        ],
      );
      assert.equal((await get(north, `site=north&${window}&zone=UTC`)).json<OperationsReport>().zone, 'UTC');
      assert.equal((await get(everywhere, `site=south&${window}`)).json<OperationsReport>().zone, 'UTC');
    });
  });
}

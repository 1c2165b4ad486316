/**
 * Review over HTTP against the sandbox EHR, through the kernel's own wiring (connection client
 * with the sealed SMART key, egress with a BAA, the one EHR writer as the connection's actor): an
 * approved appointment-status proposal is committed, verified and rolled back; a change made in
 * the EHR while a proposal waited answers `conflicted` with the new revision, whose diff the next
 * reviewer sees before approving it. An outside agent's proposal (ADR 0017) goes the same way, and the
 * agent is told how it ended: verified, rejected with the reason, conflicted with the rebased revision.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestContext } from '@steward/core';
import type { EhrConnection } from '@steward/ehr';
import type { ProposalDraft, ProposalPatient, ProposalSummary } from '@steward/proposals';
import { startSandboxEhr, type SandboxEhr } from '@steward/sandbox-ehr';
import { fhirFetch, tokenFor } from '@steward/sandbox-ehr/testing';
import { flowTargets } from '@steward/store/testing';
import { createLogger } from '@steward/governance';
import { startWorkflowRuntime } from './workflows/index.js';
import { bearer, connectSandboxEhr, openTestApp, principalWith, type TestApp, type TestPrincipal } from './testing.js';

const MRN = 'urn:oid:2.16.840.1.113883.19.5';
const ENTERPRISE = 'urn:oid:2.16.840.1.113883.19.9';
const scopes = ['system/*.rs', 'system/Appointment.u', 'system/Task.cu'];

const RATIONALE =
  'Synthetic Agentic missed the 1 December recheck and has no other visit booked; a rebooking call is due.';

/** A proposal as its outside drafter follows it (`GET /proposals/:id`). */
interface Drafted {
  id: string;
  status: string;
  revision: number;
  contentHash: string;
  outcome: { outcome: string; settled: boolean; reason?: string; nextId?: string };
  links: { self: string; next?: string; previous?: string };
}

interface Outcome {
  status: string;
  proposal: ProposalSummary;
  next?: ProposalSummary;
  error?: { code: string };
}

for (const target of flowTargets()) {
  describe(`review over HTTP against the sandbox EHR on ${target.name}`, { skip: target.skip }, () => {
    let t: TestApp;
    let ehr: SandboxEhr;
    let ehrToken: string;
    let connection: EhrConnection;
    let flow: RequestContext;
    let coord: TestPrincipal;
    let clin: TestPrincipal;
    let patient: ProposalPatient;

    const ehrSide = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
      const r = await fhirFetch(ehr, ehrToken, method, path, body);
      assert.ok(r.status < 300, `${method} ${path}: ${r.status}`);
      return r.json as Record<string, unknown>;
    };
    const versionOf = (r: Record<string, unknown>): string => (r['meta'] as { versionId: string }).versionId;
    const post = async <T>(who: TestPrincipal, url: string, payload?: Record<string, unknown>): Promise<T> => {
      const r = await t.app.inject({
        method: 'POST',
        url,
        headers: bearer(who),
        ...(payload !== undefined ? { payload } : {}),
      });
      assert.equal(r.statusCode, 200, r.body);
      return r.json<T>();
    };

    before(async () => {
      t = await openTestApp(await target.open());
      ehr = await startSandboxEhr({});
      ehrToken = await tokenFor(ehr, ['system/*.*']);
      const admin = await principalWith(t.kernel, 'ehr-admin', { role: 'admin' });
      const adminCtx: RequestContext = {
        actor: { kind: 'user', id: admin.id, name: 'ehr-admin', authMethod: 'api-token' },
        purposeOfUse: 'HSYSADMIN',
      };
      connection = await connectSandboxEhr(t.kernel, ehr, adminCtx, {
        name: 'north-sandbox',
        site: 'north',
        clientId: 'steward-north',
        scopes,
      });
      const automation = await principalWith(t.kernel, 'no-show-flow', { role: 'automation' });
      flow = { actor: { kind: 'service', id: automation.id, name: 'no-show-flow', authMethod: 'api-token' } };
      coord = await principalWith(t.kernel, 'coord-north', { role: 'coordinator', site: 'north' });
      clin = await principalWith(t.kernel, 'clin-north', { role: 'clinician_reviewer', site: 'north' });
      const identifiers = [
        { system: MRN, value: 'MRN-3001' },
        { system: ENTERPRISE, value: 'E-3001' },
      ];
      const p = await ehrSide('POST', 'Patient', {
        resourceType: 'Patient',
        active: true,
        identifier: identifiers,
        name: [{ family: 'Synthetic', given: ['Review'] }],
      });
      patient = { ehrId: String(p['id']), identifiers };
    });
    after(async () => {
      await t?.close();
      await ehr?.close();
    });

    const bookAndDraft = async (
      status: string,
    ): Promise<{ appointment: Record<string, unknown>; p: ProposalSummary }> => {
      const appointment = await ehrSide('POST', 'Appointment', {
        resourceType: 'Appointment',
        status: 'booked',
        start: '2026-12-01T14:00:00-05:00',
        end: '2026-12-01T14:30:00-05:00',
        participant: [{ actor: { reference: `Patient/${patient.ehrId}` }, status: 'accepted' }],
      });
      const id = String(appointment['id']);
      const rest = { ...appointment };
      delete rest['meta'];
      const draft: ProposalDraft = {
        action: 'appointment.status',
        connectionId: connection.id,
        site: 'north',
        workflow: 'no-show-follow-up',
        patient,
        target: { resourceType: 'Appointment', id },
        baseVersion: versionOf(appointment),
        payload: { ...rest, status },
        evidence: { eventIds: [], resources: [`Appointment/${id}`], reasonCode: 'no-show' },
      };
      return { appointment, p: await t.kernel.proposals.draft(flow, draft) };
    };

    it('commits an approved change, verifies it by reading back, and rolls it back', async () => {
      const { appointment, p } = await bookAndDraft('cancelled');
      const path = `Appointment/${String(appointment['id'])}`;
      const r = await post<Outcome>(coord, `/review/${p.id}/approve`, { contentHash: p.contentHash });
      assert.equal(r.status, 'verified', JSON.stringify(r.error));
      const written = await ehrSide('GET', path);
      assert.equal(written['status'], 'cancelled');
      assert.equal(r.proposal.committed?.version, versionOf(written));

      type Detail = { history: { to: string }[]; allowedActions?: string[]; rollbackReason?: string };
      const detail = async (): Promise<Detail> =>
        (await t.app.inject({ method: 'GET', url: `/review/${p.id}`, headers: bearer(clin) })).json<Detail>();
      assert.deepEqual((await detail()).allowedActions, ['rollback'], 'a written, reversible change offers rollback');
      const back = await post<Outcome>(clin, `/review/${p.id}/rollback`, { reason: 'written to the wrong visit' });
      assert.equal(back.status, 'rolled_back');
      const restored = await ehrSide('GET', path);
      assert.equal(restored['status'], 'booked');
      const after = await detail();
      assert.deepEqual(
        after.history.map((h) => h.to),
        ['drafted', 'pending_review', 'approved', 'committed', 'verified', 'rolled_back'],
      );
      assert.equal(after.rollbackReason, 'written to the wrong visit', 'the reason is kept (sealed) and shown');
      assert.deepEqual(after.allowedActions, [], 'nothing more to do');
    });

    it('retries a failed write once, bound to the content seen, even while the applier sweeps', async () => {
      const { appointment, p } = await bookAndDraft('noshow');
      ehr.faults.setRules([
        { method: 'PUT', pathPrefix: '/fhir/R4/Appointment', kind: 'status', status: 503, rate: 1 },
      ]);
      const failed = await post<Outcome>(coord, `/review/${p.id}/approve`, { contentHash: p.contentHash });
      ehr.faults.clear();
      assert.equal(failed.status, 'failed');
      const offered = await t.app.inject({ method: 'GET', url: `/review/${p.id}`, headers: bearer(clin) });
      assert.ok(offered.json<{ allowedActions: string[] }>().allowedActions.includes('retry'));
      const stale = await t.app.inject({
        method: 'POST',
        url: `/review/${p.id}/retry`,
        headers: bearer(clin),
        payload: { contentHash: 'a'.repeat(64) },
      });
      assert.equal(stale.statusCode, 412, 'a retry is bound to the content the person saw');
      // The person's retry and the background applier's sweep at once: one write lands, not two.
      const sweeper: RequestContext = {
        actor: { kind: clin.kind, id: clin.id, name: 'clin', authMethod: 'api-token' },
      };
      const [retried] = await Promise.all([
        post<Outcome>(clin, `/review/${p.id}/retry`, { contentHash: p.contentHash }),
        t.kernel.applier.commitApproved(sweeper),
      ]);
      assert.ok(['verified', 'approved', 'committed'].includes(retried.status), retried.status);
      await t.kernel.applier.commitApproved(sweeper);
      const path = `Appointment/${String(appointment['id'])}`;
      assert.equal((await ehrSide('GET', path))['status'], 'noshow');
      const history = await ehrSide('GET', `${path}/_history`);
      assert.equal((history['entry'] as unknown[]).length, 2, 'booked, then noshow once');
    });

    it('answers a conflict with the new revision, which is reviewed with its diff and committed on top', async () => {
      const { appointment, p } = await bookAndDraft('noshow');
      const path = `Appointment/${String(appointment['id'])}`;
      // The front desk reschedules it in the EHR before the reviewer gets to it.
      await ehrSide('PUT', path, {
        ...appointment,
        start: '2026-12-03T09:00:00-05:00',
        end: '2026-12-03T09:30:00-05:00',
      });
      const r = await post<Outcome>(coord, `/review/${p.id}/approve`, { contentHash: p.contentHash });
      assert.equal(r.status, 'conflicted');
      assert.ok(r.next !== undefined);
      assert.equal(r.next.status, 'pending_review');
      assert.equal(r.next.supersedes, p.id);
      const unchanged = await ehrSide('GET', path);
      assert.equal(unchanged['status'], 'booked', 'nothing was overwritten');
      assert.equal(r.next.baseVersion, versionOf(unchanged));

      const detail = await t.app.inject({ method: 'GET', url: `/review/${r.next.id}`, headers: bearer(clin) });
      const next = detail.json<{ contentHash: string; diff: { changes: { path: string; current: unknown }[] } }>();
      assert.deepEqual(
        next.diff.changes.map((c) => c.path),
        ['/end', '/start'],
      );
      const done = await post<Outcome>(clin, `/review/${r.next.id}/approve`, { contentHash: next.contentHash });
      assert.equal(done.status, 'verified');
      const final = await ehrSide('GET', path);
      assert.equal(final['status'], 'noshow');
      assert.equal(final['start'], '2026-12-03T09:00:00-05:00', "the EHR's change is kept");
    });

    it('runs the background applier: it re-verifies a write left committed on start and retries a due passing failure by itself', async () => {
      // A process that died between recording a write and verifying it: the EHR holds the change.
      const landed = await bookAndDraft('cancelled');
      const first = await post<Outcome>(coord, `/review/${landed.p.id}/approve`, { contentHash: landed.p.contentHash });
      assert.equal(first.status, 'verified');
      await t.db.query(`update proposals set status = 'committed' where id = $1`, [landed.p.id]);
      // A write the EHR refused for a passing reason, every try: it fails, with the applier's next try planned.
      const waiting = await bookAndDraft('noshow');
      ehr.faults.setRules([
        { method: 'PUT', pathPrefix: '/fhir/R4/Appointment', kind: 'status', status: 503, rate: 1 },
      ]);
      const failed = await post<Outcome>(coord, `/review/${waiting.p.id}/approve`, {
        contentHash: waiting.p.contentHash,
      });
      ehr.faults.clear();
      assert.equal(failed.status, 'failed');
      const error = failed.proposal.error as unknown as { code: string; attempts: number; nextAttemptAt?: string };
      assert.equal(error.code, 'EHR_UNAVAILABLE');
      assert.equal(error.attempts, 1);
      assert.ok(error.nextAttemptAt !== undefined, 'the applier will try again');
      assert.ok(
        Date.parse(error.nextAttemptAt) - t.clock.now().getTime() <= 30_000,
        'the first back-off is at most 30 s',
      );
      t.clock.advance(30_000);

      const runtime = await startWorkflowRuntime(t.kernel, createLogger({ level: 'silent' }), {
        definitions: [],
        routes: [],
        loops: false,
      });
      try {
        await runtime.settle();
      } finally {
        await runtime.stop();
      }
      const statusOf = async (id: string): Promise<string> =>
        (await t.app.inject({ method: 'GET', url: `/review/${id}`, headers: bearer(clin) })).json<{ status: string }>()
          .status;
      assert.equal(await statusOf(landed.p.id), 'verified', 'read back on start, not written again');
      assert.equal(await statusOf(waiting.p.id), 'verified', 'retried by the applier, nobody pressed retry');
      assert.equal((await ehrSide('GET', `Appointment/${String(waiting.appointment['id'])}`))['status'], 'noshow');
      const history = await ehrSide('GET', `Appointment/${String(landed.appointment['id'])}/_history`);
      assert.equal((history['entry'] as unknown[]).length, 2, 'the landed write was not made twice');
    });

    // Proposals from outside (ADR 0017), on this file's app and sandbox: an agent drafts over the API
    // with its rationale; a coordinator sees it in /review with the rationale and approves exactly what
    // was shown; it is written and verified, and the agent's GET /proposals/:id says verified. A
    // rejection reaches the agent with its reason; a conflict with the rebased revision's link; an
    // approval policy that auto-approves the action type does not approve the agent's draft.
    describe('proposals from an outside agent', () => {
      let agent: TestPrincipal;
      let compliance: TestPrincipal;
      let n = 0;

      const call = async <T>(who: TestPrincipal, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
        const r = await t.app.inject({
          method,
          url,
          headers: bearer(who),
          ...(payload !== undefined ? { payload } : {}),
        });
        assert.ok(r.statusCode < 300, `${method} ${url}: ${r.statusCode} ${r.body}`);
        return r.json<T>();
      };
      const followed = (id: string) => call<Drafted>(agent, 'GET', `/proposals/${id}`);

      before(async () => {
        agent = await principalWith(t.kernel, 'rebooking-agent', {
          role: 'agent',
          site: 'north',
          workflow: 'no-show-rebooking',
          actionTypes: ['task.create', 'appointment.status'],
        });
        compliance = await principalWith(t.kernel, 'compliance', { role: 'compliance_officer' });
      });

      const missedVisit = async (): Promise<Record<string, unknown>> =>
        ehrSide('POST', 'Appointment', {
          resourceType: 'Appointment',
          status: 'noshow',
          start: '2026-12-01T14:00:00-05:00',
          end: '2026-12-01T14:30:00-05:00',
          participant: [{ actor: { reference: `Patient/${patient.ehrId}` }, status: 'accepted' }],
        });

      /** The agent drafts a rebooking task about a missed visit. */
      const draftTask = async (appointmentId: string): Promise<Drafted> =>
        call<Drafted>(agent, 'POST', '/proposals', {
          action: 'task.create',
          connectionId: connection.id,
          site: 'north',
          workflow: 'no-show-rebooking',
          patient,
          target: { resourceType: 'Task' },
          payload: {
            resourceType: 'Task',
            status: 'requested',
            intent: 'order',
            priority: 'routine',
            code: { text: 'Rebook missed recheck' },
            description: 'Call the patient to rebook the missed recheck',
            for: { reference: `Patient/${patient.ehrId}` },
            focus: { reference: `Appointment/${appointmentId}` },
          },
          evidence: { resources: [`Appointment/${appointmentId}`], reasonCode: 'no-show-rebooking' },
          rationale: RATIONALE,
          draftKey: `rebook:${appointmentId}:${n++}`,
        });

      it('is reviewed with its rationale, approved by a person, written and verified; the agent is told verified', async () => {
        const appointment = await missedVisit();
        const drafted = await draftTask(String(appointment['id']));
        assert.deepEqual([drafted.status, drafted.outcome.outcome], ['pending_review', 'pending-review']);

        const queue = await call<{ items: { id: string; draftedOutside?: boolean; change?: { title: string } }[] }>(
          coord,
          'GET',
          '/review?site=north',
        );
        const listed = queue.items.find((i) => i.id === drafted.id);
        assert.equal(listed?.draftedOutside, true);
        assert.equal(listed?.change?.title, 'Create a task');
        const opened = await call<{ contentHash: string; rationale?: string; evidence: { resources: string[] } }>(
          coord,
          'GET',
          `/review/${drafted.id}`,
        );
        assert.equal(opened.rationale, RATIONALE, 'the reviewer reads why');
        assert.deepEqual(opened.evidence.resources, [`Appointment/${String(appointment['id'])}`]);
        assert.equal(opened.contentHash, drafted.contentHash);

        const approved = await call<{ status: string; proposal: { committed?: { id?: string } } }>(
          coord,
          'POST',
          `/review/${drafted.id}/approve`,
          { contentHash: opened.contentHash },
        );
        assert.equal(approved.status, 'verified');
        const task = await ehrSide('GET', `Task/${approved.proposal.committed?.id ?? ''}`);
        assert.equal(task['description'], 'Call the patient to rebook the missed recheck');

        const told = await followed(drafted.id);
        assert.equal(told.status, 'verified');
        assert.deepEqual(told.outcome, { outcome: 'verified', settled: true });
        const mine = await call<{ items: Drafted[] }>(agent, 'GET', '/proposals?outcome=verified');
        assert.deepEqual(
          mine.items.map((i) => i.id),
          [drafted.id],
        );
      });

      it('is told rejected, with the reviewer’s reason', async () => {
        const drafted = await draftTask(String((await missedVisit())['id']));
        await call(clin, 'POST', `/review/${drafted.id}/reject`, { reason: 'already rebooked by phone this morning' });
        assert.deepEqual((await followed(drafted.id)).outcome, {
          outcome: 'rejected',
          settled: true,
          reason: 'already rebooked by phone this morning',
        });
      });

      it('is told conflicted when the EHR changed, and follows the rebased revision', async () => {
        const appointment = await ehrSide('POST', 'Appointment', {
          resourceType: 'Appointment',
          status: 'booked',
          start: '2026-12-02T10:00:00-05:00',
          end: '2026-12-02T10:30:00-05:00',
          participant: [{ actor: { reference: `Patient/${patient.ehrId}` }, status: 'accepted' }],
        });
        const id = String(appointment['id']);
        const rest = { ...appointment };
        delete rest['meta'];
        const drafted = await call<Drafted>(agent, 'POST', '/proposals', {
          action: 'appointment.status',
          connectionId: connection.id,
          site: 'north',
          workflow: 'no-show-rebooking',
          patient,
          target: { resourceType: 'Appointment', id },
          baseVersion: versionOf(appointment),
          payload: { ...rest, status: 'noshow' },
          evidence: { resources: [`Appointment/${id}`] },
          rationale: 'The check-in window closed without an arrival.',
          draftKey: `noshow:${id}`,
        });
        await ehrSide('PUT', `Appointment/${id}`, { ...appointment, start: '2026-12-02T11:00:00-05:00' });
        const r = await call<{ status: string; next?: { id: string } }>(
          coord,
          'POST',
          `/review/${drafted.id}/approve`,
          {
            contentHash: drafted.contentHash,
          },
        );
        assert.equal(r.status, 'conflicted');
        const told = await followed(drafted.id);
        assert.deepEqual(told.outcome, { outcome: 'conflicted', settled: true, nextId: r.next?.id });
        assert.equal(told.links.next, `/proposals/${r.next?.id ?? ''}`);
        const rebased = await call<Drafted>(agent, 'GET', told.links.next ?? '');
        assert.deepEqual([rebased.revision, rebased.outcome.outcome], [2, 'pending-review']);
        assert.equal(rebased.links.previous, `/proposals/${drafted.id}`);
        // Still the agent's: it may follow it, never approve it.
        const refused = await t.app.inject({
          method: 'POST',
          url: `/review/${rebased.id}/approve`,
          headers: bearer(agent),
          payload: { contentHash: rebased.contentHash },
        });
        assert.equal(refused.statusCode, 404);
      });

      it('waits for a person even when a policy auto-approves its action type', async () => {
        await call(compliance, 'PUT', '/approval-policies/task.create', { mode: 'auto' });
        try {
          const drafted = await draftTask(String((await missedVisit())['id']));
          assert.equal(drafted.status, 'pending_review');
          assert.equal((await followed(drafted.id)).outcome.outcome, 'pending-review');
        } finally {
          await call(compliance, 'PUT', '/approval-policies/task.create', { mode: 'review' });
        }
      });
    });
  });
}

/**
 * Proposals from outside, end to end against the sandbox EHR (issue 18, ADR 0017), in-process
 * through the kernel's own wiring: an agent service drafts over the API with its rationale; a
 * coordinator sees it in /review, rationale included, and approves exactly what was shown; the
 * applier writes it and reads it back; the agent's `GET /proposals/:id` says `verified`. A rejected
 * one says `rejected` with the reviewer's reason; one the EHR changed under says `conflicted` and
 * links the rebased revision, which the agent follows; an approval policy that auto-approves the
 * action type does not approve the agent's draft.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestContext } from '@steward/core';
import type { EhrConnection } from '@steward/ehr';
import { startSandboxEhr, type SandboxEhr } from '@steward/sandbox-ehr';
import { fhirFetch, tokenFor } from '@steward/sandbox-ehr/testing';
import { storeTargets } from '@steward/store/testing';
import { bearer, connectSandboxEhr, openTestApp, principalWith, type TestApp, type TestPrincipal } from './testing.js';

const MRN = 'urn:oid:2.16.840.1.113883.19.5';
const ENTERPRISE = 'urn:oid:2.16.840.1.113883.19.9';
const RATIONALE =
  'Synthetic Agentic missed the 1 December recheck and has no other visit booked; a rebooking call is due.';

interface Drafted {
  id: string;
  status: string;
  revision: number;
  contentHash: string;
  outcome: { outcome: string; settled: boolean; reason?: string; nextId?: string };
  links: { self: string; next?: string; previous?: string };
}

for (const target of storeTargets()) {
  describe(`proposals from an outside agent against the sandbox EHR on ${target.name}`, { skip: target.skip }, () => {
    let t: TestApp;
    let ehr: SandboxEhr;
    let ehrToken: string;
    let connection: EhrConnection;
    let agent: TestPrincipal;
    let coord: TestPrincipal;
    let clin: TestPrincipal;
    let compliance: TestPrincipal;
    let patient: { ehrId: string; identifiers: { system: string; value: string }[] };
    let n = 0;

    const ehrSide = async (method: string, path: string, body?: unknown): Promise<Record<string, unknown>> => {
      const r = await fhirFetch(ehr, ehrToken, method, path, body);
      assert.ok(r.status < 300, `${method} ${path}: ${r.status}`);
      return r.json as Record<string, unknown>;
    };
    const versionOf = (r: Record<string, unknown>): string => (r['meta'] as { versionId: string }).versionId;
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
        scopes: ['system/*.rs', 'system/Appointment.u', 'system/Task.cu'],
      });
      agent = await principalWith(t.kernel, 'rebooking-agent', {
        role: 'agent',
        site: 'north',
        workflow: 'no-show-rebooking',
        actionTypes: ['task.create', 'appointment.status'],
      });
      coord = await principalWith(t.kernel, 'coord-north', { role: 'coordinator', site: 'north' });
      clin = await principalWith(t.kernel, 'clin-north', { role: 'clinician_reviewer', site: 'north' });
      compliance = await principalWith(t.kernel, 'compliance', { role: 'compliance_officer' });
      const identifiers = [
        { system: MRN, value: 'MRN-4001' },
        { system: ENTERPRISE, value: 'E-4001' },
      ];
      const p = await ehrSide('POST', 'Patient', {
        resourceType: 'Patient',
        active: true,
        identifier: identifiers,
        name: [{ family: 'Synthetic', given: ['Agentic'] }],
      });
      patient = { ehrId: String(p['id']), identifiers };
    });
    after(async () => {
      await t?.close();
      await ehr?.close();
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
      const r = await call<{ status: string; next?: { id: string } }>(coord, 'POST', `/review/${drafted.id}/approve`, {
        contentHash: drafted.contentHash,
      });
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
}

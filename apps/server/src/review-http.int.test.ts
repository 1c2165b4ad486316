/**
 * The review API over HTTP on both stores: the queue (filters, keyset paging, scope), a proposal
 * opened for review, approval bound to the content hash the reviewer saw, self-approval refused
 * (also after an edit makes the editor the drafter), rejection, assignment, a role without
 * `review.read`, and approval policies set only by a compliance officer. Proposals from outside
 * services (ADR 0017): drafted over the API only in the agent's scope (site, workflow, action types),
 * followed by the agent, kept out of review; grants with action types through the admin API.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '@steward/core';
import type { ProposalDraft, ProposalSummary } from '@steward/proposals';
import { flowTargets } from '@steward/store/testing';
import { bearer, openTestApp, principalWith, type TestApp, type TestPrincipal } from './testing.js';

const CONNECTION = '11111111-1111-4111-8111-111111111111';
const PATIENT_A = '22222222-2222-4222-8222-222222222222';
const PATIENT_B = '33333333-3333-4333-8333-333333333333';
const MRN = 'urn:oid:2.16.840.1.113883.19.5';
const ENTERPRISE = 'urn:oid:2.16.840.1.113883.19.9';

const patient = (stewardId: string): ProposalDraft['patient'] => ({
  stewardId,
  ehrId: `ehr-${stewardId.slice(0, 4)}`,
  identifiers: [
    { system: MRN, value: `MRN-${stewardId.slice(0, 4)}` },
    { system: ENTERPRISE, value: `E-${stewardId.slice(0, 4)}` },
    { system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-12-3456' },
  ],
});

let appointments = 0;
const appointmentDraft = (site: string, workflow: string, stewardId: string, priority = 3): ProposalDraft => {
  const id = `appt-${++appointments}`;
  return {
    action: 'appointment.status',
    connectionId: CONNECTION,
    site,
    workflow,
    patient: patient(stewardId),
    target: { resourceType: 'Appointment', id },
    baseVersion: '1',
    payload: { resourceType: 'Appointment', id, status: 'cancelled' },
    evidence: { eventIds: [], resources: [`Appointment/${id}`], reasonCode: 'no-show' },
    priority,
  };
};

interface Outcome {
  status: string;
  proposal: ProposalSummary;
  next?: ProposalSummary;
  error?: { code: string; retryable: boolean; message?: string };
}

const outsideIdentifiers = [
  { system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN-7001' },
  { system: 'urn:oid:2.16.840.1.113883.19.9', value: 'E-7001' },
];

/** Proposals from outside (ADR 0017): a valid draft of each action type the matrix tries. */
const outsidePayloads: Record<string, Record<string, unknown>> = {
  'task.create': {
    target: { resourceType: 'Task' },
    payload: {
      resourceType: 'Task',
      status: 'requested',
      intent: 'order',
      for: { reference: 'Patient/p-7001' },
      description: 'Call to rebook the missed visit',
    },
  },
  'appointment.status': {
    target: { resourceType: 'Appointment', id: 'a-7001' },
    baseVersion: '1',
    payload: {
      resourceType: 'Appointment',
      id: 'a-7001',
      status: 'noshow',
      participant: [{ actor: { reference: 'Patient/p-7001' }, status: 'accepted' }],
    },
  },
};

const outsideDraft = (action: string, site: string, workflow: string, draftKey: string): Record<string, unknown> => ({
  action,
  connectionId: CONNECTION,
  site,
  workflow,
  patient: { ehrId: 'p-7001', identifiers: outsideIdentifiers },
  ...outsidePayloads[action],
  evidence: { resources: ['Appointment/a-7001'], reasonCode: 'no-show' },
  rationale: 'The patient missed the visit; a rebooking call is due.',
  draftKey,
});

interface DenialEntry {
  event: string;
  reason?: string;
  site?: string;
  workflow?: string;
  fields?: string[];
}

for (const target of flowTargets()) {
  describe(`the review API on ${target.name}`, { skip: target.skip }, () => {
    let t: TestApp;
    let flow: RequestContext;
    let coord: TestPrincipal;
    let coordSouth: TestPrincipal;
    let clin: TestPrincipal;
    let frontDesk: TestPrincipal;
    let compliance: TestPrincipal;
    const north: ProposalSummary[] = [];

    const call = async <T>(
      who: TestPrincipal,
      method: 'GET' | 'POST' | 'PUT',
      url: string,
      payload?: unknown,
    ): Promise<{ status: number; body: T }> => {
      const r = await t.app.inject({
        method,
        url,
        headers: bearer(who),
        ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
      });
      return { status: r.statusCode, body: r.json<T>() };
    };
    const contextOf = (p: TestPrincipal, name: string): RequestContext => ({
      actor: { kind: p.kind, id: p.id, name, authMethod: 'api-token' },
    });

    before(async () => {
      t = await openTestApp(await target.open());
      const automation = await principalWith(t.kernel, 'no-show-flow', { role: 'automation' });
      flow = contextOf(automation, 'no-show-flow');
      coord = await principalWith(t.kernel, 'coord-north', { role: 'coordinator', site: 'north' });
      coordSouth = await principalWith(t.kernel, 'coord-south', { role: 'coordinator', site: 'south' });
      clin = await principalWith(t.kernel, 'clin-all', { role: 'clinician_reviewer' });
      frontDesk = await principalWith(t.kernel, 'front-desk', { role: 'front_desk', site: 'north' });
      compliance = await principalWith(t.kernel, 'compliance', { role: 'compliance_officer' });
      for (let i = 0; i < 7; i++) {
        const d = appointmentDraft(
          'north',
          i % 2 === 0 ? 'no-show-follow-up' : 'referral-tracking',
          i % 3 === 0 ? PATIENT_B : PATIENT_A,
          (i % 3) + 1,
        );
        north.push(await t.kernel.proposals.draft(flow, d));
      }
      await t.kernel.proposals.draft(flow, appointmentDraft('south', 'no-show-follow-up', PATIENT_A));
    });
    after(async () => t?.close());

    const pages = async (who: TestPrincipal, query: string): Promise<ProposalSummary[]> => {
      const out: ProposalSummary[] = [];
      let cursor: string | undefined;
      for (let n = 0; n < 20; n++) {
        const r = await call<{ items: ProposalSummary[]; next?: string }>(
          who,
          'GET',
          `/review?${query}&limit=2${cursor !== undefined ? `&cursor=${cursor}` : ''}`,
        );
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.ok(r.body.items.length <= 2);
        out.push(...r.body.items);
        if (r.body.next === undefined) return out;
        cursor = r.body.next;
      }
      throw new Error('the queue did not end');
    };

    it('pages through the queue by cursor, most urgent first, and filters it', async () => {
      const all = await pages(coord, 'site=north');
      assert.deepEqual(all.map((p) => p.id).sort(), north.map((p) => p.id).sort(), 'each once, none from south');
      assert.deepEqual(
        all.map((p) => p.priority),
        [...all.map((p) => p.priority)].sort((a, b) => a - b),
      );
      assert.ok(all.every((p) => p.status === 'pending_review' && p.site === 'north'));
      assert.equal('payload' in (all[0] ?? {}), false, 'the queue carries no payload');

      const referrals = await pages(coord, 'site=north&workflow=referral-tracking');
      assert.deepEqual(
        referrals.map((p) => p.id).sort(),
        north
          .filter((p) => p.workflow === 'referral-tracking')
          .map((p) => p.id)
          .sort(),
      );
      const forB = await pages(coord, `site=north&patientId=${PATIENT_B}`);
      assert.deepEqual(
        forB.map((p) => p.id).sort(),
        north
          .filter((p) => p.patientId === PATIENT_B)
          .map((p) => p.id)
          .sort(),
      );
      assert.equal((await pages(coord, 'site=north&actionType=task.create')).length, 0);
      assert.equal((await pages(coord, 'site=north&status=rejected,verified')).length, 0);
      // A reviewer at every site sees both without naming one.
      assert.equal((await pages(clin, 'actionType=appointment.status')).length, north.length + 1);
    });

    it('names the patient (as the rule allows) and the drafter on the queue and the opened proposal, audited as a read', async () => {
      const mrn = { system: MRN, value: 'MRN-77123' };
      const stewardId = await t.kernel.patients.resolve(contextOf(coord, 'coord-north'), {
        connectionId: CONNECTION,
        site: 'north',
        identifiers: [mrn],
        demographics: { name: { family: 'Quill', given: ['Ada'] }, birthDate: '1970-04-05' },
      });
      const draft = appointmentDraft('north', 'no-show-follow-up', stewardId);
      const drafted = await t.kernel.proposals.draft(flow, {
        ...draft,
        patient: {
          ...draft.patient,
          identifiers: [{ system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-12-3456' }, mrn],
        },
      });
      type Labelled = ProposalSummary & { patientLabel?: Record<string, string>; draftedBy: { name?: string } };
      const [item] = (await pages(coord, `site=north&patientId=${stewardId}`)) as Labelled[];
      assert.deepEqual(item?.patientLabel, { id: stewardId, name: 'Quill, Ada', birthDate: '1970-04-05' });
      assert.equal(item?.draftedBy.name, 'no-show-flow');
      const opened = await call<Labelled>(coord, 'GET', `/review/${drafted.id}`);
      assert.deepEqual(opened.body.patientLabel, {
        id: stewardId,
        name: 'Quill, Ada',
        birthDate: '1970-04-05',
        mrn: '••••7123',
      });
      const { rows } = await t.db.query<{ n: string }>(
        `select count(*) as n from audit_log where event = 'phi.read' and actor_id = $1 and $2 = any(patient_ids)`,
        [coord.id, stewardId],
      );
      assert.ok(Number(rows[0]?.n) >= 2, 'each showing is a read naming the patient');
    });

    it('refuses a queue beyond the caller’s sites, a bad filter, and a role without review.read', async () => {
      assert.equal((await call(coordSouth, 'GET', '/review?site=north')).status, 403);
      assert.equal((await call(coord, 'GET', '/review')).status, 403, 'no site named: needs every site');
      const bad = await call<{ code: string; details: { path: string }[] }>(coord, 'GET', '/review?status=lost');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.details[0]?.path, 'querystring/status');
      assert.equal((await call(coord, 'GET', '/review?site=north&limit=0')).status, 400);
      assert.equal((await call(coord, 'GET', '/review?site=north&sort=id')).status, 400);
      const desk = await call<{ code: string }>(frontDesk, 'GET', '/review?site=north');
      assert.equal(desk.status, 403);
      assert.equal(desk.body.code, 'FORBIDDEN');
      // One proposal: not found rather than forbidden, so ids cannot be probed.
      assert.equal((await call(frontDesk, 'GET', `/review/${north[0]!.id}`)).status, 404);
      assert.equal((await call(coordSouth, 'GET', `/review/${north[0]!.id}`)).status, 404);
    });

    it('opens a proposal for review with payload, patient, evidence and history', async () => {
      const p = north[1]!;
      const r = await call<{
        contentHash: string;
        payload: { status: string; id: string };
        patient: { stewardId: string; identifiers: { system: string }[] };
        evidence: { reasonCode: string };
        history: { to: string }[];
      }>(clin, 'GET', `/review/${p.id}`);
      assert.equal(r.status, 200);
      assert.equal(r.body.contentHash, p.contentHash);
      assert.equal(r.body.payload.status, 'cancelled');
      assert.equal(r.body.payload.id, p.target.id);
      assert.equal(r.body.patient.stewardId, p.patientId);
      // Minimum necessary: the record numbers reach the screen, the SSN does not.
      assert.deepEqual(
        r.body.patient.identifiers.map((i) => i.system),
        [MRN, ENTERPRISE],
      );
      assert.equal(JSON.stringify(r.body).includes('999-12-3456'), false);
      assert.equal(r.body.evidence.reasonCode, 'no-show');
      assert.deepEqual(
        r.body.history.map((h) => h.to),
        ['drafted', 'pending_review'],
      );
      assert.equal((await call(clin, 'GET', '/review/not-a-uuid')).status, 400);
    });

    it('binds an approval to the content hash the reviewer saw', async () => {
      const p = north[2]!;
      const wrong = await call<{ code: string }>(coord, 'POST', `/review/${p.id}/approve`, {
        contentHash: 'f'.repeat(64),
      });
      assert.equal(wrong.status, 412);
      assert.equal(wrong.body.code, 'VERSION_CONFLICT');
      assert.equal((await call(coord, 'POST', `/review/${p.id}/approve`, { contentHash: 'short' })).status, 400);
      assert.equal((await call(coord, 'POST', `/review/${p.id}/approve`, {})).status, 400);
      const still = await call<{ status: string }>(coord, 'GET', `/review/${p.id}`);
      assert.equal(still.body.status, 'pending_review', 'a refused approval changes nothing');
      // The right hash approves; the commit then needs the EHR connection, which does not exist here.
      const ok = await call<Outcome>(coord, 'POST', `/review/${p.id}/approve`, { contentHash: p.contentHash });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      assert.equal(ok.body.proposal.approvedBy?.id, coord.id);
      assert.equal(ok.body.status, 'failed');
      assert.deepEqual(ok.body.error, { code: 'NOT_FOUND', retryable: false, attempts: 1, exhausted: false });
      const again = await call<{ code: string }>(clin, 'POST', `/review/${p.id}/approve`, {
        contentHash: p.contentHash,
      });
      assert.equal(again.status, 412, 'a decided proposal is not approved twice');
      assert.equal(
        (await call(coord, 'POST', `/review/${p.id}/retry`, { contentHash: p.contentHash })).status,
        412,
        'not a passing failure',
      );
    });

    it('refuses self-approval, also after an edit makes the editor the drafter', async () => {
      const own = await t.kernel.proposals.draft(
        contextOf(coord, 'coord-north'),
        appointmentDraft('north', 'no-show-follow-up', PATIENT_A),
      );
      const self = await call<{ code: string }>(coord, 'POST', `/review/${own.id}/approve`, {
        contentHash: own.contentHash,
      });
      assert.equal(self.status, 403);
      assert.equal(self.body.code, 'FORBIDDEN');
      // Not offered either: the API says what each reader may do, by the rule approving enforces.
      const allowed = async (who: TestPrincipal, id: string): Promise<string[] | undefined> =>
        (await call<{ allowedActions?: string[] }>(who, 'GET', `/review/${id}`)).body.allowedActions;
      assert.deepEqual(await allowed(coord, own.id), ['reject', 'edit', 'assign']);
      assert.deepEqual(await allowed(clin, own.id), ['approve', 'reject', 'edit', 'assign']);
      const queue = await call<{ items: ProposalSummary[] }>(coord, 'GET', '/review?site=north&limit=200');
      const listed = queue.body.items.find((x) => x.id === own.id);
      assert.deepEqual(listed?.allowedActions, ['reject', 'edit', 'assign'], 'the queue says the same');
      assert.deepEqual(listed?.change, { title: 'Change the appointment status', lines: ['status: cancelled'] });

      const p = north[3]!;
      const edited = await call<ProposalSummary>(coord, 'POST', `/review/${p.id}/edit`, {
        payload: { resourceType: 'Appointment', id: p.target.id, status: 'noshow' },
      });
      assert.equal(edited.status, 200);
      assert.equal(edited.body.supersedes, p.id);
      assert.equal(edited.body.revision, 2);
      assert.notEqual(edited.body.contentHash, p.contentHash);
      const byEditor = await call(coord, 'POST', `/review/${edited.body.id}/approve`, {
        contentHash: edited.body.contentHash,
      });
      assert.equal(byEditor.status, 403);
      assert.ok(!(await allowed(coord, edited.body.id))?.includes('approve'), 'not offered on one’s own edit');
      assert.ok((await allowed(clin, edited.body.id))?.includes('approve'));
      assert.deepEqual(await allowed(clin, p.id), [], 'a superseded revision offers nothing');
      const old = await call(clin, 'POST', `/review/${p.id}/approve`, { contentHash: p.contentHash });
      assert.equal(old.status, 412, 'the superseded revision cannot be approved');
      const badEdit = await call<{ code: string }>(coord, 'POST', `/review/${edited.body.id}/edit`, {
        payload: { resourceType: 'Task', id: p.target.id },
      });
      assert.equal(badEdit.status, 400);
      assert.equal(badEdit.body.code, 'VALIDATION_FAILED');
    });

    it('rejects with a reason, shown to reviewers', async () => {
      const p = north[4]!;
      assert.equal((await call(coord, 'POST', `/review/${p.id}/reject`, { reason: '' })).status, 400);
      const r = await call<ProposalSummary>(coord, 'POST', `/review/${p.id}/reject`, {
        reason: 'the patient called to reschedule',
      });
      assert.equal(r.status, 200);
      assert.equal(r.body.status, 'rejected');
      const detail = await call<{ rejection: string }>(clin, 'GET', `/review/${p.id}`);
      assert.equal(detail.body.rejection, 'the patient called to reschedule');
      const rejected = await pages(coord, 'site=north&status=rejected');
      assert.deepEqual(
        rejected.map((x) => x.id),
        [p.id],
      );
      assert.equal((await call(coord, 'POST', `/review/${p.id}/rollback`, { reason: ' ' })).status, 400, 'a reason');
      assert.equal((await call(coord, 'POST', `/review/${p.id}/rollback`, { reason: 'wrong chart' })).status, 412);
    });

    it('assigns and unassigns, and filters the queue by assignee', async () => {
      const p = north[5]!;
      const a = await call<ProposalSummary>(coord, 'POST', `/review/${p.id}/assign`, { assigneeId: clin.id });
      assert.equal(a.status, 200);
      assert.equal(a.body.assigneeId, clin.id);
      assert.deepEqual(
        (await pages(coord, `site=north&assignee=${clin.id}`)).map((x) => x.id),
        [p.id],
      );
      const u = await call<ProposalSummary>(coord, 'POST', `/review/${p.id}/assign`, { assigneeId: null });
      assert.equal(u.body.assigneeId, undefined);
      assert.equal((await call(coord, 'POST', `/review/${p.id}/assign`, {})).status, 400);
    });

    it('keeps a message approved for the messaging applier to send, not the reviewer', async () => {
      const m = await t.kernel.proposals.draft(flow, {
        action: 'reminder.send',
        site: 'north',
        patient: patient(PATIENT_A),
        target: { resourceType: 'Communication' },
        payload: { template: 'appointment-reminder' },
        evidence: { eventIds: [], resources: [], reasonCode: 'reminder' },
      });
      const r = await call<Outcome>(clin, 'POST', `/review/${m.id}/approve`, { contentHash: m.contentHash });
      assert.equal(r.status, 200);
      assert.equal(r.body.status, 'approved');
      assert.equal(r.body.error?.code, 'EHR_NOT_SUPPORTED');
      assert.match(r.body.error?.message ?? '', /messaging/);
    });

    it('lets only a compliance officer set approval policies, which then bind approvals', async () => {
      const set = (who: TestPrincipal, body: unknown): Promise<{ status: number; body: { code?: string } }> =>
        call(who, 'PUT', '/approval-policies/task.update', body);
      assert.equal((await set(coord, { mode: 'auto' })).status, 403);
      assert.equal((await set(clin, { mode: 'review', roles: ['clinician_reviewer'] })).status, 403);
      assert.equal((await call(coord, 'GET', '/approval-policies')).status, 403);
      assert.equal((await set(compliance, { mode: 'review', roles: ['front_desk'] })).status, 400);
      assert.equal((await set(compliance, { mode: 'sometimes' })).status, 400);
      assert.equal((await call(compliance, 'PUT', '/approval-policies/task.*', { mode: 'auto' })).status, 400);
      const ok = await set(compliance, { mode: 'review', roles: ['clinician_reviewer'] });
      assert.equal(ok.status, 200, JSON.stringify(ok.body));
      const list = await call<{
        items: { actionType: string; mode: string; roles: string[]; version: number; setBy: { name?: string } }[];
      }>(compliance, 'GET', '/approval-policies');
      assert.equal(list.body.items[0]?.setBy.name, 'compliance', 'who set it, by name');
      assert.deepEqual(
        list.body.items.map((p) => [p.actionType, p.mode, p.roles]),
        [['task.update', 'review', ['clinician_reviewer']]],
      );

      const task = await t.kernel.proposals.draft(flow, {
        action: 'task.update',
        connectionId: CONNECTION,
        site: 'north',
        patient: patient(PATIENT_A),
        target: { resourceType: 'Task', id: 'task-1' },
        baseVersion: '1',
        payload: { resourceType: 'Task', id: 'task-1', status: 'completed' },
        evidence: { eventIds: [], resources: ['Task/task-1'], reasonCode: 'referral-closed' },
      });
      const byCoord = await call<{ code: string }>(coord, 'POST', `/review/${task.id}/approve`, {
        contentHash: task.contentHash,
      });
      assert.equal(byCoord.status, 403, 'the policy names the clinician reviewer role');
      const offered = async (who: TestPrincipal): Promise<string[] | undefined> =>
        (await call<{ allowedActions?: string[] }>(who, 'GET', `/review/${task.id}`)).body.allowedActions;
      assert.ok(!(await offered(coord))?.includes('approve'), 'nor offered to a role the policy does not name');
      assert.ok((await offered(clin))?.includes('approve'));
      const byClin = await call<Outcome>(clin, 'POST', `/review/${task.id}/approve`, {
        contentHash: task.contentHash,
      });
      assert.equal(byClin.status, 200);
      assert.equal(byClin.body.proposal.approvedBy?.id, clin.id);
    });

    // Proposals from outside (ADR 0017), on this file's app: a generated matrix of an agent scoped to
    // site north, workflow rebooking and action type task.create drafting at every site, workflow and
    // action type (refused 403 and audited everywhere but its own scope); its draft answered and read
    // back; the agent kept out of /review; grants with action types through the admin API.
    describe('proposals from outside services', () => {
      let agent: TestPrincipal;
      let admin: TestPrincipal;

      const denials = async (actorId: string): Promise<DenialEntry[]> => {
        await t.kernel.audit.flush();
        const { rows } = await t.db.query<{ entry: string }>(
          `select entry from audit_log where event = 'access.denied' and actor_id = $1 order by seq`,
          [actorId],
        );
        return rows.map((r) => JSON.parse(r.entry) as DenialEntry);
      };

      before(async () => {
        agent = await principalWith(t.kernel, 'rebooking-agent', {
          role: 'agent',
          site: 'north',
          workflow: 'rebooking',
          actionTypes: ['task.create'],
        });
        admin = await principalWith(t.kernel, 'grants-admin', { role: 'admin' });
      });

      it('drafts only at its site, in its workflow, of its action types: every other cell refused and audited', async () => {
        const sites = ['north', 'south'];
        const workflows = ['rebooking', 'intake'];
        const actions = ['task.create', 'appointment.status'];
        const mismatches: string[] = [];
        let n = 0;
        for (const site of sites)
          for (const workflow of workflows)
            for (const action of actions) {
              const own = site === 'north' && workflow === 'rebooking' && action === 'task.create';
              const before = (await denials(agent.id)).length;
              const r = await t.app.inject({
                method: 'POST',
                url: '/proposals',
                headers: bearer(agent),
                payload: outsideDraft(action, site, workflow, `matrix-${n++}`),
              });
              const cell = `${site}/${workflow}/${action}`;
              if (r.statusCode !== (own ? 201 : 403)) mismatches.push(`${cell}: ${r.statusCode} ${r.body}`);
              const added = (await denials(agent.id)).slice(before);
              if (own) {
                if (added.length !== 0) mismatches.push(`${cell}: a denial was audited for its own scope`);
                continue;
              }
              // In scope but for the action type: its own reason, and the type named in the answer.
              const typeOnly = site === 'north' && workflow === 'rebooking';
              const want = typeOnly ? 'action_type:proposal.create' : 'no_grant:proposal.create';
              const d = added[0];
              if (added.length !== 1 || d?.reason !== want || d.site !== site || d.workflow !== workflow)
                mismatches.push(`${cell}: audited ${JSON.stringify(added)}, want one ${want}`);
              if (d?.fields?.[0] !== action) mismatches.push(`${cell}: the denial does not name ${action}`);
              if (typeOnly && !r.json<{ message: string }>().message.includes(action))
                mismatches.push(`${cell}: the refusal does not say which action type`);
            }
        assert.deepEqual(mismatches, []);
        const { rows } = await t.db.query<{ n: number }>(
          `select count(*)::int as n from proposals where outside_drafter_id = $1`,
          [agent.id],
        );
        assert.equal(rows[0]?.n, 1, 'only its own cell drafted');
      });

      it('answers 201 with id, status, revision, outcome and links; a retry 200; other content under the key 409', async () => {
        const body = outsideDraft('task.create', 'north', 'rebooking', 'rebook-call-1');
        const r = await t.app.inject({ method: 'POST', url: '/proposals', headers: bearer(agent), payload: body });
        assert.equal(r.statusCode, 201, r.body);
        const p = r.json<{
          id: string;
          status: string;
          revision: number;
          draftKey: string;
          outcome: { outcome: string; settled: boolean };
          links: { self: string };
        }>();
        assert.deepEqual(
          [p.status, p.revision, p.draftKey, p.outcome, p.links.self],
          ['pending_review', 1, 'rebook-call-1', { outcome: 'pending-review', settled: false }, `/proposals/${p.id}`],
        );
        const again = await t.app.inject({ method: 'POST', url: '/proposals', headers: bearer(agent), payload: body });
        assert.equal(again.statusCode, 200);
        assert.equal(again.json<{ id: string }>().id, p.id);
        const changed = await t.app.inject({
          method: 'POST',
          url: '/proposals',
          headers: bearer(agent),
          payload: { ...body, rationale: 'another reason altogether' },
        });
        assert.equal(changed.statusCode, 409);
        assert.equal(changed.json<{ code: string }>().code, 'ALREADY_EXISTS');
        // The header may name the workflow, but not another one.
        const other = await t.app.inject({
          method: 'POST',
          url: '/proposals',
          headers: bearer(agent, { 'x-steward-workflow': 'intake' }),
          payload: outsideDraft('task.create', 'north', 'rebooking', 'rebook-call-2'),
        });
        assert.equal(other.statusCode, 400);

        const got = await t.app.inject({ method: 'GET', url: `/proposals/${p.id}`, headers: bearer(agent) });
        assert.equal(got.statusCode, 200);
        assert.equal(got.json<{ outcome: { outcome: string } }>().outcome.outcome, 'pending-review');
        assert.equal(
          (await t.app.inject({ method: 'GET', url: `/proposals/${p.id}`, headers: bearer(coord) })).statusCode,
          200,
          'a reviewer at its site reads it',
        );
        const missing = await t.app.inject({
          method: 'GET',
          url: '/proposals/00000000-0000-4000-8000-00000000dead',
          headers: bearer(agent),
        });
        const foreign = await t.app.inject({ method: 'GET', url: `/proposals/${p.id}`, headers: bearer(coordSouth) });
        assert.deepEqual([missing.statusCode, foreign.statusCode], [404, 404]);
        const strip = (b: string) => ({ ...JSON.parse(b), requestId: undefined }) as unknown;
        assert.deepEqual(strip(foreign.body), strip(missing.body), 'the same answer as a missing id');

        const list = await t.app.inject({
          method: 'GET',
          url: '/proposals?outcome=pending-review&limit=50',
          headers: bearer(agent),
        });
        assert.equal(list.statusCode, 200);
        assert.ok(list.json<{ items: { id: string }[] }>().items.some((i) => i.id === p.id));
      });

      it('keeps the agent out of review: the queue 403, a proposal 404, its decisions 404', async () => {
        const p = (
          await t.app.inject({
            method: 'POST',
            url: '/proposals',
            headers: bearer(agent),
            payload: outsideDraft('task.create', 'north', 'rebooking', 'rebook-call-3'),
          })
        ).json<{ id: string; contentHash: string }>();
        const as = (method: 'GET' | 'POST', url: string, payload?: object) =>
          t.app
            .inject({ method, url, headers: bearer(agent), ...(payload !== undefined ? { payload } : {}) })
            .then((r) => r.statusCode);
        assert.equal(await as('GET', '/review'), 403);
        assert.equal(await as('GET', '/review?site=north'), 403);
        assert.equal(await as('GET', `/review/${p.id}`), 404);
        assert.equal(await as('POST', `/review/${p.id}/approve`, { contentHash: p.contentHash }), 404);
        assert.equal(await as('POST', `/review/${p.id}/reject`, { reason: 'no' }), 404);
        assert.equal(await as('POST', `/review/${p.id}/edit`, { payload: { resourceType: 'Task' } }), 404);
        // The coordinator sees it in the queue, marked as drafted outside, with the rationale when opened.
        const queue = await t.app.inject({ method: 'GET', url: '/review?site=north', headers: bearer(coord) });
        const item = queue
          .json<{ items: { id: string; draftedOutside?: boolean }[] }>()
          .items.find((i) => i.id === p.id);
        assert.equal(item?.draftedOutside, true);
        const opened = await t.app.inject({ method: 'GET', url: `/review/${p.id}`, headers: bearer(coord) });
        assert.equal(
          opened.json<{ rationale?: string }>().rationale,
          'The patient missed the visit; a rebooking call is due.',
        );
      });

      it('checks each cited event: filed, at the draft site, of its patient; refuses the others by index', async () => {
        const ingest = await principalWith(t.kernel, 'evidence-ingest', { role: 'integration', site: 'north' });
        const patient = await t.kernel.patients.resolve(contextOf(ingest, 'evidence-ingest'), {
          connectionId: CONNECTION,
          site: 'north',
          ehrId: 'p-7001',
          identifiers: outsideIdentifiers,
        });
        const filed = (site: string, patientId: string) => ({
          type: 'appointment.no-show',
          site,
          patientId,
          occurredAt: new Date(),
          sourceKey: `ehr:${randomUUID()}`,
          references: {},
          phi: { patient: { id: patientId, identifiers: [] } },
        });
        const [own, otherSite, otherPatient] = await t.kernel.events.outbox.publish(
          [filed('north', patient), filed('south', patient), filed('north', randomUUID())],
          t.clock.now(),
        );
        const draft = (eventIds: (string | undefined)[], key: string) => ({
          ...outsideDraft('task.create', 'north', 'rebooking', key),
          evidence: { eventIds, resources: ['Appointment/a-7001'], reasonCode: 'no-show' },
        });
        const refused = await t.app.inject({
          method: 'POST',
          url: '/proposals',
          headers: bearer(agent),
          payload: draft([own, randomUUID(), otherSite, otherPatient], 'evidence-1'),
        });
        assert.equal(refused.statusCode, 400, refused.body);
        assert.deepEqual(
          refused.json<{ details: { path: string }[] }>().details.map((d) => d.path),
          ['evidence/eventIds/1', 'evidence/eventIds/2', 'evidence/eventIds/3'],
          'unknown, another site, another patient: each named by its index, the cited own event passes',
        );
        for (const secret of [patient, 'MRN-7001']) assert.equal(refused.body.includes(secret), false);
        const drafted = await t.app.inject({
          method: 'POST',
          url: '/proposals',
          headers: bearer(agent),
          payload: draft([own], 'evidence-2'),
        });
        assert.equal(drafted.statusCode, 201, drafted.body);
      });

      it('sets, lists and checks action types on grants through the admin API', async () => {
        const account = await t.app.inject({
          method: 'POST',
          url: '/service-accounts',
          headers: bearer(admin),
          payload: { name: 'scheduling-agent' },
        });
        assert.equal(account.statusCode, 201, account.body);
        const principalId = account.json<{ id: string }>().id;
        const grant = (extra: Record<string, unknown>) =>
          t.app.inject({
            method: 'POST',
            url: '/grants',
            headers: bearer(admin),
            payload: {
              principalKind: 'service',
              principalId,
              role: 'agent',
              site: 'north',
              workflow: 'rebooking',
              purposeOfUse: 'TREAT',
              ...extra,
            },
          });
        const added = await grant({ actionTypes: ['task.create', 'appointment.status'] });
        assert.equal(added.statusCode, 201, added.body);
        assert.deepEqual(added.json<{ actionTypes: string[] }>().actionTypes, ['task.create', 'appointment.status']);
        const listed = await t.app.inject({ method: 'GET', url: '/grants', headers: bearer(admin) });
        const mine = listed.json<{ items: { id: string; actionTypes?: string[] }[] }>().items;
        assert.deepEqual(mine.find((g) => g.id === added.json<{ id: string }>().id)?.actionTypes, [
          'task.create',
          'appointment.status',
        ]);
        assert.equal((await grant({ actionTypes: ['nothing.known'] })).statusCode, 400, 'an unknown action type');
        assert.equal((await grant({ actionTypes: [] })).statusCode, 400);
        assert.equal(
          (await grant({ role: 'integration', purposeOfUse: 'HOPERAT', actionTypes: ['task.create'] })).statusCode,
          400,
          'a role that drafts nothing takes no action types',
        );
        const without = await grant({});
        assert.equal(without.statusCode, 201);
        assert.equal(without.json<{ actionTypes?: string[] }>().actionTypes, undefined, 'absent: all');
      });
    });
  });
}

/**
 * Proposals from outside, through the HTTP API (ADR 0017): a generated matrix of a service account
 * scoped to site north, workflow rebooking and action type task.create drafting at every site,
 * workflow and action type — refused (403, audited `access.denied` with the reason) everywhere but
 * its own scope; grants with action types through the admin API; the agent kept out of /review; and
 * a proposal read back only by its drafter or a reviewer at its site.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storeTargets } from '@steward/store/testing';
import { bearer, openTestApp, principalWith, type TestApp, type TestPrincipal } from '../testing.js';

const CONNECTION = '11111111-1111-4111-8111-111111111111';
const identifiers = [
  { system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN-7001' },
  { system: 'urn:oid:2.16.840.1.113883.19.9', value: 'E-7001' },
];

/** A valid draft of each action type the matrix tries. */
const payloads: Record<string, Record<string, unknown>> = {
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

const draft = (action: string, site: string, workflow: string, draftKey: string): Record<string, unknown> => ({
  action,
  connectionId: CONNECTION,
  site,
  workflow,
  patient: { ehrId: 'p-7001', identifiers },
  ...payloads[action],
  evidence: { resources: ['Appointment/a-7001'], reasonCode: 'no-show' },
  rationale: 'The patient missed the visit; a rebooking call is due.',
  draftKey,
});

interface Entry {
  event: string;
  reason?: string;
  site?: string;
  workflow?: string;
  fields?: string[];
}

for (const target of storeTargets()) {
  describe(`proposals from outside over HTTP on ${target.name}`, { skip: target.skip }, () => {
    let t: TestApp;
    let agent: TestPrincipal;
    let coordNorth: TestPrincipal;
    let coordSouth: TestPrincipal;
    let admin: TestPrincipal;

    const denials = async (actorId: string): Promise<Entry[]> => {
      await t.kernel.audit.flush();
      const { rows } = await t.db.query<{ entry: string }>(
        `select entry from audit_log where event = 'access.denied' and actor_id = $1 order by seq`,
        [actorId],
      );
      return rows.map((r) => JSON.parse(r.entry) as Entry);
    };

    before(async () => {
      t = await openTestApp(await target.open());
      agent = await principalWith(t.kernel, 'rebooking-agent', {
        role: 'agent',
        site: 'north',
        workflow: 'rebooking',
        actionTypes: ['task.create'],
      });
      coordNorth = await principalWith(t.kernel, 'coord-north', { role: 'coordinator', site: 'north' });
      coordSouth = await principalWith(t.kernel, 'coord-south', { role: 'coordinator', site: 'south' });
      admin = await principalWith(t.kernel, 'grants-admin', { role: 'admin' });
    });
    after(async () => t?.close());

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
              payload: draft(action, site, workflow, `matrix-${n++}`),
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
      const body = draft('task.create', 'north', 'rebooking', 'rebook-call-1');
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
        payload: draft('task.create', 'north', 'rebooking', 'rebook-call-2'),
      });
      assert.equal(other.statusCode, 400);

      const got = await t.app.inject({ method: 'GET', url: `/proposals/${p.id}`, headers: bearer(agent) });
      assert.equal(got.statusCode, 200);
      assert.equal(got.json<{ outcome: { outcome: string } }>().outcome.outcome, 'pending-review');
      assert.equal(
        (await t.app.inject({ method: 'GET', url: `/proposals/${p.id}`, headers: bearer(coordNorth) })).statusCode,
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
          payload: draft('task.create', 'north', 'rebooking', 'rebook-call-3'),
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
      const queue = await t.app.inject({ method: 'GET', url: '/review?site=north', headers: bearer(coordNorth) });
      const item = queue.json<{ items: { id: string; draftedOutside?: boolean }[] }>().items.find((i) => i.id === p.id);
      assert.equal(item?.draftedOutside, true);
      const opened = await t.app.inject({ method: 'GET', url: `/review/${p.id}`, headers: bearer(coordNorth) });
      assert.equal(
        opened.json<{ rationale?: string }>().rationale,
        'The patient missed the visit; a rebooking call is due.',
      );
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
}

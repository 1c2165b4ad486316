/**
 * /handoffs, /handoff-policies and /rotas over HTTP: a coordinator raises a handoff to a pool, a
 * pool member finds it in "my work" by name, takes it and finishes it; a subject's handoffs; an
 * escalation policy and a rota set by the administrator (a coordinator may not: 403); bad input is
 * a 400 naming the field, an unknown handoff a 404, the administrator reads no handoff (no PHI).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { flowTargets } from '@steward/store/testing';
import { bearer, openTestApp, principalWith, type TestApp, type TestPrincipal } from '../../testing.js';
import { startWorkflowRuntime, workflowCatalog } from '../../workflows/index.js';

interface Item {
  id: string;
  status: string;
  from: { name: string };
  to: { name: string };
  assignee: { name: string } | null;
  dueAt: string | null;
  history: { event: string; actor: { name: string } }[];
}

for (const target of flowTargets()) {
  describe(`handoffs over HTTP on ${target.name}`, { skip: target.skip }, () => {
    let t: TestApp;
    let admin: TestPrincipal;
    let coord: TestPrincipal;
    let desk: TestPrincipal;

    before(async () => {
      t = await openTestApp(await target.open());
      admin = await principalWith(t.kernel, 'admin-1', { role: 'admin' });
      coord = await principalWith(t.kernel, 'north-coordinator', { role: 'coordinator', site: 'north' });
      desk = await principalWith(t.kernel, 'north-desk-1', { role: 'front_desk', site: 'north' });
      for (const [who, displayName, pool] of [
        [coord, 'Cody Coord', 'north-leads'],
        [desk, 'Dee Desk', 'north-desk'],
      ] as const) {
        const r = await t.app.inject({
          method: 'PUT',
          url: `/staff/${who.id}`,
          headers: bearer(admin),
          payload: { displayName, sites: ['north'], pools: [{ pool, site: 'north' }] },
        });
        assert.equal(r.statusCode, 200, r.body);
      }
    });
    after(() => t.close());

    it('raise, my work, accept, done, by subject; policy and rota; refusals', async () => {
      const policy = await t.app.inject({
        method: 'PUT',
        url: '/handoff-policies/north/intake.incomplete',
        headers: bearer(admin),
        payload: {
          steps: [
            {
              condition: 'not-accepted',
              delay: { amount: 2, unit: 'hours', business: true },
              target: { kind: 'pool', ref: 'north-leads' },
            },
          ],
        },
      });
      assert.equal(policy.statusCode, 200, policy.body);
      assert.equal(policy.json<{ version: number }>().version, 1);
      const refusedPolicy = await t.app.inject({
        method: 'PUT',
        url: '/handoff-policies/north/intake.incomplete',
        headers: bearer(coord),
        payload: { steps: [] },
      });
      assert.equal(refusedPolicy.statusCode, 403);
      const read = await t.app.inject({
        method: 'GET',
        url: '/handoff-policies/north/intake.incomplete',
        headers: bearer(coord),
      });
      assert.equal(read.json<{ steps: unknown[] }>().steps.length, 1);

      const created = await t.app.inject({
        method: 'POST',
        url: '/handoffs',
        headers: bearer(coord),
        payload: {
          site: 'north',
          kind: 'intake.incomplete',
          subject: { kind: 'document', id: 'doc-17' },
          to: { kind: 'pool', ref: 'north-desk' },
          ask: 'Request the signed second page',
          due: { businessDays: 1 },
        },
      });
      assert.equal(created.statusCode, 201, created.body);
      const h = created.json<Item>();
      assert.equal(h.from.name, 'Cody Coord');
      assert.ok(h.dueAt !== null);

      const mine = await t.app.inject({ method: 'GET', url: '/handoffs/mine', headers: bearer(desk) });
      assert.equal(mine.statusCode, 200);
      assert.deepEqual(
        mine.json<{ items: Item[] }>().items.map((i) => i.id),
        [h.id],
      );
      // A limit in the query string is digits (it once answered 400 "must be integer" to ?limit=20).
      const limited = await t.app.inject({ method: 'GET', url: '/handoffs/mine?limit=20', headers: bearer(desk) });
      assert.equal(limited.statusCode, 200, limited.body);
      assert.equal(limited.json<{ items: Item[] }>().items.length, 1);
      const tooMany = await t.app.inject({ method: 'GET', url: '/handoffs/mine?limit=201', headers: bearer(desk) });
      assert.equal(tooMany.statusCode, 400);
      assert.match(tooMany.body, /limit/);
      const pool = await t.app.inject({ method: 'GET', url: '/handoffs/pools/north-desk', headers: bearer(coord) });
      assert.deepEqual(
        pool.json<{ items: Item[] }>().items.map((i) => i.id),
        [h.id],
      );

      const accepted = await t.app.inject({ method: 'POST', url: `/handoffs/${h.id}/accept`, headers: bearer(desk) });
      assert.equal(accepted.statusCode, 200, accepted.body);
      assert.equal(accepted.json<Item>().assignee?.name, 'Dee Desk');
      const again = await t.app.inject({ method: 'POST', url: `/handoffs/${h.id}/accept`, headers: bearer(coord) });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json<{ code: string }>().code, 'HANDOFF_STATE');
      const noReason = await t.app.inject({
        method: 'POST',
        url: `/handoffs/${h.id}/decline`,
        headers: bearer(desk),
        payload: {},
      });
      assert.equal(noReason.statusCode, 400);
      const done = await t.app.inject({ method: 'POST', url: `/handoffs/${h.id}/done`, headers: bearer(desk) });
      assert.equal(done.statusCode, 200, done.body);
      assert.deepEqual(
        done.json<Item>().history.map((e) => [e.event, e.actor.name]),
        [
          ['offered', 'Cody Coord'],
          ['accepted', 'Dee Desk'],
          ['done', 'Dee Desk'],
        ],
      );
      const about = await t.app.inject({
        method: 'GET',
        url: '/handoffs?kind=document&id=doc-17',
        headers: bearer(coord),
      });
      assert.deepEqual(
        about.json<{ items: Item[] }>().items.map((i) => i.status),
        ['done'],
      );

      const bad = await t.app.inject({
        method: 'POST',
        url: '/handoffs',
        headers: bearer(coord),
        payload: {
          site: 'north',
          kind: 'Not A Kind',
          subject: { kind: 'document', id: 'x' },
          to: { kind: 'pool', ref: 'north-desk' },
          ask: 'x',
        },
      });
      assert.equal(bad.statusCode, 400);
      const byAdmin = await t.app.inject({ method: 'GET', url: `/handoffs/${h.id}`, headers: bearer(admin) });
      assert.equal(byAdmin.statusCode, 404, 'the administrator reads no handoff');
      const unknown = await t.app.inject({
        method: 'GET',
        url: '/handoffs/00000000-0000-4000-8000-00000000abcd',
        headers: bearer(coord),
      });
      assert.equal(unknown.statusCode, 404);

      const rota = await t.app.inject({
        method: 'PUT',
        url: '/rotas/north/north-oncall',
        headers: bearer(admin),
        payload: {
          shifts: [{ user: 'north-coordinator', start: '2026-11-01T00:00:00Z', end: '2026-11-02T00:00:00Z' }],
        },
      });
      assert.equal(rota.statusCode, 200, rota.body);
      const shown = await t.app.inject({ method: 'GET', url: '/rotas/north/north-oncall', headers: bearer(desk) });
      assert.deepEqual(
        shown.json<{ shifts: { user: { displayName: string } }[] }>().shifts.map((s) => s.user.displayName),
        ['Cody Coord'],
      );
      const rotaByCoord = await t.app.inject({
        method: 'PUT',
        url: '/rotas/north/north-oncall',
        headers: bearer(coord),
        payload: { shifts: [] },
      });
      assert.equal(rotaByCoord.statusCode, 403);
    });

    it("the server's workflow runtime escalates it as steward-workflows when nobody takes it", async () => {
      const created = await t.app.inject({
        method: 'POST',
        url: '/handoffs',
        headers: bearer(coord),
        payload: {
          site: 'north',
          kind: 'intake.incomplete',
          subject: { kind: 'document', id: 'doc-18' },
          to: { kind: 'pool', ref: 'north-desk' },
          ask: 'Request the insurance card',
        },
      });
      assert.equal(created.statusCode, 201, created.body);
      const h = created.json<Item>();
      const runtime = await startWorkflowRuntime(t.kernel, t.logger, { ...workflowCatalog(t.kernel), loops: false });
      try {
        await runtime.worker.drain();
        t.clock.advance(5 * 86_400_000); // past two business hours, whatever the weekday
        await runtime.worker.drain();
      } finally {
        await runtime.stop();
      }
      const shown = await t.app.inject({ method: 'GET', url: `/handoffs/${h.id}`, headers: bearer(coord) });
      const detail = shown.json<Item>();
      assert.deepEqual(
        detail.history.map((e) => [e.event, e.actor.name]),
        [
          ['offered', 'Cody Coord'],
          ['escalated', 'steward-workflows'],
        ],
      );
      assert.equal(detail.to.name, 'north-leads', 're-offered to the leads');
    });
  });
}

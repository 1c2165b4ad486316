/**
 * /referrals and /reports/referrals over HTTP on both stores, with referral workflows seeded
 * through the engine: filters, paging, the figures, and `phi.search` enforced at the site (a
 * north grant reads north, not south and not every site; a role without phi.search reads nothing).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storeTargets } from '@steward/store/testing';
import {
  referralWorkflow,
  WorkflowEngine,
  WorkflowWorker,
  type ReferralFigures,
  type ReferralListItem,
  type ReferralSignalPayload,
  type ReferralStartPayload,
} from '@steward/workflows';
import { bearer, openTestApp, principalWith, type TestApp, type TestPrincipal } from '../../testing.js';

const CONN = '44444444-4444-4444-8444-444444444444';
let events = 0;
const eventId = (): string => `55555555-5555-4555-8555-${String(++events).padStart(12, '0')}`;

for (const target of storeTargets()) {
  describe(`the referrals API on ${target.name}`, { skip: target.skip }, () => {
    let t: TestApp;
    let engine: WorkflowEngine;
    let worker: WorkflowWorker;
    let north: TestPrincipal;
    let everywhere: TestPrincipal;
    let auditor: TestPrincipal;

    const start = async (site: string, sr: string): Promise<void> => {
      const at = t.clock.now().toISOString();
      const payload: ReferralStartPayload = {
        eventId: eventId(),
        occurredAt: at,
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
      t.clock.advance(60_000); // distinct creation times: the list is newest first
    };
    const signal = async (sr: string, name: string, status: string): Promise<void> => {
      const payload: ReferralSignalPayload = {
        eventId: eventId(),
        eventType: `${name}.updated`,
        occurredAt: t.clock.now().toISOString(),
        status,
        ref: null,
        start: null,
        participants: [],
      };
      await engine.signal(`referral:${CONN}:${sr}`, name, payload);
      await worker.drain();
    };

    before(async () => {
      if (target.skip !== undefined) return;
      t = await openTestApp(await target.open());
      engine = new WorkflowEngine({
        db: t.kernel.db,
        clock: t.clock,
        definitions: [referralWorkflow],
        effects: { 'proposal.draft': (r) => Promise.resolve({ proposalId: r.key, status: 'pending_review' }) },
      });
      worker = new WorkflowWorker(engine, { id: 'test' });
      north = await principalWith(t.kernel, 'coord-north', { role: 'coordinator', site: 'north' });
      everywhere = await principalWith(t.kernel, 'coord-all', { role: 'coordinator' });
      auditor = await principalWith(t.kernel, 'auditor', { role: 'compliance_officer' });
      await start('north', 'n1');
      await start('north', 'n2');
      await start('south', 's1');
      t.clock.advance(3_600_000);
      await signal('n1', 'task', 'received');
      await signal('n2', 'referral', 'revoked');
      t.clock.advance(3 * 86_400_000); // s1 is now overdue for receipt; n1 overdue for acceptance
      await worker.drain();
    });
    after(async () => t?.close());

    const get = async (p: TestPrincipal, url: string) => t.app.inject({ method: 'GET', url, headers: bearer(p) });

    it('lists referrals at a site, by stage and overdue, newest first, by page', async () => {
      let r = await get(north, '/referrals?site=north');
      assert.equal(r.statusCode, 200);
      const items = r.json<{ items: ReferralListItem[] }>().items;
      assert.deepEqual(
        items.map((i) => [i.serviceRequest, i.stage, i.status, i.leaked]),
        [
          ['ServiceRequest/n2', 'sent', 'completed', 'cancelled'],
          ['ServiceRequest/n1', 'received', 'running', null],
        ],
      );
      r = await get(north, '/referrals?site=north&stage=received&overdue=true');
      const overdue = r.json<{ items: ReferralListItem[] }>().items;
      assert.deepEqual(
        overdue.map((i) => [i.serviceRequest, i.overdue, i.proposalIds.length]),
        [['ServiceRequest/n1', 'accepted', 2]],
      );
      r = await get(everywhere, '/referrals?limit=2');
      const page = r.json<{ items: ReferralListItem[]; next?: string }>();
      assert.equal(page.items.length, 2);
      assert.ok(page.next !== undefined);
      r = await get(everywhere, `/referrals?limit=2&cursor=${page.next}`);
      assert.deepEqual(
        r.json<{ items: ReferralListItem[] }>().items.map((i) => i.serviceRequest),
        ['ServiceRequest/n1'],
      );
    });

    it('reports figures for a site and a window', async () => {
      const r = await get(everywhere, '/reports/referrals?site=north');
      assert.equal(r.statusCode, 200);
      const f = r.json<ReferralFigures>();
      assert.equal(f.total, 2);
      assert.equal(f.byStage.received, 1);
      assert.equal(f.byStage.sent, 1);
      assert.equal(f.overdue, 1);
      assert.equal(f.leakage.byReason.cancelled.count, 1);
      assert.equal(f.leakage.rate, 0.5);
      assert.equal(f.closureRate, 0);
      assert.deepEqual(f.timeInStage.sent, { count: 1, medianHours: 1.05, p90Hours: 1.05 }, 'n1: 3 min + 1 h');
      const all = (await get(everywhere, '/reports/referrals')).json<ReferralFigures>();
      assert.equal(all.total, 3);
      const since = new Date(t.clock.now().getTime() + 1000).toISOString();
      const none = (
        await get(everywhere, `/reports/referrals?since=${encodeURIComponent(since)}`)
      ).json<ReferralFigures>();
      assert.equal(none.total, 0);
    });

    it('needs phi.search at the site asked for', async () => {
      assert.equal((await get(north, '/referrals?site=south')).statusCode, 403);
      assert.equal((await get(north, '/referrals')).statusCode, 403, 'a one-site grant does not cover every site');
      assert.equal((await get(north, '/reports/referrals')).statusCode, 403);
      assert.equal((await get(auditor, '/referrals?site=north')).statusCode, 403);
      assert.equal((await get(everywhere, '/referrals?site=south')).statusCode, 200);
      assert.equal((await get(north, '/referrals?stage=nowhere&site=north')).statusCode, 400);
    });
  });
}

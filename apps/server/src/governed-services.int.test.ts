/**
 * The kernel's governed services that took over decisions the routes used to make: egress
 * administration, break-glass review, the relationship types, the EHR connections' operations and
 * the flagged events. Each refuses a caller without the permission (FORBIDDEN), audits the refusal,
 * and changes nothing; with the permission it acts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestContext } from '@steward/core';
import { flowTargets } from '@steward/store/testing';
import { openTestApp, principalWith, type TestApp, type TestPrincipal } from './testing.js';

const ctxOf = (p: TestPrincipal, name: string): RequestContext => ({
  actor: { kind: p.kind, id: p.id, name, authMethod: 'api-token' },
});

for (const target of flowTargets()) {
  describe(`the kernel's governed services on ${target.name}`, { skip: target.skip }, () => {
    let t: TestApp;
    let admin: RequestContext;
    let compliance: RequestContext;
    let desk: RequestContext;
    let southDesk: RequestContext;

    /** The access.denied entries written for `ctx`'s actor so far. */
    const denials = async (ctx: RequestContext): Promise<number> => {
      await t.kernel.audit.flush();
      const { rows } = await t.db.query<{ n: number }>(
        `select count(*)::int as n from audit_log where event = 'access.denied' and actor_id = $1`,
        [ctx.actor.id],
      );
      return rows[0]?.n ?? 0;
    };
    const forbidden = { code: 'FORBIDDEN' };

    before(async () => {
      t = await openTestApp(await target.open());
      admin = ctxOf(await principalWith(t.kernel, 'svc.admin', { role: 'admin' }), 'svc.admin');
      compliance = ctxOf(
        await principalWith(t.kernel, 'svc.compliance', { role: 'compliance_officer' }),
        'svc.compliance',
      );
      desk = ctxOf(
        await principalWith(t.kernel, 'svc.desk', { role: 'front_desk', site: 'north' }, { breakGlass: true }),
        'svc.desk',
      );
      southDesk = ctxOf(await principalWith(t.kernel, 'svc.south', { role: 'front_desk', site: 'south' }), 'svc.south');
    });
    after(() => t.close());

    it('egress: listing and registering need egress.manage; a refusal registers nothing', async () => {
      const before = await denials(desk);
      const destination = {
        name: 'svc-gateway',
        kind: 'messaging' as const,
        baseUrl: 'https://gateway.example.org/',
        baaOnRecord: true,
        baaReference: 'BAA-2026-7',
      };
      await assert.rejects(t.kernel.egressAdmin.register(desk, destination), forbidden);
      await assert.rejects(t.kernel.egressAdmin.list(desk), forbidden);
      assert.equal(await denials(desk), before + 2);
      assert.ok(!(await t.kernel.egressAdmin.list(admin)).some((d) => d.name === 'svc-gateway'));
      await t.kernel.egressAdmin.register(admin, destination);
      assert.ok((await t.kernel.egressAdmin.list(admin)).some((d) => d.name === 'svc-gateway'));
    });

    it('break-glass: an eligible user starts an episode; listing and review need break_glass.review', async () => {
      const episode = await t.kernel.breakGlassService.start(desk, {
        site: 'south',
        reason: 'patient arrived unconscious at the south desk',
      });
      const before = await denials(desk);
      await assert.rejects(t.kernel.breakGlassService.list(desk, { unreviewedOnly: true }), forbidden);
      await assert.rejects(t.kernel.breakGlassService.review(desk, episode.id, 'looks fine to me'), forbidden);
      assert.equal(await denials(desk), before + 2);
      // The refused review recorded nothing: the episode is still waiting for one.
      const waiting = await t.kernel.breakGlassService.list(compliance, { unreviewedOnly: true });
      assert.ok(waiting.some((e) => e.id === episode.id));
      await t.kernel.breakGlassService.review(compliance, episode.id, 'reviewed with the desk lead');
      const after = await t.kernel.breakGlassService.list(compliance, { unreviewedOnly: true });
      assert.ok(!after.some((e) => e.id === episode.id));
    });

    it('relationship types: listed with phi.read at the site asked for, refused at another site', async () => {
      const before = await denials(southDesk);
      await assert.rejects(t.kernel.relationships.types.list(southDesk, 'north'), forbidden);
      assert.equal(await denials(southDesk), before + 1);
      const types = await t.kernel.relationships.types.list(desk, 'north');
      assert.ok(types.length > 0);
      assert.deepEqual(
        types.map((d) => d.code),
        [...(await t.kernel.relationships.types.forSite('north')).keys()],
      );
    });

    it('EHR connections and flagged events: config.manage is decided before the connection is looked up', async () => {
      const before = await denials(desk);
      await assert.rejects(t.kernel.connectionOperations.check(desk, 'nowhere'), forbidden);
      await assert.rejects(t.kernel.connectionOperations.attention(desk, 'nowhere'), forbidden);
      await assert.rejects(t.kernel.connectionOperations.overview(desk), forbidden);
      await assert.rejects(t.kernel.eventFlags.list(desk, 'nowhere'), forbidden);
      assert.equal(await denials(desk), before + 4);
      // With the permission, an unknown connection is what is said.
      await assert.rejects(t.kernel.connectionOperations.check(admin, 'nowhere'), { code: 'NOT_FOUND' });
      await assert.rejects(t.kernel.eventFlags.list(admin, 'nowhere'), { code: 'NOT_FOUND' });
      assert.deepEqual(await t.kernel.connectionOperations.overview(admin), { items: [] });
    });
  });
}

/**
 * /staff and /pools over HTTP: an administrator gives two users staff records in a pool with a
 * lead; every role reads names (a compliance officer at every site, a front desk at its site only),
 * a coordinator may not change them (403), a lead cycle is a 400 naming `lead`, an unknown pool 404,
 * and a site's owner pool must be a pool of that site (422 POOL_UNKNOWN). `/site-zones` gives anyone
 * signed in the zones of their own sites (what the console shows times in).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { flowTargets } from '@steward/store/testing';
import { bearer, openTestApp, principalWith, type TestApp, type TestPrincipal } from '../../testing.js';

for (const target of flowTargets()) {
  describe(`staff over HTTP on ${target.name}`, { skip: target.skip }, () => {
    let t: TestApp;
    let admin: TestPrincipal;
    let coord: TestPrincipal;
    let lead: TestPrincipal;
    let officer: TestPrincipal;
    let southDesk: TestPrincipal;

    before(async () => {
      t = await openTestApp(await target.open());
      admin = await principalWith(t.kernel, 'admin-1', { role: 'admin' });
      coord = await principalWith(t.kernel, 'north-coordinator', { role: 'coordinator', site: 'north' });
      lead = await principalWith(t.kernel, 'north-lead', { role: 'coordinator', site: 'north' });
      officer = await principalWith(t.kernel, 'privacy-officer', { role: 'compliance_officer' });
      southDesk = await principalWith(t.kernel, 'south-desk', { role: 'front_desk', site: 'south' });
    });
    after(() => t.close());

    const put = (who: TestPrincipal, user: string, body: Record<string, unknown>) =>
      t.app.inject({ method: 'PUT', url: `/staff/${user}`, headers: bearer(who), payload: body });

    it('sets records, lists names per role and site, and refuses what it must', async () => {
      const a = await put(admin, 'north-lead', {
        displayName: 'Nora Lead',
        sites: ['north'],
        pools: [{ pool: 'north-coordinators', site: 'north' }],
      });
      assert.equal(a.statusCode, 200, a.body);
      const b = await put(admin, coord.id, {
        displayName: 'Cody Coord',
        title: 'Coordinator',
        sites: ['north'],
        pools: [{ pool: 'north-coordinators', site: 'north' }],
        lead: 'north-lead',
      });
      assert.equal(b.statusCode, 200, b.body);
      assert.equal(b.json<{ lead: { displayName: string } }>().lead.displayName, 'Nora Lead');

      const refused = await put(coord, coord.id, { title: 'Boss' });
      assert.equal(refused.statusCode, 403);
      const cycle = await put(admin, lead.id, { lead: coord.id });
      assert.equal(cycle.statusCode, 400);
      assert.deepEqual(
        cycle.json<{ details: { path: string }[] }>().details.map((d) => d.path),
        ['lead'],
      );

      const byOfficer = await t.app.inject({ method: 'GET', url: '/staff', headers: bearer(officer) });
      assert.equal(byOfficer.statusCode, 200);
      assert.deepEqual(
        byOfficer.json<{ items: { displayName: string }[] }>().items.map((m) => m.displayName),
        ['Cody Coord', 'Nora Lead'],
      );
      assert.equal((await put(admin, 'south-desk', { displayName: 'Sam South', sites: ['south'] })).statusCode, 200);
      const southList = await t.app.inject({ method: 'GET', url: '/staff', headers: bearer(southDesk) });
      assert.deepEqual(
        southList.json<{ items: { displayName: string }[] }>().items.map((m) => m.displayName),
        ['Sam South'],
        'a front desk at south sees the staff at south only',
      );
      const bySouth = await t.app.inject({
        method: 'GET',
        url: '/pools/north-coordinators',
        headers: bearer(southDesk),
      });
      assert.equal(bySouth.statusCode, 403, 'a pool of another site is not shown');
      const pool = await t.app.inject({ method: 'GET', url: '/pools/north-coordinators', headers: bearer(coord) });
      assert.deepEqual(
        pool.json<{ site: string; members: { username: string }[] }>().members.map((m) => m.username),
        ['north-coordinator', 'north-lead'],
      );
      const none = await t.app.inject({ method: 'GET', url: '/pools/nobody', headers: bearer(coord) });
      assert.equal(none.statusCode, 404);

      const site = await t.app.inject({
        method: 'POST',
        url: '/sites',
        headers: bearer(admin),
        payload: { id: 'south', name: 'South', zone: 'America/Chicago', ownerPool: 'north-coordinators' },
      });
      assert.equal(site.statusCode, 422);
      assert.equal(site.json<{ code: string }>().code, 'POOL_UNKNOWN');
    });

    it('names the principals of grants and tokens, and who last changed a site, never a bare id alone', async () => {
      const grants = await t.app.inject({ method: 'GET', url: '/grants', headers: bearer(admin) });
      assert.equal(grants.statusCode, 200);
      const grantItems = grants.json<{ items: { principalId: string; principalName?: string; role: string }[] }>()
        .items;
      const southGrant = grantItems.find((g) => g.principalId === southDesk.id);
      assert.deepEqual([southGrant?.principalName, southGrant?.role], ['south-desk', 'front_desk']);
      const tokens = await t.app.inject({ method: 'GET', url: '/tokens', headers: bearer(admin) });
      assert.equal(tokens.statusCode, 200);
      const tokenItems = tokens.json<{ items: { principalId: string; principalName?: string }[] }>().items;
      assert.equal(tokenItems.find((k) => k.principalId === coord.id)?.principalName, 'north-coordinator');
      assert.ok(!tokens.body.includes(coord.token), 'no token secret in the list');
      assert.equal((await t.app.inject({ method: 'GET', url: '/grants', headers: bearer(coord) })).statusCode, 403);

      const made = await t.app.inject({
        method: 'POST',
        url: '/sites',
        headers: bearer(admin),
        payload: { id: 'east', name: 'East Clinic', zone: 'America/New_York' },
      });
      assert.equal(made.statusCode, 201, made.body);
      const sites = await t.app.inject({ method: 'GET', url: '/sites', headers: bearer(admin) });
      const east = sites
        .json<{ items: { id: string; site: { updatedByName?: string } | null }[] }>()
        .items.find((i) => i.id === 'east');
      assert.equal(east?.site?.updatedByName, 'admin-1');
    });

    it("tells every signed-in person their sites' zones, without site configuration rights", async () => {
      const north = await t.app.inject({
        method: 'POST',
        url: '/sites',
        headers: bearer(admin),
        payload: { id: 'north', name: 'North', zone: 'America/Chicago' },
      });
      assert.equal(north.statusCode, 201, north.body);
      const zonesOf = async (who: TestPrincipal) => {
        const r = await t.app.inject({ method: 'GET', url: '/site-zones', headers: bearer(who) });
        assert.equal(r.statusCode, 200, r.body);
        return r.json<{ items: { site: string; zone: string }[]; fallback: string }>();
      };
      assert.deepEqual(await zonesOf(coord), {
        items: [{ site: 'north', zone: 'America/Chicago' }],
        fallback: 'America/Chicago',
      });
      // South has no record and no connection: the registry's default zone.
      assert.deepEqual(await zonesOf(southDesk), {
        items: [{ site: 'south', zone: 'America/New_York' }],
        fallback: 'America/New_York',
      });
      assert.equal((await t.app.inject({ method: 'GET', url: '/sites', headers: bearer(coord) })).statusCode, 403);
      assert.equal((await t.app.inject({ method: 'GET', url: '/site-zones' })).statusCode, 401);
    });
  });
}

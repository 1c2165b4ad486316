/**
 * The staff service on PGlite (and PostgreSQL when STEWARD_TEST_DATABASE_URL is set): records per
 * user with sites, pools and a lead; the questions workflows ask; refusals (permission, audited; an
 * unknown user, site or lead; a pool at two sites; a lead cycle) and the sites' references to pools.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { systemClock, type RequestContext } from '@steward/core';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import {
  AuditLog,
  BreakGlassStore,
  GrantStore,
  InMemoryMasterKeyProvider,
  KeyRing,
  PasswordHasher,
  PolicyDecisionPoint,
  UserDirectory,
  UserRoster,
} from '@steward/governance';
import { SiteRegistry } from '../sites/site-registry.js';
import { StaffService } from './staff-service.js';

const bootstrap = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'op',
  authMethod: 'local-operator',
} as const;

for (const target of storeTargets()) {
  describe(`staff service on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let staff: StaffService;
    let sites: SiteRegistry;
    let admin: RequestContext;
    let coordinator: RequestContext;
    let outsider: RequestContext;
    const ids: Record<string, string> = {};

    before(async () => {
      db = await target.open();
      const cipher = await KeyRing.open(db, InMemoryMasterKeyProvider.random());
      const audit = await AuditLog.open(db, cipher);
      const grants = new GrantStore(db, audit);
      const policy = new PolicyDecisionPoint(grants, new BreakGlassStore(db, cipher, audit), audit);
      const users = new UserDirectory({
        db,
        audit,
        cipher,
        hasher: new PasswordHasher({ memoryCost: 1024, timeCost: 1 }),
        clock: systemClock,
      });
      const late: { staff?: StaffService } = {};
      sites = new SiteRegistry({
        db,
        policy,
        audit,
        staff: { assertSiteReferences: (site, refs) => (late.staff as StaffService).assertSiteReferences(site, refs) },
      });
      staff = new StaffService({ db, policy, audit, users: new UserRoster(db), sites });
      late.staff = staff;
      for (const name of ['ada', 'ben', 'cleo', 'dan', 'eve']) {
        const u = await users.create({ username: name, password: 'correct horse battery staple 42' }, bootstrap);
        ids[name] = u.id;
      }
      const ctx = async (name: string, role: 'admin' | 'coordinator', site: string): Promise<RequestContext> => {
        const id = ids[name] ?? '';
        await grants.add(bootstrap, {
          principalKind: 'user',
          principalId: id,
          role,
          site,
          workflow: '*',
          purposeOfUse: role === 'admin' ? 'HSYSADMIN' : 'HOPERAT',
        });
        return { actor: { kind: 'user', id, name, authMethod: 'session' } };
      };
      admin = await ctx('ada', 'admin', '*');
      coordinator = await ctx('ben', 'coordinator', 'north');
      outsider = await ctx('eve', 'coordinator', 'south');
      await sites.add(admin, 'north', {
        name: 'North',
        zone: 'America/New_York',
        ownerPool: 'legacy pool ref'.replace(/ /g, '-'),
      });
      await sites.add(admin, 'south', { name: 'South', zone: 'America/Chicago' });
    });
    after(() => db.close());

    it('refuses a change without staff.manage, audited, and keeps free-form site references while no staff exist', async () => {
      await assert.rejects(staff.set(coordinator, 'ben', { displayName: 'Ben' }), { code: 'FORBIDDEN' });
      const denied = await db.query<{ n: string }>(
        `select count(*) as n from audit_log where event = 'access.denied' and actor_id = $1`,
        [ids['ben']],
      );
      assert.equal(Number(denied.rows[0]?.n), 1);
      assert.equal((await sites.get('north'))?.ownerPool, 'legacy-pool-ref');
    });

    it("creates records with sites, pools and a lead, audited, and answers the workflows' questions", async () => {
      const cleo = await staff.set(admin, 'cleo', {
        displayName: 'Cleo Park',
        title: 'Lead coordinator',
        practitioner: '1234567893',
        sites: ['north'],
        pools: [{ pool: 'north-coordinators', site: 'north' }],
      });
      assert.equal(cleo.version, 1);
      assert.equal(cleo.username, 'cleo');
      const ben = await staff.set(admin, ids['ben'] ?? '', {
        displayName: 'Ben Ito',
        sites: ['north', 'south'],
        pools: [{ pool: 'north-coordinators', site: 'north' }],
        lead: 'cleo',
      });
      assert.deepEqual(ben.lead, {
        userId: ids['cleo'],
        username: 'cleo',
        displayName: 'Cleo Park',
        title: 'Lead coordinator',
      });
      const entries = await db.query<{ entry: string; action: string }>(
        `select entry, action from audit_log where event = 'config.changed' and entry like '%"kind":"Staff"%' order by seq`,
      );
      assert.deepEqual(
        entries.rows.map((r) => {
          const e = JSON.parse(r.entry) as { entity: { id: string }; reason: string };
          return [r.action, e.entity.id, e.reason];
        }),
        [
          ['C', ids['cleo'], 'staff_added'],
          ['C', ids['ben'], 'staff_added'],
        ],
      );

      assert.deepEqual(
        (await staff.membersOf('north-coordinators')).map((m) => m.displayName),
        ['Ben Ito', 'Cleo Park'],
      );
      assert.equal((await staff.leadOf(ids['ben'] ?? ''))?.displayName, 'Cleo Park');
      assert.equal(await staff.leadOf(ids['cleo'] ?? ''), undefined);
      assert.equal(await staff.nameOf(ids['ben'] ?? ''), 'Ben Ito');
      assert.equal(await staff.nameOf(ids['dan'] ?? ''), undefined, 'a user without a staff record has no name here');
      assert.deepEqual(
        (await staff.staffAt('south')).map((m) => m.username),
        ['ben'],
      );
      assert.deepEqual(await staff.membersOf('nobody'), []);

      const changed = await staff.set(admin, 'ben', { title: 'Coordinator' }, 1);
      assert.equal(changed.version, 2);
      assert.equal(changed.lead?.username, 'cleo', 'fields not given stay');
      await assert.rejects(staff.set(admin, 'ben', { title: 'x' }, 1), { code: 'VERSION_CONFLICT' });
    });

    it('lists for every role: everyone at every site for an admin, those at their sites for a coordinator', async () => {
      assert.deepEqual(
        (await staff.list(admin)).map((m) => m.username),
        ['ben', 'cleo'],
      );
      assert.deepEqual(
        (await staff.list(coordinator)).map((m) => m.username),
        ['ben', 'cleo'],
      );
      assert.deepEqual(
        (await staff.list(outsider)).map((m) => m.username),
        ['ben'],
        'eve sees only south',
      );
      await assert.rejects(staff.show(outsider, 'cleo'), { code: 'FORBIDDEN' });
      await assert.rejects(staff.pool(outsider, 'north-coordinators'), { code: 'FORBIDDEN' });
      assert.equal((await staff.show(coordinator, 'cleo')).displayName, 'Cleo Park');
      assert.deepEqual(
        (await staff.pools(coordinator)).map((p) => [p.pool, p.site, p.members.length]),
        [['north-coordinators', 'north', 2]],
      );
      await assert.rejects(staff.show(admin, 'dan'), { code: 'NOT_FOUND' });
    });

    it('refuses a lead cycle, an unknown user, lead or site, and a pool at two sites', async () => {
      await assert.rejects(
        staff.set(admin, 'cleo', { lead: 'ben' }),
        (e: { code: string; details: { path: string }[] }) => {
          assert.equal(e.code, 'VALIDATION_FAILED');
          assert.deepEqual(
            e.details.map((d) => d.path),
            ['lead'],
          );
          return true;
        },
      );
      await assert.rejects(staff.set(admin, 'cleo', { lead: 'cleo' }), { code: 'VALIDATION_FAILED' });
      assert.equal(await staff.leadOf(ids['cleo'] ?? ''), undefined, 'nothing written');
      await assert.rejects(staff.set(admin, 'zed', { displayName: 'Zed' }), { code: 'STAFF_UNKNOWN' });
      await assert.rejects(staff.set(admin, 'dan', { displayName: 'Dan', lead: 'eve' }), { code: 'STAFF_UNKNOWN' });
      await assert.rejects(staff.set(admin, 'dan', { displayName: 'Dan', sites: ['east'] }), { code: 'SITE_UNKNOWN' });
      await assert.rejects(
        staff.set(admin, 'dan', { sites: ['south'] }),
        { code: 'VALIDATION_FAILED' },
        'a first set needs a name',
      );
      await assert.rejects(
        staff.set(admin, 'dan', {
          displayName: 'Dan',
          sites: ['south'],
          pools: [
            { pool: 'north-coordinators', site: 'south' },
            { pool: 'south-desk', site: 'north' },
          ],
        }),
        (e: { details: { path: string; message: string }[] }) => {
          assert.deepEqual(
            e.details.map((d) => d.path),
            ['pools.1.site', 'pools.0.pool'],
          );
          assert.match(e.details[1]?.message ?? '', /north-coordinators is at site north/);
          return true;
        },
      );
    });

    it("checks a site's owner pool and escalation contacts against staff, keeping stored values readable", async () => {
      await assert.rejects(
        sites.update(admin, 'north', { ownerPool: 'north-nurses' }),
        (e: Error & { code: string }) => {
          assert.equal(e.code, 'POOL_UNKNOWN');
          assert.match(e.message, /pool north-nurses has no members/);
          return true;
        },
      );
      await assert.rejects(sites.update(admin, 'south', { ownerPool: 'north-coordinators' }), {
        code: 'POOL_UNKNOWN',
        message: 'pool north-coordinators is at site north, not at south',
      });
      await assert.rejects(
        sites.update(admin, 'north', { escalationContacts: ['cleo', 'someone@example.org'] }),
        (e: { code: string; details: { path: string }[] }) => {
          assert.equal(e.code, 'STAFF_UNKNOWN');
          assert.deepEqual(
            e.details.map((d) => d.path),
            ['escalationContacts.1'],
          );
          return true;
        },
      );
      assert.equal((await sites.get('north'))?.ownerPool, 'legacy-pool-ref', 'the stored free-form value stays');
      const north = await sites.update(admin, 'north', {
        ownerPool: 'north-coordinators',
        escalationContacts: ['cleo', ids['ben'] ?? '', 'north-coordinators'],
      });
      assert.equal(north.ownerPool, 'north-coordinators');
      assert.equal((await sites.update(admin, 'north', { name: 'North Clinic' })).ownerPool, 'north-coordinators');
    });
  });
}

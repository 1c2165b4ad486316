import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { systemClock, type RequestContext } from '@steward/core';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import {
  AuditLog,
  BreakGlassStore,
  GrantAdmin,
  GrantStore,
  InMemoryMasterKeyProvider,
  KeyRing,
  PolicyDecisionPoint,
  ServiceAccountDirectory,
} from '@steward/governance';
import { BusinessCalendar } from './business-calendar.js';
import { SiteRegistry, type SiteReference } from './site-registry.js';

const bootstrap = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'op',
  authMethod: 'local-operator',
} as const;

for (const target of storeTargets()) {
  describe(`site registry on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let sites: SiteRegistry;
    let grantAdmin: GrantAdmin;
    let grants: GrantStore;
    let breakGlass: BreakGlassStore;
    let admin: RequestContext;
    let coordinator: RequestContext;
    let coordinatorId = '';
    const connectionSites = new Map<string, SiteReference[]>([['legacy', ['connections']]]);

    before(async () => {
      db = await target.open();
      const cipher = await KeyRing.open(db, InMemoryMasterKeyProvider.random());
      const audit = await AuditLog.open(db, cipher);
      grants = new GrantStore(db, audit);
      const policy = new PolicyDecisionPoint(grants, new BreakGlassStore(db, cipher, audit), audit);
      sites = new SiteRegistry({
        db,
        policy,
        audit,
        // What the kernel wires: the sites grants and connections name.
        referencedSites: async () => {
          const refs = new Map(connectionSites);
          for (const g of await grants.list()) refs.set(g.site, [...(refs.get(g.site) ?? []), 'grants']);
          return refs;
        },
      });
      grantAdmin = new GrantAdmin(policy, grants, sites);
      breakGlass = new BreakGlassStore(db, cipher, audit, undefined, undefined, undefined, sites);
      const accounts = new ServiceAccountDirectory({ db, audit, clock: systemClock });
      const account = async (name: string, role: 'admin' | 'coordinator', site: string): Promise<RequestContext> => {
        const a = await accounts.create(name, bootstrap);
        await grants.add(bootstrap, {
          principalKind: 'service',
          principalId: a.id,
          role,
          site,
          workflow: '*',
          purposeOfUse: role === 'admin' ? 'HSYSADMIN' : 'HOPERAT',
        });
        return { actor: { kind: 'service', id: a.id, name, authMethod: 'api-token' } };
      };
      admin = await account('admin', 'admin', '*');
      coordinator = await account('coord', 'coordinator', 'north');
      coordinatorId = coordinator.actor.id;
    });
    after(() => db.close());

    it('with no site configured, lists the referenced codes as not configured and lets grants name any site', async () => {
      const list = await sites.list(admin);
      assert.deepEqual(
        list.map((s) => [s.id, s.configured, s.referencedBy]),
        [
          ['legacy', false, ['connections']],
          ['north', false, ['grants']],
        ],
      );
      assert.equal((await sites.show(admin, 'north')).site, null);
      await assert.rejects(sites.show(admin, 'nowhere'), { code: 'NOT_FOUND' });
      assert.equal(await sites.clockOf('north'), undefined);
      await sites.assertUsable('anything'); // a deployment from before sites keeps working
    });

    it('refuses a caller without config.manage (audited), and an invalid site with every problem at once', async () => {
      await assert.rejects(sites.list(coordinator), { code: 'FORBIDDEN' });
      await assert.rejects(sites.add(coordinator, 'west', { name: 'West', zone: 'America/Los_Angeles' }), {
        code: 'FORBIDDEN',
      });
      const denied = await db.query<{ n: string }>(
        `select count(*) as n from audit_log where event = 'access.denied' and actor_id = $1`,
        [coordinatorId],
      );
      assert.equal(Number(denied.rows[0]?.n), 2);
      await assert.rejects(
        sites.add(admin, 'West Side', {
          zone: 'America/Springfield',
          businessHours: { mon: { open: '17:00', close: '08:00' } },
          holidays: ['2026-02-30'],
          quietHours: { start: '8pm', end: '08:00' },
        }),
        (e: { code: string; details: { path: string }[] }) => {
          assert.equal(e.code, 'VALIDATION_FAILED');
          assert.deepEqual(
            e.details.map((d) => d.path),
            ['id', 'name', 'zone', 'businessHours.mon', 'holidays.0', 'quietHours'],
          );
          return true;
        },
      );
    });

    it('adds two sites in their own zones, with defaults for what is not given, audited in one transaction', async () => {
      const west = await sites.add(admin, 'west', {
        name: 'West Clinic',
        zone: 'America/Los_Angeles',
        holidays: ['2026-11-26', '2026-07-03', '2026-11-26'],
        ehrRefs: ['Organization/west-org', 'Location/west-1'],
        ownerPool: 'west-coordinators',
        escalationContacts: ['lead@west.example'],
      });
      assert.equal(west.version, 1);
      assert.deepEqual(west.holidays, ['2026-07-03', '2026-11-26']);
      assert.deepEqual(west.businessHours.mon, { open: '08:00', close: '17:00' });
      assert.equal(west.businessHours.sat, null);
      assert.deepEqual(west.quietHours, { start: '20:00', end: '08:00' });
      const berlin = await sites.add(admin, 'berlin', {
        name: 'Berlin Praxis',
        zone: 'Europe/Berlin',
        quietHours: null,
      });
      assert.equal(berlin.quietHours, null);
      await assert.rejects(sites.add(admin, 'west', { name: 'Again', zone: 'UTC' }), { code: 'ALREADY_EXISTS' });
      const entries = await db.query<{ entry: string; action: string }>(
        `select entry, action from audit_log where event = 'config.changed' order by seq`,
      );
      assert.equal(entries.rows.length, 2);
      assert.match(entries.rows[0]?.entry ?? '', /"kind":"Site"/);
      assert.match(entries.rows[0]?.entry ?? '', /"id":"west"/);
    });

    it('updates only the fields given, with a version check, and the clock follows at once', async () => {
      const updated = await sites.update(
        admin,
        'west',
        { holidays: ['2026-12-25'], businessHours: { sat: { open: '09:00', close: '12:00' } } },
        1,
      );
      assert.equal(updated.version, 2);
      assert.equal(updated.name, 'West Clinic');
      assert.deepEqual(updated.holidays, ['2026-12-25']);
      assert.deepEqual(updated.businessHours.sat, { open: '09:00', close: '12:00' });
      assert.deepEqual(updated.businessHours.fri, { open: '08:00', close: '17:00' });
      await assert.rejects(sites.update(admin, 'west', { name: 'Stale' }, 1), { code: 'VERSION_CONFLICT' });
      await assert.rejects(sites.update(admin, 'nowhere', { name: 'X' }), { code: 'NOT_FOUND' });
      await assert.rejects(sites.update(admin, 'west', { zone: 'Nowhere/Else' }), { code: 'VALIDATION_FAILED' });
      const clock = await sites.clockOf('west');
      assert.ok(clock !== undefined);
      const calendar = new BusinessCalendar(clock);
      // Friday 2026-12-18 10:00 + 1 business day: Saturday (now open), at 10:00 Pacific.
      assert.equal(
        calendar.addBusinessDays(calendar.at('2026-12-18', '10:00'), 1).toISOString(),
        '2026-12-19T18:00:00.000Z',
      );
      assert.equal(calendar.isBusinessDay('2026-12-25'), false);
    });

    it('lists configured and referenced sites together; once a site is configured, grants and break-glass refuse unknown sites', async () => {
      const list = await sites.list(admin);
      assert.deepEqual(
        list.map((s) => [s.id, s.configured]),
        [
          ['berlin', true],
          ['legacy', false],
          ['north', false],
          ['west', true],
        ],
      );
      const grant = {
        principalKind: 'service' as const,
        principalId: coordinatorId,
        role: 'front_desk' as const,
        workflow: '*',
        purposeOfUse: 'HOPERAT' as const,
      };
      await assert.rejects(
        grantAdmin.add(admin, { ...grant, site: 'east' }),
        (e: { code: string; message: string }) => {
          assert.equal(e.code, 'SITE_UNKNOWN');
          assert.match(e.message, /site east is not configured/);
          return true;
        },
      );
      const ok = await grantAdmin.add(admin, { ...grant, site: 'berlin' });
      assert.equal(ok.site, 'berlin');
      await grantAdmin.add(admin, { ...grant, site: '*' });
      await assert.rejects(breakGlass.start(coordinator.actor, { site: 'east', reason: 'patient in distress' }), {
        code: 'SITE_UNKNOWN',
      });
      // A configured site passes the site check (this service account is then refused as not eligible).
      await assert.rejects(breakGlass.start(coordinator.actor, { site: 'west', reason: 'patient in distress' }), {
        code: 'BREAK_GLASS_NOT_ELIGIBLE',
      });
    });
  });
}

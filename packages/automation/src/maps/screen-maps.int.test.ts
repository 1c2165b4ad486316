// Screen maps on both stores: a proposal validated whole (a bad map refused, naming the path),
// stored as the next version; reviewed by a second person only (four eyes), with permission;
// current = the latest approved; approving supersedes the version before and open proposals;
// the diff a reviewer reads; every change audited with its version.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newId, systemClock, type RequestContext, type Role } from '@steward/core';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import {
  AuditLog,
  BreakGlassStore,
  GrantStore,
  InMemoryMasterKeyProvider,
  KeyRing,
  PolicyDecisionPoint,
  ServiceAccountDirectory,
} from '@steward/governance';
import { exampleMap } from './example-map.js';
import { ScreenMaps } from './screen-maps.js';

const operator = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'op',
  authMethod: 'local-operator',
} as const;

for (const target of storeTargets()) {
  describe(`screen maps on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let audit: AuditLog;
    let maps: ScreenMaps;
    let as: (role: Role, site?: string) => Promise<RequestContext>;
    const conn = newId();
    const unknownConn = newId();

    before(async () => {
      db = await target.open();
      const cipher = await KeyRing.open(db, InMemoryMasterKeyProvider.random());
      audit = await AuditLog.open(db, cipher);
      const grants = new GrantStore(db, audit);
      const policy = new PolicyDecisionPoint(grants, new BreakGlassStore(db, cipher, audit), audit);
      maps = new ScreenMaps({
        db,
        policy,
        audit,
        resolveConnection: (ref) => Promise.resolve(ref === unknownConn ? undefined : ref === 'north-ehr' ? conn : ref),
      });
      const accounts = new ServiceAccountDirectory({ db, audit, clock: systemClock });
      let n = 0;
      as = async (role, site = '*') => {
        const { id } = await accounts.create(`t-${role}-${++n}`, operator);
        await grants.add(operator, {
          principalKind: 'service',
          principalId: id,
          role,
          site,
          workflow: '*',
          purposeOfUse: role === 'admin' ? 'HSYSADMIN' : 'HOPERAT',
        });
        return { actor: { kind: 'service', id, name: `t-${role}-${n}`, authMethod: 'api-token' } };
      };
    });
    after(async () => {
      await audit.close();
      await db.close();
    });

    it('refuses a bad map naming the path, and an unknown connection; stores a good one as version 1', async () => {
      const admin = await as('admin');
      const bad = { ...exampleMap(conn), banner: { region: { role: 'region', name: 'Patient' }, identifiers: [] } };
      await assert.rejects(maps.propose(admin, bad), (e: { code?: string; details?: { path?: string }[] }) => {
        assert.equal(e.code, 'VALIDATION_FAILED');
        assert.deepEqual(
          e.details?.map((d) => d.path),
          ['/banner/identifiers'],
        );
        return true;
      });
      await assert.rejects(maps.propose(admin, exampleMap(unknownConn)), { code: 'NOT_FOUND' });
      const v1 = await maps.propose(admin, { ...exampleMap(conn), version: 42 }, 'first recording');
      assert.equal(v1.version, 1);
      assert.equal(v1.status, 'proposed');
      assert.equal(v1.basedOn, null);
      assert.deepEqual(v1.counts, { screens: 4, forms: 1, fields: 4 });
      assert.equal((await maps.show(admin, conn, 'north', 1)).map.version, 1);
      // A connection named by its name is stored (and found) under its id.
      const byName = await maps.propose(admin, { ...exampleMap(conn), connectionId: 'north-ehr' });
      assert.deepEqual([byName.connectionId, byName.version], [conn, 2]);
      assert.equal((await maps.show(admin, 'north-ehr', 'north', 2)).map.connectionId, conn);
      assert.equal(await maps.current(conn, 'north'), undefined, 'nothing approved yet');
    });

    it('is reviewed by a different person with permission; current is the latest approved', async () => {
      const proposer = await as('admin');
      const other = await as('admin');
      const compliance = await as('compliance_officer');
      const coordinator = await as('coordinator');
      const site = 'east';
      await assert.rejects(maps.propose(coordinator, exampleMap(conn, site)), { code: 'FORBIDDEN' });
      await assert.rejects(maps.propose(compliance, exampleMap(conn, site)), { code: 'FORBIDDEN' });
      const v1 = await maps.propose(proposer, exampleMap(conn, site));
      await assert.rejects(maps.review(proposer, conn, site, v1.version, 'approve'), { code: 'FORBIDDEN' });
      await assert.rejects(maps.review(coordinator, conn, site, v1.version, 'approve'), { code: 'FORBIDDEN' });
      await assert.rejects(maps.review(other, conn, site, v1.version, 'reject', ' '), { code: 'VALIDATION_FAILED' });
      const approved = await maps.review(other, conn, site, v1.version, 'approve');
      assert.equal(approved.status, 'approved');
      assert.equal(approved.reviewedBy, other.actor.id);
      assert.equal((await maps.current(conn, site))?.version, 1);
      await assert.rejects(maps.review(compliance, conn, site, v1.version, 'approve'), { code: 'VERSION_CONFLICT' });

      // Two proposals on version 1: the compliance officer approves the second; the first is superseded.
      const renamed = structuredClone(exampleMap(conn, site)) as unknown as {
        forms: { templates: { fields: { label: string }[] }[] }[];
      };
      renamed.forms[0]!.templates[0]!.fields[0]!.label = 'Reason';
      const v2 = await maps.propose(proposer, exampleMap(conn, site), 'unchanged');
      const v3 = await maps.propose(other, renamed, 'field renamed at this clinic');
      assert.equal(v3.basedOn, 1);
      const d = await maps.diff(compliance, conn, site, v3.version);
      assert.equal(d.from, 1);
      assert.deepEqual(
        d.changes.map((c) => [c.change, c.path, c.before, c.after]),
        [['changed', '/forms/task/templates/default/fields/description/label', 'Reason for task', 'Reason']],
      );
      await assert.rejects(
        maps.review(other, conn, site, v3.version, 'approve'),
        { code: 'FORBIDDEN' },
        'own proposal',
      );
      await maps.review(compliance, conn, site, v3.version, 'approve', 'checked against the clinic');
      const current = await maps.current(conn, site);
      assert.equal(current?.version, 3);
      assert.equal(current?.forms[0]?.templates[0]?.fields[0]?.label, 'Reason');
      const history = await maps.history(proposer, conn, site);
      assert.deepEqual(
        history.map((h) => [h.version, h.status, h.supersededBy]),
        [
          [3, 'approved', null],
          [2, 'superseded', 3],
          [1, 'superseded', 3],
        ],
      );
      await assert.rejects(maps.review(compliance, conn, site, v2.version, 'approve'), { code: 'VERSION_CONFLICT' });

      // A rejection keeps its reason; current stays.
      const v4 = await maps.propose(proposer, exampleMap(conn, site));
      const rejected = await maps.review(compliance, conn, site, v4.version, 'reject', 'drops the clinic’s label');
      assert.equal(rejected.reason, 'drops the clinic’s label');
      assert.equal((await maps.current(conn, site))?.version, 3);

      // Lists: the latest version of each connection and site with the approved number.
      const listed = (await maps.list(compliance)).find((l) => l.site === site);
      assert.deepEqual([listed?.version, listed?.status, listed?.approvedVersion], [4, 'rejected', 3]);
      await assert.rejects(maps.list(coordinator), { code: 'FORBIDDEN' });
      await assert.rejects(maps.history(coordinator, conn, site), { code: 'FORBIDDEN' });

      // Audited: each proposal, review and supersession with its version; the own-review refusal too.
      const { rows } = await db.query<{ event: string; outcome: string; entry: string }>(
        `select event, outcome, entry from audit_log where entry like $1 order by seq`,
        [`%${conn}/${site}%`],
      );
      const reasons = rows.map((r) => {
        const e = JSON.parse(r.entry) as { entity: { version: number }; reason: string };
        return `${r.event} ${r.outcome} v${e.entity.version} ${e.reason.split(':')[0]}`;
      });
      assert.deepEqual(reasons, [
        'config.changed success v1 screen_map_proposed',
        'access.denied denied v1 own_proposal',
        'config.changed success v1 screen_map_approved',
        'config.changed success v2 screen_map_proposed',
        'config.changed success v3 screen_map_proposed',
        'access.denied denied v3 own_proposal',
        'config.changed success v3 screen_map_approved',
        'config.changed success v2 screen_map_superseded_by',
        'config.changed success v1 screen_map_superseded_by',
        'config.changed success v4 screen_map_proposed',
        'config.changed success v4 screen_map_rejected',
      ]);
      assert.match(rows[0]!.entry, new RegExp(`screen_map_proposed:${v1.hash}`));
    });

    it('scopes proposing and reviewing to the grant’s site', async () => {
      const westAdmin = await as('admin', 'west');
      await assert.rejects(maps.propose(westAdmin, exampleMap(conn, 'north')), { code: 'FORBIDDEN' });
      const v = await maps.propose(westAdmin, exampleMap(conn, 'west'));
      assert.equal(v.version, 1);
      assert.deepEqual(
        (await maps.list(westAdmin)).map((l) => l.site),
        ['west'],
      );
    });
  });
}

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import type { RequestContext } from '@steward/core';
import { AuditLog } from '../audit/audit-log.js';
import { KeyRing } from '../crypto/key-ring.js';
import { InMemoryMasterKeyProvider } from '../crypto/master-key.js';
import { GrantStore } from '../policy/grants.js';
import { BreakGlassStore } from '../policy/break-glass.js';
import { PolicyDecisionPoint } from '../policy/decision-point.js';
import { RecordStore } from './record-store.js';

const bootstrap = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'test',
  authMethod: 'local-operator',
} as const;

for (const target of storeTargets()) {
  describe(`governed record store on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let audit: AuditLog;
    let records: RecordStore;
    let ctx: RequestContext;

    before(async () => {
      db = await target.open();
      const cipher = await KeyRing.open(db, InMemoryMasterKeyProvider.random());
      audit = await AuditLog.open(db, cipher);
      const grants = new GrantStore(db, audit);
      const policy = new PolicyDecisionPoint(grants, new BreakGlassStore(db, cipher, audit), audit);
      records = new RecordStore(db, cipher, policy, audit);
      const id = '8a3c1d2e-4b5f-4a6b-8c7d-9e0f1a2b3c4d';
      await db.query(`insert into service_accounts (id, name) values ($1, 'worker')`, [id]);
      await grants.add(bootstrap, {
        principalKind: 'service',
        principalId: id,
        role: 'coordinator',
        site: 'north',
        workflow: '*',
        purposeOfUse: 'TREAT',
      });
      ctx = { actor: { kind: 'service', id, name: 'worker', authMethod: 'api-token' } };
    });
    after(async () => {
      await audit.close();
      await db.close();
    });

    it('creates, reads, updates and finds by blind index, auditing each step', async () => {
      const r = await records.create(ctx, {
        kind: 'Patient',
        site: 'north',
        data: { family: 'Doe' },
        lookup: { identifier: ['sys|A1'] },
      });
      assert.equal(r.patientId, r.id);
      assert.deepEqual((await records.read(ctx, 'Patient', r.id)).data, { family: 'Doe' });
      const u = await records.update(ctx, 'Patient', r.id, 1, { family: 'Roe' }, { identifier: ['sys|B2'] });
      assert.equal(u.version, 2);
      assert.equal((await records.find(ctx, 'Patient', 'identifier', 'sys|B2')).length, 1);
      assert.equal(
        (await records.find(ctx, 'Patient', 'identifier', 'sys|A1')).length,
        0,
        'the old lookup value is gone',
      );
      await audit.flush();
      const events = (
        await db.query<{ event: string }>(`select event from audit_log where $1 = any(patient_ids) order by seq`, [
          r.id,
        ])
      ).rows.map((x) => x.event);
      assert.deepEqual(events, ['phi.create', 'phi.read', 'phi.update', 'phi.search']);
    });

    it('refuses a stale version and leaves the record as it was', async () => {
      const r = await records.create(ctx, { kind: 'Patient', site: 'north', data: { n: 1 } });
      await records.update(ctx, 'Patient', r.id, 1, { n: 2 });
      await assert.rejects(records.update(ctx, 'Patient', r.id, 1, { n: 3 }), { code: 'VERSION_CONFLICT' });
      assert.deepEqual((await records.read(ctx, 'Patient', r.id)).data, { n: 2 });
    });

    it('fails closed: when the audit cannot be written, nothing is written or returned', async () => {
      const r = await records.create(ctx, { kind: 'Patient', site: 'north', data: { n: 1 } });
      const before = (await db.query('select count(*)::int as n from records')).rows[0];
      await audit.close();
      await assert.rejects(records.create(ctx, { kind: 'Patient', site: 'north', data: { n: 2 } }), {
        code: 'AUDIT_UNAVAILABLE',
      });
      await assert.rejects(records.read(ctx, 'Patient', r.id), { code: 'AUDIT_UNAVAILABLE' });
      assert.deepEqual((await db.query('select count(*)::int as n from records')).rows[0], before);
    });
  });
}

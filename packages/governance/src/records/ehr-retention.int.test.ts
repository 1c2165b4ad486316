import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import type { Clock, EhrEventInput, InboundMessage, RequestContext } from '@steward/core';
import { AuditLog } from '../audit/audit-log.js';
import { verifyAuditLog } from '../audit/verify.js';
import { KeyRing } from '../crypto/key-ring.js';
import { InMemoryMasterKeyProvider } from '../crypto/master-key.js';
import { GrantStore } from '../policy/grants.js';
import { BreakGlassStore } from '../policy/break-glass.js';
import { PolicyDecisionPoint } from '../policy/decision-point.js';
import { EhrJournal } from './ehr-journal.js';
import { EhrJournalRetention } from './ehr-retention.js';
import { LegalHolds, RetentionPolicies, RetentionPurge } from '../retention/index.js';

const bootstrap = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'test',
  authMethod: 'local-operator',
} as const;
const connectionId = '5d0c7f4e-2a8b-4c1d-9e3f-6a7b8c9d0e1f';
const ids = {
  iface: '1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d',
  officer: '3c4d5e6f-7081-4c9d-8e0f-2a3b4c5d6e7f',
  coord: '4d5e6f70-8192-4dae-9f10-3b4c5d6e7f80',
};
const DAY = 86_400_000;
const now = new Date('2026-12-06T12:00:00Z');
const clockAt = (at: Date): Clock => ({ now: () => new Date(at) });
const ctx = (id: string, name: string): RequestContext => ({
  actor: { kind: 'service', id, name, authMethod: 'api-token' },
});
const officer = ctx(ids.officer, 'officer');
const coord = ctx(ids.coord, 'coord');
const iface = { actor: { kind: 'service', id: ids.iface, name: 'hl7-north', authMethod: 'api-token' } } as const;

function message(key: string, receivedAt: Date): InboundMessage {
  return { connectionId, channel: 'hl7v2', messageKey: key, raw: `MSH|${key}`, messageType: 'SIU^S12', receivedAt };
}
function event(key: string, mrn: string): EhrEventInput {
  return {
    type: 'appointment.booked',
    connectionId,
    channel: 'hl7v2',
    dedupKey: `hl7:${key}`,
    occurredAt: '2026-03-08T09:30:00-04:00',
    patient: { identifiers: [{ system: 'urn:mrn', value: mrn }] },
    facts: { kind: 'Appointment', identifiers: [], status: 'booked', participants: [], basedOn: [] },
    sourceRef: 'SIU^S12',
  };
}

for (const target of storeTargets()) {
  describe(`retention policies, legal holds and the purge on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let audit: AuditLog;
    let policies: RetentionPolicies;
    let holds: LegalHolds;
    let purge: RetentionPurge;
    let routed = 0;
    let file: (key: string, mrn: string, daysAgo: number) => Promise<void>;
    let deadLetter: (key: string, daysAgo: number) => Promise<void>;
    let patientHold = '';

    before(async () => {
      db = await target.open();
      const cipher = await KeyRing.open(db, InMemoryMasterKeyProvider.random());
      audit = await AuditLog.open(db, cipher);
      const grants = new GrantStore(db, audit);
      const policy = new PolicyDecisionPoint(grants, new BreakGlassStore(db, cipher, audit), audit);
      await db.query(
        `insert into service_accounts (id, name) values ($1, 'hl7-north'), ($2, 'officer'), ($3, 'coord')`,
        [ids.iface, ids.officer, ids.coord],
      );
      await db.query(
        `insert into ehr_connections (id, name, site, vendor, facility_time_zone, created_at, updated_at)
         values ($1, 'north-adt', 'north', 'generic-r4', 'America/New_York', now(), now())`,
        [connectionId],
      );
      await grants.add(bootstrap, {
        principalKind: 'service',
        principalId: ids.iface,
        role: 'integration',
        site: 'north',
        workflow: '*',
        purposeOfUse: 'HOPERAT',
      });
      await grants.add(bootstrap, {
        principalKind: 'service',
        principalId: ids.iface,
        role: 'integration',
        site: '*',
        workflow: '*',
        purposeOfUse: 'HOPERAT',
      });
      await grants.add(bootstrap, {
        principalKind: 'service',
        principalId: ids.officer,
        role: 'compliance_officer',
        site: '*',
        workflow: '*',
        purposeOfUse: 'HCOMPL',
      });
      await grants.add(bootstrap, {
        principalKind: 'service',
        principalId: ids.coord,
        role: 'coordinator',
        site: 'north',
        workflow: '*',
        purposeOfUse: 'TREAT',
      });
      const deps = { db, policy, audit, clock: clockAt(now) };
      policies = new RetentionPolicies(deps);
      holds = new LegalHolds({ ...deps, cipher });
      const journal = new EhrJournalRetention(cipher, {
        routedThrough: () => Promise.resolve(new Map([[connectionId, routed]])),
      });
      purge = new RetentionPurge(deps, policies, holds, [journal]);
      file = async (key, mrn, daysAgo) => {
        const at = new Date(now.getTime() - daysAgo * DAY);
        const j = new EhrJournal(db, cipher, policy, audit, clockAt(at));
        const r = await j.receive(iface, { id: connectionId, site: 'north' }, message(key, at), [event(key, mrn)]);
        assert.equal(r.status, 'stored');
        if (r.status === 'stored') routed = Math.max(routed, ...r.events.map((e) => e.seq));
      };
      deadLetter = async (key, daysAgo) => {
        const at = new Date(now.getTime() - daysAgo * DAY);
        const j = new EhrJournal(db, cipher, policy, audit, clockAt(at));
        const r = await j.deadLetter(iface, { id: connectionId, site: 'north' }, message(key, at), 'unparseable');
        assert.equal(r.status, 'dead-letter');
      };
    });
    after(async () => {
      await audit.close();
      await db.close();
    });

    const count = async (table: string): Promise<number> =>
      Number((await db.query<{ n: string }>(`select count(*) as n from ${table}`)).rows[0]?.n);

    it('keeps everything but the audit log without a policy; the audit log defaults to six years', async () => {
      await file('OLD-FREE', 'MRN-1', 400);
      const report = await purge.run(iface);
      assert.deepEqual(
        report.kinds.map((k) => [k.kind, k.outcome]),
        [
          ['ehr-messages', 'no-policy'],
          ['message-bodies', 'no-policy'],
          ['contact-notes', 'no-policy'],
          ['exports', 'no-policy'],
          ['screenshots', 'no-policy'],
          ['run-artefacts', 'no-policy'],
          ['event-dead-letters', 'no-policy'],
          ['events-out', 'no-policy'],
          ['intake-documents', 'no-policy'],
          ['audit-log', 'never-purged'],
        ],
      );
      assert.equal(report.kinds.find((k) => k.kind === 'audit-log')?.periodDays, 2192);
      assert.equal(await count('ehr_events'), 1);
    });

    it('versions policies set by a compliance officer, audited; refuses others, stale versions and a short audit period', async () => {
      await assert.rejects(policies.set(coord, 'ehr-messages', 365), { code: 'FORBIDDEN' });
      const v1 = await policies.set(officer, 'ehr-messages', 365);
      const v2 = await policies.set(officer, 'ehr-messages', 180, 1);
      assert.deepEqual([v1.version, v2.version, v2.periodDays], [1, 2, 180]);
      await assert.rejects(policies.set(officer, 'ehr-messages', 90, 1), { code: 'VERSION_CONFLICT' });
      await assert.rejects(policies.set(officer, 'audit-log', 365), { code: 'VALIDATION_FAILED' });
      await assert.rejects(policies.set(officer, 'nonsense', 365), { code: 'VALIDATION_FAILED' });
      assert.equal((await policies.set(officer, 'audit-log', 3000)).periodDays, 3000);
      assert.deepEqual(
        (await policies.history(officer, 'ehr-messages')).map((p) => p.periodDays),
        [180, 365],
      );
      await audit.flush();
      const { rows } = await db.query<{ entry: string }>(
        `select entry from audit_log where event = 'retention.policy_changed' order by seq`,
      );
      assert.equal(rows.length, 3);
      assert.match(rows[0]!.entry, /days:365/);
    });

    it('deletes expired, routed rows; keeps held patients, unrouted and recent ones; one audit entry with counts', async () => {
      await file('OLD-HELD', 'MRN-HELD', 300);
      await file('NEW', 'MRN-2', 10);
      await file('OLD-UNROUTED', 'MRN-3', 250);
      routed -= 1; // the router has not read the last one yet
      await deadLetter('OLD-DEAD', 300);
      patientHold = (
        await holds.place(officer, {
          scope: 'patient',
          patient: { identifiers: [{ system: 'urn:mrn', value: 'MRN-HELD' }] },
          reason: 'litigation notice',
        })
      ).id;
      await assert.rejects(purge.run(coord), { code: 'FORBIDDEN' });
      const report = await purge.run(iface);
      const ehr = report.kinds.find((k) => k.kind === 'ehr-messages');
      // One event and its message deleted; the held patient's event kept (counted).
      assert.deepEqual([ehr?.outcome, ehr?.deleted, ehr?.kept], ['purged', 2, 1]);
      assert.equal(await count('ehr_events'), 3);
      assert.equal(await count('ehr_inbound'), 4, 'the dead letter is kept while a patient hold is active');
      await audit.flush();
      const { rows } = await db.query<{ entry: string }>(
        `select entry from audit_log where event = 'retention.purged'`,
      );
      assert.equal(rows.length, 1);
      assert.match(rows[0]!.entry, /deleted:2 kept:1/);
      assert.ok(!rows[0]!.entry.includes('MRN'), 'no identifier in the audit entry');
      const verified = await verifyAuditLog(db);
      assert.equal(verified.ok, true, 'purging rows leaves the audit chain intact');
    });

    it('suspends every purge while a case hold is active, saying so, and resumes when it is released', async () => {
      const hold = await holds.place(officer, { scope: 'case', caseRef: 'CASE-2026-7', reason: 'subpoena' });
      routed += 1;
      const held = await purge.run(iface);
      assert.equal(held.kinds.find((k) => k.kind === 'ehr-messages')?.outcome, 'suspended');
      assert.equal(await count('ehr_events'), 3);
      await audit.flush();
      const suspended = await db.query<{ outcome: string }>(
        `select outcome from audit_log where event = 'retention.purged' order by seq desc limit 1`,
      );
      assert.equal(suspended.rows[0]?.outcome, 'failure');
      await holds.release(officer, hold.id);
      await assert.rejects(holds.release(officer, hold.id), { code: 'VERSION_CONFLICT' });
      const resumed = await purge.run(iface);
      assert.equal(resumed.kinds.find((k) => k.kind === 'ehr-messages')?.deleted, 2);
      assert.equal(await count('ehr_events'), 2, 'the held patient and the recent one remain');
      const listed = await holds.list(officer);
      assert.deepEqual(
        listed.map((h) => [h.scope, h.releasedAt === undefined]),
        [
          ['patient', true],
          ['case', false],
        ],
      );
      // Released, the held patient's event, its message and the dead letter go too.
      await holds.release(officer, patientHold);
      const last = await purge.run(iface);
      assert.deepEqual(
        [
          last.kinds.find((k) => k.kind === 'ehr-messages')?.deleted,
          await count('ehr_events'),
          await count('ehr_inbound'),
        ],
        [3, 1, 1],
      );
    });
  });
}

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ForbiddenError, ManualClock, type RequestContext } from '@steward/core';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import type { AuditEvent as FhirAuditEvent } from '@medplum/fhirtypes';
import { KeyRing } from '../crypto/key-ring.js';
import { AuditLog } from './audit-log.js';
import { AuditService, type AuditAccessPolicy } from './audit-service.js';
import { queryAudit } from './query.js';
import { sampleEntry, PATIENTS } from './test-fixtures.js';

const cipher = KeyRing.inMemory();
const [P1, P2] = PATIENTS as readonly [string, string];

/** The policy port as the decision point answers it: allowed by a fixed list, FORBIDDEN otherwise. */
class ListedPolicy implements AuditAccessPolicy {
  readonly asked: string[] = [];
  constructor(private readonly allowed: Record<string, readonly string[]>) {}
  enforce(ctx: RequestContext, action: string): Promise<void> {
    this.asked.push(`${ctx.actor.id}:${action}`);
    if (!(this.allowed[ctx.actor.id] ?? []).includes(action))
      return Promise.reject(new ForbiddenError(`not permitted to ${action}`));
    return Promise.resolve();
  }
}

const ctxOf = (id: string): RequestContext => ({
  actor: { kind: 'user', id, name: id, authMethod: 'password+totp' },
  sourceAddress: '10.0.0.9',
  requestId: `req-${id}`,
});
const officer = ctxOf('officer');
const clerk = ctxOf('clerk');

for (const target of storeTargets()) {
  describe(`AuditService on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let log: AuditLog;
    let service: AuditService;
    let policy: ListedPolicy;
    const clock = new ManualClock('2026-03-01T09:00:00Z');
    const entriesOf = async (actorId: string, event: string) =>
      (await queryAudit(db, cipher, { actorId, events: [event as 'audit.queried'] })).entries;

    before(async () => {
      db = await target.open();
      log = await AuditLog.open(db, cipher, { clock });
      await log.append(sampleEntry(0, { patientIds: [P1] }));
      await log.append(sampleEntry(1, { patientIds: [P2] }));
      await log.append(sampleEntry(2, { patientIds: [P1, P2], event: 'phi.search' }));
      await log.flush();
      policy = new ListedPolicy({ officer: ['audit.read', 'audit.verify', 'audit.export'] });
      service = new AuditService({ db, cipher, audit: log, policy, clock });
    });
    after(async () => {
      await log?.close();
      await db?.close();
    });

    it("answers a search for a patient's trail, pages it, and audits each search as asked", async () => {
      const first = await service.query(officer, { patient: P1, limit: '1' });
      assert.deepEqual(
        first.items.map((e) => e.patientIds),
        [[P1]],
      );
      assert.equal(first.next, first.items[0]?.seq);
      const second = await service.query(officer, { patient: P1, limit: '1', after: String(first.next) });
      assert.deepEqual(
        second.items.map((e) => e.patientIds),
        [[P1, P2]],
      );
      const searches = await entriesOf('officer', 'audit.queried');
      assert.equal(searches.length, 2);
      assert.deepEqual(searches[1]?.patientIds, [P1]);
      assert.deepEqual(searches[1]?.query, { patient: P1, limit: '1', after: String(first.next) });
      assert.equal(searches[1]?.action, 'R');
    });

    it('filters by event codes (a list, repeats ignored)', async () => {
      const page = await service.query(officer, { event: 'phi.search,phi.search' });
      assert.deepEqual(
        page.items.map((e) => e.event),
        ['phi.search'],
      );
    });

    it('refuses without the permission: no read, no audit entry of a read', async () => {
      const before = (await entriesOf('clerk', 'audit.queried')).length;
      await assert.rejects(service.query(clerk, { patient: P1 }), ForbiddenError);
      await assert.rejects(service.eventCodes(clerk), ForbiddenError);
      await assert.rejects(service.verify(clerk), ForbiddenError);
      await assert.rejects(service.export(clerk, {}), ForbiddenError);
      assert.deepEqual(
        policy.asked.filter((a) => a.startsWith('clerk:')),
        ['clerk:audit.read', 'clerk:audit.read', 'clerk:audit.verify', 'clerk:audit.export'],
      );
      assert.equal((await entriesOf('clerk', 'audit.queried')).length, before);
      assert.equal((await entriesOf('clerk', 'audit.exported')).length, 0);
      assert.equal((await entriesOf('clerk', 'audit.verified')).length, 0);
    });

    it('lists the event codes to those who may search', async () => {
      const { codes } = await service.eventCodes(officer);
      assert.ok(codes.includes('phi.read') && codes.includes('audit.exported'));
    });

    it('verifies the chain to its head, says when that entry was written, and audits the run', async () => {
      clock.advance(60_000);
      const result = await service.verify(officer);
      assert.equal(result.ok, true);
      assert.ok(result.ok);
      assert.equal(result.verifiedTo.seq, result.headSeq);
      const [head] = (await queryAudit(db, cipher, { after: result.headSeq - 1 })).entries;
      assert.equal(result.verifiedTo.at, head?.at);
      assert.equal(result.checkedAt, clock.now().toISOString());
      const [run] = (await entriesOf('officer', 'audit.verified')).slice(-1);
      assert.equal(run?.outcome, 'success');
      assert.equal(run?.reason, `verified-to:${result.headSeq}`);
    });

    it("exports one patient's AuditEvents as NDJSON, audited before the first line", async () => {
      const lines = await service.export(officer, { patient: P2 });
      // On record before anything is read: an export cut off midway still shows.
      const [exported] = (await entriesOf('officer', 'audit.exported')).slice(-1);
      assert.deepEqual(exported?.patientIds, [P2]);
      assert.deepEqual(exported?.query, { patient: P2 });
      assert.deepEqual(exported?.source, { address: '10.0.0.9', requestId: 'req-officer' });
      assert.equal(exported?.reason, 'fhir-ndjson');

      const sent: string[] = [];
      let next = await lines.next();
      while (next.done !== true) {
        sent.push(next.value);
        next = await lines.next();
      }
      assert.ok(sent.every((l) => l.endsWith('\n')));
      const events = sent.map((l) => JSON.parse(l) as FhirAuditEvent);
      // Entries 1 and 2 touched P2, and so did the export's own entry; each is exported for P2 only.
      assert.equal(events.length, 3);
      for (const event of events) {
        assert.equal(event.resourceType, 'AuditEvent');
        assert.ok(event.entity?.some((e) => e.what?.reference === `Patient/${P2}`));
        assert.ok(!event.entity?.some((e) => e.what?.reference === `Patient/${P1}`));
      }
      assert.deepEqual(next.value, { entries: 3, events: 3 });
    });
  });
}

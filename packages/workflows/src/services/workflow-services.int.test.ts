import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { systemClock, type Actor, type RequestContext, type Role } from '@steward/core';
import {
  AuditLog,
  BreakGlassStore,
  GrantStore,
  InMemoryMasterKeyProvider,
  KeyRing,
  PolicyDecisionPoint,
  ServiceAccountDirectory,
  queryAudit,
  type AuditRecord,
} from '@steward/governance';
import { DirectoryService } from '@steward/clinic';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import { CONN, followupRig } from '../followups/test-kit.js';
import { referralKit, serviceRequest } from '../referrals/referral-test-kit.js';
import { FollowupService, type FollowupThreads } from './followup-service.js';
import { ReferralService } from './referral-service.js';

const bootstrap: Actor = {
  kind: 'service',
  id: '00000000-0000-4000-8000-000000000000',
  name: 'operator',
  authMethod: 'local-operator',
};
const UNKNOWN = '22222222-2222-4222-8222-222222222222';

/** Each method decides, reads and audits: what the /referrals and /followups routes answer with. */
for (const target of storeTargets()) {
  describe(`the workflow services on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let cipher: KeyRing;
    let audit: AuditLog;
    let policy: PolicyDecisionPoint;
    let accounts: ServiceAccountDirectory;
    let grants: GrantStore;
    const threads: { site: string; correlationKey: string; bodies?: boolean }[] = [];
    const outbox: FollowupThreads = {
      thread: (_ctx, o) => {
        threads.push(o);
        return Promise.resolve([
          {
            id: 'm1',
            channel: 'sms',
            status: 'sent',
            proposalId: null,
            notBefore: '2026-03-03T15:00:00.000Z',
            createdAt: '2026-03-03T15:00:00.000Z',
            template: 'appointment-reminder',
            language: 'en',
            ...(o.bodies === true ? { body: 'text' } : {}),
          },
        ]);
      },
    };

    /** A front-desk caller (phi.read, phi.search) at `site`, or another role. */
    const caller = async (name: string, site: string, role: Role = 'front_desk'): Promise<RequestContext> => {
      const a = await accounts.create(name, bootstrap);
      await grants.add(bootstrap, {
        principalKind: 'service',
        principalId: a.id,
        role,
        site,
        workflow: '*',
        purposeOfUse: 'TREAT',
      });
      return { actor: { kind: 'service', id: a.id, name, authMethod: 'local-operator' } };
    };
    const entriesOf = async (ctx: RequestContext): Promise<AuditRecord[]> =>
      (await queryAudit(db, cipher, {})).entries.filter((e) => e.actor.id === ctx.actor.id);

    before(async () => {
      db = await target.open();
      cipher = await KeyRing.open(db, InMemoryMasterKeyProvider.random());
      audit = await AuditLog.open(db, cipher);
      grants = new GrantStore(db, audit);
      accounts = new ServiceAccountDirectory({ db, audit, clock: systemClock });
      policy = new PolicyDecisionPoint(grants, new BreakGlassStore(db, cipher, audit), audit);
    });
    after(async () => {
      await audit.close();
      await db.close();
    });

    it('lists follow-ups and their figures under phi.search at the site, audited with the query', async () => {
      const rig = await followupRig(db, '2026-02-02T15:00:00Z');
      // rc1's order names who asked for it (the owner, named by the directory); rc2's names nobody.
      rig.journal.recheck('rc1', { start: '2026-03-20' }, 'active', {
        kind: 'Practitioner',
        ehrId: 'doc1',
        identifiers: [],
      });
      rig.journal.recheck('rc2', { start: '2026-03-12' });
      await rig.settle();
      const directory = new DirectoryService({ db, policy, audit });
      const learner = await caller('fu-learner', '*', 'automation');
      await directory.learn(learner, CONN, [
        { kind: 'Practitioner', ehrId: 'doc1', identifiers: [], name: 'Dr Ada Heart', source: 'fhir' },
      ]);
      const service = new FollowupService({ db, policy, audit, clock: rig.clock, outbox, directory });
      const ctx = await caller('fu-reader', 'north');
      // The work-queue order: the one to book sooner first, whatever was ordered first.
      const all = await service.list(ctx, { site: 'north' });
      assert.deepEqual(
        all.items.map((i) => i.orderRef),
        ['ServiceRequest/rc2', 'ServiceRequest/rc1'],
      );
      assert.deepEqual(
        all.items.map((i) => [i.owner?.name, i.owner?.reference, i.owner?.status]),
        [
          [undefined, undefined, undefined],
          ['Dr Ada Heart', 'Practitioner/doc1', 'resolved'],
        ],
        "the order's requester, named; none recorded for an order that named nobody",
      );

      const page = await service.list(ctx, { site: 'north', overdue: false, limit: 1 });
      assert.equal(page.items.length, 1);
      assert.equal(page.next, page.items[0]?.id, 'a full page says where the next starts');
      const rest = await service.list(ctx, { site: 'north', after: page.next ?? '' });
      assert.equal(rest.items.length, 1);
      assert.equal(rest.next, undefined);
      assert.deepEqual(
        [...page.items, ...rest.items].map((i) => i.orderRef),
        ['ServiceRequest/rc2', 'ServiceRequest/rc1'],
        'the next page starts after the last one shown',
      );
      const figures = await service.figures(ctx, { site: 'north', since: '2026-01-01' });
      assert.equal(figures.total, 2);

      const searches = (await entriesOf(ctx)).filter((e) => e.event === 'phi.search');
      assert.deepEqual(
        searches.map((e) => [e.entity?.kind, e.site, e.query]),
        [
          ['Followup', 'north', { site: 'north' }],
          ['Followup', 'north', { site: 'north', overdue: 'false', limit: '1' }],
          ['Followup', 'north', { site: 'north', after: page.next }],
          ['FollowupReport', 'north', { site: 'north', since: '2026-01-01' }],
        ],
      );
      await assert.rejects(service.list(ctx, { site: 'south' }), { code: 'FORBIDDEN' });
      await assert.rejects(service.figures(ctx, { site: 'south' }), { code: 'FORBIDDEN' });
      const unnamed = new FollowupService({ db, policy, audit, clock: rig.clock, outbox });
      assert.deepEqual(
        (await unnamed.list(ctx, { site: 'north' })).items[1]?.owner,
        {
          kind: 'Practitioner',
          reference: 'Practitioner/doc1',
          status: 'unresolved',
          entryId: null,
          name: null,
          service: null,
          organization: null,
          network: null,
        },
        'without a directory the owner stays its reference, unresolved',
      );
    });

    it("reads one follow-up's timeline under phi.read at its site, and answers not-found out of scope", async () => {
      const rig = await followupRig(db, '2026-02-02T15:00:00Z');
      rig.journal.recheck('rc1', { start: '2026-03-10' });
      await rig.settle();
      rig.journal.appointment('a1', 'booked', '2026-03-10T14:00:00-04:00', ['ServiceRequest/rc1']);
      await rig.settle();
      const service = new FollowupService({ db, policy, audit, clock: rig.clock, outbox });
      const ctx = await caller('fu-timeline', 'north');
      const [item] = (await service.list(ctx, { site: 'north' })).items;
      assert.ok(item);

      threads.length = 0;
      const t = await service.timeline(ctx, item.id, { bodies: true });
      assert.equal(t.followup.id, item.id);
      assert.equal(t.followup.owner, null, 'an order that named nobody: no owner recorded');
      assert.equal(t.asOf, rig.clock.now().toISOString());
      assert.deepEqual(
        t.history.map((h) => [h.input, h.name, h.resource]),
        [
          ['start', 'start', 'ServiceRequest/rc1'],
          ['effect', 'proposal.draft', null],
          ['signal', 'appointment', 'Appointment/a1'],
        ],
      );
      assert.equal(t.history[1]?.status, 'pending_review', "the effect's outcome as reported");
      assert.equal(t.history[1]?.proposalId, t.proposals[0]?.proposalId);
      assert.deepEqual(
        t.reminders.map((r) => r.offsetDays),
        [7, 1],
      );
      assert.deepEqual(threads, [{ site: 'north', correlationKey: item.correlationKey, bodies: true }]);
      assert.equal(t.messages[0]?.body, 'text');
      const reads = (await entriesOf(ctx)).filter((e) => e.event === 'phi.read');
      assert.deepEqual(
        reads.map((e) => [e.entity, e.site, e.fields]),
        [[{ kind: 'Followup', id: item.id }, 'north', ['history', 'reminders', 'replies', 'messages']]],
      );

      const elsewhere = await caller('fu-south', 'south');
      await assert.rejects(service.timeline(elsewhere, item.id), { code: 'NOT_FOUND' });
      await assert.rejects(service.timeline(ctx, UNKNOWN), { code: 'NOT_FOUND' });
      assert.equal((await entriesOf(elsewhere)).filter((e) => e.event === 'phi.read').length, 0);
    });

    it("reads one referral's stages and history under phi.search at its site, audited as a read", async () => {
      const k = await referralKit(db);
      await k.save(serviceRequest('sr1'));
      const service = new ReferralService({ db, policy, audit });
      const ctx = await caller('ref-reader', 'north');
      const page = await service.list(ctx, { site: 'north' });
      const [item] = page.items;
      assert.ok(item);
      assert.equal(item.serviceRequest, 'ServiceRequest/sr1');
      assert.equal((await service.figures(ctx, { site: 'north' })).total, 1);

      const d = await service.detail(ctx, item.workflowId);
      assert.equal(d.workflowId, item.workflowId);
      assert.deepEqual(d.stages[0], {
        stage: 'sent',
        at: d.stages[0]?.at,
        change: 'entered',
        eventId: d.history[0]?.eventId,
        eventType: 'referral.created',
        resource: 'ServiceRequest/sr1',
      });
      assert.equal(d.history[0]?.input, 'start');
      const reads = (await entriesOf(ctx)).filter((e) => e.event === 'phi.read');
      assert.deepEqual(
        reads.map((e) => [e.entity, e.site, e.fields]),
        [[{ kind: 'Referral', id: item.workflowId }, 'north', ['stages', 'history', 'proposals']]],
      );

      const elsewhere = await caller('ref-south', 'south');
      await assert.rejects(service.detail(elsewhere, item.workflowId), { code: 'NOT_FOUND' });
      await assert.rejects(service.detail(ctx, UNKNOWN), { code: 'NOT_FOUND' });
      await assert.rejects(service.list(ctx, {}), { code: 'FORBIDDEN' }, 'without a site, only every-site grants pass');
    });
  });
}

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storeTargets, type StoreTarget, type TestDatabase } from '@steward/store/testing';
import type { ReferralState } from './referral-model.js';
import { listReferrals, referralFigures } from './referral-queries.js';
import { handoffMoved, type RaiseRequest } from '../handoffs/handoff-effects.js';
import { HANDOFF_TASK_SYSTEM } from './referral-workflow.js';
import { referralLetter } from './referral-model.js';
import {
  appointment,
  CONN,
  consultNote,
  DAY,
  encounter,
  HOUR,
  referralKit,
  referralTask,
  serviceRequest,
  uuidOf,
} from './referral-test-kit.js';

function sharedStore(target: StoreTarget): (fn: (db: TestDatabase) => Promise<void>) => Promise<void> {
  let db: TestDatabase | undefined;
  before(async () => {
    if (target.skip === undefined) db = await target.open();
  });
  after(async () => {
    await db?.close();
  });
  return (fn) => (db === undefined ? Promise.reject(new Error('store not open')) : fn(db));
}

const stages = (s: ReferralState): string[] => s.history.map((h) => h.stage);

for (const target of storeTargets()) {
  describe(`referral workflow on ${target.name}`, { skip: target.skip }, () => {
    const store = sharedStore(target);

    it('follows a referral from sent to closed on EHR events alone, finding encounter and note through links', async () => {
      await store(async (db) => {
        const k = await referralKit(db);
        await k.save(serviceRequest('sr1'));
        await k.save(referralTask('t1', 'sr1', 'requested'));
        let snap = await k.stateOf('sr1');
        let s = snap.state as ReferralState;
        assert.equal(s.stage, 'sent');
        assert.equal(s.site, 'north');
        assert.equal(s.serviceRequest, 'ServiceRequest/sr1');
        assert.equal(s.owner, 'Practitioner/pcp-1');
        assert.equal(s.performerInNetwork, true);
        assert.equal(s.awaiting, 'received');
        assert.equal(s.dueAt, '2026-03-04T14:00:00.000Z', 'received is due 2 days after sending');

        await k.advance(4 * HOUR);
        await k.save(referralTask('t1', 'sr1', 'received'));
        await k.advance(4 * HOUR);
        await k.save(referralTask('t1', 'sr1', 'accepted'));
        s = (await k.stateOf('sr1')).state as ReferralState;
        assert.equal(s.stage, 'accepted');
        assert.equal(s.dueAt, new Date(k.clock.now().getTime() + 14 * DAY).toISOString());

        await k.advance(DAY);
        await k.save(appointment('a1', 'sr1', 'booked', '2026-03-10T15:00:00Z'));
        s = (await k.stateOf('sr1')).state as ReferralState;
        assert.equal(s.stage, 'scheduled');
        assert.equal(s.appointment, 'Appointment/a1');
        assert.equal(s.appointmentInNetwork, true);
        assert.equal(s.dueAt, '2026-03-11T15:00:00.000Z', 'attended is due a day after the appointment starts');

        k.clock.advance(Date.parse('2026-03-10T14:50:00Z') - k.clock.now().getTime());
        await k.save(appointment('a1', 'sr1', 'arrived', '2026-03-10T15:00:00Z'));
        await k.save(encounter('e1', 'a1', 'in-progress'));
        s = (await k.stateOf('sr1')).state as ReferralState;
        assert.equal(s.stage, 'attended');
        await k.advance(HOUR);
        await k.save(appointment('a1', 'sr1', 'fulfilled', '2026-03-10T15:00:00Z'));
        await k.save(encounter('e1', 'a1', 'finished'));

        await k.advance(DAY);
        await k.save(consultNote('d1', ['Encounter/e1'])); // names only the encounter: found by its link
        s = (await k.stateOf('sr1')).state as ReferralState;
        assert.equal(s.stage, 'reported');
        await k.save(referralTask('t1', 'sr1', 'completed'));
        snap = await k.stateOf('sr1');
        s = snap.state as ReferralState;
        assert.equal(snap.status, 'completed');
        assert.deepEqual(snap.outcome, {
          stage: 'closed',
          leaked: null,
          ending: { how: 'report-and-completion', by: null, detail: null },
        });
        assert.deepEqual(stages(s), ['sent', 'received', 'accepted', 'scheduled', 'attended', 'reported', 'closed']);
        assert.equal(s.leaked, null);
        assert.equal(k.drafts.size, 0, 'nothing was late: no proposals');
        assert.ok(s.history.every((h) => h.eventId !== null));
        assert.deepEqual(await k.engine.queueDepth(), { inputsDue: 0, timersScheduled: 0, effectsPending: 0 });
        assert.deepEqual(await k.engine.replay(snap.id), { ok: true, steps: snap.step });
      });
    });

    it('version 1 (referrals started before handoffs): drafts a Task for the owner and a message to the practice when a stage is overdue, then escalates to the lead', async () => {
      await store(async (db) => {
        const k = await referralKit(db, {}, { version: 1 });
        await k.save(serviceRequest('sr2'));
        await k.advance(2 * DAY - 1);
        assert.equal(k.drafts.size, 0, 'not due yet');
        await k.advance(1);
        let s = (await k.stateOf('sr2')).state as ReferralState;
        assert.equal(s.overdue, 'received');
        const first = [...k.drafts.values()];
        assert.deepEqual(first.map((d) => d.action).sort(), ['communication.send', 'task.create']);
        const task = first.find((d) => d.action === 'task.create');
        assert.ok(task);
        assert.equal(task.connectionId, '6f1c2b7e-2d0a-4c47-9a55-0b8d7c1e9a01');
        assert.equal(task.workflow, 'referral');
        assert.equal(task.patientEventId, s.patientEventId);
        assert.equal(task.priority, 2);
        assert.equal(task.evidence.reasonCode, 'referral.overdue.received');
        assert.deepEqual(task.evidence.resources, ['ServiceRequest/sr2']);
        const payload = task.payload as Record<string, unknown>;
        assert.deepEqual(payload['for'], { reference: 'Patient/{{patient}}' });
        assert.deepEqual(payload['focus'], { reference: 'ServiceRequest/sr2' });
        assert.deepEqual(payload['owner'], { reference: 'Practitioner/pcp-1' });
        assert.equal(JSON.stringify(payload).includes('Cardiology'), false, 'no clinical text');
        const message = first.find((d) => d.action === 'communication.send');
        assert.equal(message?.reversible, false);
        assert.ok((message?.irreversibleReason ?? '').length > 0);
        assert.deepEqual((message?.payload as Record<string, unknown>)['recipient'], [
          { reference: 'PractitionerRole/card-role' },
          { reference: 'Organization/card-org' },
        ]);
        assert.equal(s.proposals.filter((p) => p.proposalId !== null).length, 2, 'proposal ids recorded');

        await k.advance(2 * DAY);
        s = (await k.stateOf('sr2')).state as ReferralState;
        assert.equal(s.escalated, true);
        assert.equal(k.drafts.size, 3);
        const escalation = [...k.drafts.values()].find((d) => d.evidence.reasonCode === 'referral.escalated.received');
        assert.equal(escalation?.priority, 1, 'more urgent than the first');
        const ep = escalation?.payload as Record<string, unknown>;
        assert.equal(JSON.stringify(ep['performerType']).includes('owner-lead'), true);

        const overdueList = await listReferrals(db, { overdue: true });
        assert.deepEqual(
          overdueList.items.map((i) => [i.serviceRequest, i.overdue, i.escalated, i.proposalIds.length]),
          [['ServiceRequest/sr2', 'received', true, 3]],
        );

        await k.save(referralTask('t2', 'sr2', 'received'));
        s = (await k.stateOf('sr2')).state as ReferralState;
        assert.equal(s.overdue, null, 'the stage moved on');
        assert.equal(s.escalated, false);
        assert.equal(s.awaiting, 'accepted');
        assert.equal((await listReferrals(db, { overdue: true })).items.length, 0);
        await k.advance(DAY);
        assert.equal(k.drafts.size, 3, 'the old timers were cancelled');
        const snap = await k.stateOf('sr2');
        assert.deepEqual(await k.engine.replay(snap.id), { ok: true, steps: snap.step });
      });
    });

    it('raises a handoff for an overdue stage (to the owner, reference-level, escalation left to its policy) and closes it when the stage is reached', async () => {
      await store(async (db) => {
        const k = await referralKit(db);
        await k.save(serviceRequest('h1'));
        await k.advance(2 * DAY);
        let snap = await k.stateOf('h1');
        let s = snap.state as ReferralState;
        assert.equal(snap.version, 2);
        assert.equal(s.overdue, 'received');
        assert.deepEqual(
          [...k.drafts.values()].map((d) => d.action),
          ['communication.send'],
          'the message to the practice is still proposed; no Task: the handoff is the work',
        );
        const [[key, raised]] = [...k.raises.entries()] as [[string, RaiseRequest]];
        assert.equal(key, `referral:${snap.id}:overdue-received:1`);
        assert.equal(raised.kind, 'referral.overdue');
        assert.equal(raised.site, 'north');
        assert.deepEqual(raised.subject, { kind: 'referral', id: snap.id });
        assert.deepEqual(raised.owner, { connectionId: CONN, ref: 'Practitioner/pcp-1', identifier: null });
        assert.equal(raised.to, undefined, 'the host resolves the owner to a person, pool or role');
        assert.equal(raised.patientEventId, s.patientEventId);
        assert.deepEqual(raised.notify, { type: 'referral', key: snap.correlationKey });
        assert.equal(raised.due?.at, new Date(k.clock.now().getTime() + 2 * DAY).toISOString(), 'escalateDays on');
        assert.equal(JSON.stringify(raised).includes('Cardiology'), false, 'no clinical text in the unsealed input');
        assert.deepEqual(s.handoffs, [
          {
            key,
            stage: 'received',
            handoffId: uuidOf(key),
            to: { kind: 'user', ref: 'owner-user' },
            owner: true,
            status: 'offered',
            task: false,
          },
        ]);

        await k.advance(3 * DAY);
        s = (await k.stateOf('h1')).state as ReferralState;
        assert.equal(s.escalated, false, "no escalation timer: the handoff's policy takes it to the lead");
        assert.equal(k.raises.size, 1);
        assert.deepEqual(k.closes, []);
        // The policy fired: the referral counts as escalated (the overdue list and the figures say so).
        await k.engine.signal(snap.correlationKey, handoffMoved, {
          handoffId: uuidOf(key),
          key,
          event: 'escalated',
          status: 'offered',
          assignee: { id: 'lead-user', name: 'Lena Lead' },
        });
        await k.run();
        s = (await k.stateOf('h1')).state as ReferralState;
        assert.equal(s.escalated, true);
        assert.equal(s.handoffs?.[0]?.status, 'offered', 'still offered, now to the lead');

        await k.save(referralTask('th1', 'h1', 'received'));
        snap = await k.stateOf('h1');
        s = snap.state as ReferralState;
        assert.equal(s.stage, 'received');
        assert.deepEqual(k.closes, [{ key, reason: 'stage-reached' }]);
        assert.equal(s.handoffs?.[0]?.status, 'done');
        await k.save(referralTask('th1', 'h1', 'accepted'));
        assert.equal(k.closes.length, 1, 'closed once');
        snap = await k.stateOf('h1');
        assert.deepEqual(await k.engine.replay(snap.id), { ok: true, steps: snap.step });
      });
    });

    it('a handoff refused (a site not configured) falls back to the Task proposal, so the work still reaches a person', async () => {
      await store(async (db) => {
        const k = await referralKit(db, {}, { raiseRefused: true });
        await k.save(serviceRequest('f1'));
        await k.advance(2 * DAY);
        const s = (await k.stateOf('f1')).state as ReferralState;
        assert.equal(s.handoffs?.[0]?.status, 'failed');
        const task = [...k.drafts.values()].find((d) => d.action === 'task.create');
        assert.equal(task?.evidence.reasonCode, 'referral.overdue.received');
        assert.deepEqual((task?.payload as Record<string, unknown>)['owner'], { reference: 'Practitioner/pcp-1' });
      });
    });

    it('mirrors its handoff as a FHIR Task when the site says so, and keeps the Task in step as people move the handoff', async () => {
      await store(async (db) => {
        const k = await referralKit(db, {}, { mirrorTasks: true });
        await k.save(serviceRequest('m1'));
        await k.advance(2 * DAY);
        let snap = await k.stateOf('m1');
        const key = `referral:${snap.id}:overdue-received:1`;
        const handoffId = uuidOf(key);
        const create = [...k.drafts.values()].find((d) => d.action === 'task.create');
        assert.ok(create, 'a Task proposal mirrors the handoff');
        const task = create.payload as Record<string, unknown>;
        assert.deepEqual(task['identifier'], [{ system: HANDOFF_TASK_SYSTEM, value: handoffId }]);
        assert.deepEqual(task['owner'], { reference: 'Practitioner/pcp-1' }, "the handoff's owner");
        assert.deepEqual(task['businessStatus'], {
          coding: [{ system: 'urn:steward:handoff-status', code: 'offered' }],
        });
        assert.deepEqual(task['focus'], { reference: 'ServiceRequest/m1' });

        await k.engine.signal(snap.correlationKey, handoffMoved, {
          handoffId,
          key,
          event: 'accepted',
          status: 'accepted',
          assignee: { id: 'u-1', name: 'Dana Example' },
        });
        await k.run();
        const updates = () => [...k.drafts.values()].filter((d) => d.action === 'task.update');
        assert.equal(updates().length, 1);
        assert.deepEqual(updates()[0]?.target, {
          resourceType: 'Task',
          identifier: `${HANDOFF_TASK_SYSTEM}|${handoffId}`,
        });
        assert.deepEqual(updates()[0]?.changes, {
          status: 'accepted',
          businessStatus: { coding: [{ system: 'urn:steward:handoff-status', code: 'accepted' }] },
          owner: { display: 'Dana Example' },
        });
        // Escalated by its policy: the Task becomes urgent, its holder and status kept.
        await k.engine.signal(snap.correlationKey, handoffMoved, {
          handoffId,
          key,
          event: 'escalated',
          status: 'accepted',
          assignee: { id: 'u-2', name: 'Lena Lead' },
        });
        await k.run();
        assert.equal(updates().length, 2);
        assert.deepEqual(updates()[1]?.changes, {
          priority: 'urgent',
          businessStatus: { coding: [{ system: 'urn:steward:handoff-status', code: 'escalated' }] },
        });

        await k.save(referralTask('tm1', 'm1', 'received'));
        assert.deepEqual(k.closes, [{ key, reason: 'stage-reached' }]);
        assert.equal(updates().length, 3);
        assert.deepEqual(updates()[2]?.changes, {
          status: 'completed',
          businessStatus: { coding: [{ system: 'urn:steward:handoff-status', code: 'done' }] },
        });
        snap = await k.stateOf('m1');
        assert.deepEqual(await k.engine.replay(snap.id), { ok: true, steps: snap.step });
      });
    });

    it('a filed referral letter is recorded as evidence and moves a sent referral to received', async () => {
      await store(async (db) => {
        const k = await referralKit(db);
        await k.save(serviceRequest('l1'));
        let snap = await k.stateOf('l1');
        const letter = { documentId: '0b8d7c1e-2d0a-4c47-9a55-6f1c2b7e9a01', occurredAt: k.clock.now().toISOString() };
        await k.engine.signal(snap.correlationKey, referralLetter, letter);
        await k.engine.signal(snap.correlationKey, referralLetter, letter);
        await k.run();
        snap = await k.stateOf('l1');
        const s = snap.state as ReferralState;
        assert.equal(s.stage, 'received');
        assert.equal(s.awaiting, 'accepted');
        assert.deepEqual(s.letters, [letter.documentId], 'recorded once');
        assert.deepEqual(
          s.history.map((h) => [h.stage, h.eventId === null]),
          [
            ['sent', false],
            ['received', true],
          ],
        );
        assert.deepEqual(await k.engine.replay(snap.id), { ok: true, steps: snap.step });
      });
    });

    it('reports leakage: never scheduled, scheduled out of network, cancelled; a missed appointment goes back to accepted', async () => {
      await store(async (db) => {
        const k = await referralKit(db);
        // Never scheduled: accepted, then nothing.
        await k.save(serviceRequest('never'));
        await k.save(referralTask('tn', 'never', 'accepted'));
        // Out of network: booked with a practitioner the EHR does not know (identifier only).
        await k.save(serviceRequest('oon'));
        await k.save(referralTask('to', 'oon', 'accepted'));
        await k.save(
          appointment('ao', 'oon', 'booked', '2026-03-20T15:00:00Z', {
            type: 'Practitioner',
            identifier: { system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' },
          }),
        );
        // Cancelled by the referrer: ServiceRequest revoked.
        await k.save(serviceRequest('gone'));
        await k.advance(HOUR);
        await k.save(serviceRequest('gone', { status: 'revoked' }));
        // Missed: booked, cancelled, so accepted again.
        await k.save(serviceRequest('miss'));
        await k.save(appointment('am', 'miss', 'booked', '2026-03-05T15:00:00Z'));
        await k.save(appointment('am', 'miss', 'cancelled', '2026-03-05T15:00:00Z'));

        const oon = (await k.stateOf('oon')).state as ReferralState;
        assert.equal(oon.stage, 'scheduled');
        assert.equal(oon.leaked, 'out-of-network');
        assert.equal(oon.appointmentInNetwork, false);
        const gone = await k.stateOf('gone');
        assert.equal(gone.status, 'completed');
        assert.deepEqual(gone.outcome, {
          stage: 'sent',
          leaked: 'cancelled',
          ending: { how: 'revoked', by: 'request', detail: null },
        });
        const miss = (await k.stateOf('miss')).state as ReferralState;
        assert.equal(miss.stage, 'accepted');
        assert.equal(miss.missedAppointments, 1);
        assert.equal(miss.appointment, null);
        assert.deepEqual(stages(miss), ['sent', 'scheduled', 'accepted']);

        await k.advance(30 * DAY);
        const never = await k.stateOf('never');
        assert.equal((never.state as ReferralState).leaked, 'never-scheduled');
        assert.equal(never.status, 'running', 'still tracked: it may be booked late');
        assert.ok(
          [...k.raises.values()].some((r) => r.kind === 'referral.overdue' && r.ask.includes('not scheduled')),
          'scheduling went overdue on the way: a handoff',
        );

        const f = await referralFigures(db, { site: 'north' });
        assert.equal(f.total, 4);
        assert.deepEqual(f.byStage, {
          sent: 1,
          received: 0,
          accepted: 2,
          scheduled: 1,
          attended: 0,
          reported: 0,
          closed: 0,
        });
        assert.equal(f.leakage.count, 4, 'the missed one was not booked again within 30 days either');
        assert.equal(((await k.stateOf('miss')).state as ReferralState).leaked, 'never-scheduled');
        assert.deepEqual(f.leakage.byReason['never-scheduled'], { count: 2, rate: 0.5 });
        assert.deepEqual(f.leakage.byReason['out-of-network'], { count: 1, rate: 0.25 });
        assert.deepEqual(f.leakage.byReason.cancelled, { count: 1, rate: 0.25 });
        assert.equal(f.closureRate, 0);
        assert.equal(f.overdue, 3, 'never (scheduling), oon (attended), miss (scheduling again); gone ended');
        assert.equal(f.timeInStage.sent.count, 3);
        assert.equal((await referralFigures(db, { site: 'south' })).total, 0);

        await k.advance(60 * DAY);
        const expired = await k.stateOf('never');
        assert.equal(expired.status, 'completed', 'dropped after 90 days without a stage change');
        assert.deepEqual(expired.outcome, {
          stage: 'accepted',
          leaked: 'never-scheduled',
          ending: { how: 'expired', by: null, detail: null },
        });
        for (const key of ['never', 'oon', 'gone', 'miss']) {
          const snap = await k.stateOf(key);
          assert.deepEqual(await k.engine.replay(snap.id), { ok: true, steps: snap.step }, key);
        }
      });
    });

    it('figures: closure rate, time in stage, and a paged list filtered by stage', async () => {
      await store(async (db) => {
        const k = await referralKit(db);
        for (const id of ['c1', 'c2', 'c3']) {
          await k.save(serviceRequest(id));
          await k.advance(10 * HOUR);
          await k.save(referralTask(`t-${id}`, id, 'received'));
        }
        await k.advance(2 * HOUR);
        // c1 closes: note and completion (a feed may jump stages).
        await k.save(consultNote('n1', ['ServiceRequest/c1']));
        await k.save(serviceRequest('c1', { status: 'completed' }));
        const f = await referralFigures(db);
        assert.equal(f.total, 3);
        assert.equal(f.closed, 1);
        assert.equal(f.closureRate, 1 / 3);
        assert.deepEqual(f.timeInStage.sent, { count: 3, medianHours: 10, p90Hours: 10 });
        assert.deepEqual(f.timeInStage.received.count, 1);
        assert.equal(f.timeInStage.received.medianHours, 22, 'c1 waited 10+10+2 hours after its receipt');
        const since = await referralFigures(db, { since: new Date(k.clock.now().getTime() + HOUR) });
        assert.equal(since.total, 0);
        assert.equal(since.closureRate, null);

        const p1 = await listReferrals(db, { stage: 'received', limit: 1 });
        assert.equal(p1.items.length, 1);
        assert.ok(p1.next !== undefined);
        const p2 = await listReferrals(db, { stage: 'received', limit: 1, cursor: p1.next });
        assert.equal(p2.items.length, 1);
        assert.equal(p2.next, undefined);
        assert.deepEqual(
          [...p1.items, ...p2.items].map((i) => i.serviceRequest),
          ['ServiceRequest/c2', 'ServiceRequest/c3'],
          'the soonest due first: c2 was received, so is due for acceptance, 10 hours before c3',
        );
        await assert.rejects(listReferrals(db, { cursor: 'nonsense' }), { code: 'VALIDATION_FAILED' });
      });
    });
  });
}

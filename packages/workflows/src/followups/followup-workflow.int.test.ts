import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storeTargets, type StoreTarget, type TestDatabase } from '@steward/store/testing';
import { followupRig } from './test-kit.js';
import { defaultFollowupSettings, type FollowupState } from './followup-workflow.js';
import { followupFigures, listFollowups } from './followup-queries.js';

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

const KEY = 'followup:11111111-1111-4111-8111-111111111111:ServiceRequest:rc1';

for (const target of storeTargets()) {
  describe(`follow-up workflow on ${target.name}`, { skip: target.skip }, () => {
    const store = sharedStore(target);

    it('follows a recheck from order to fulfilled through a cancel and a no-show, drafting every proposal', async () => {
      await store(async (db) => {
        const rig = await followupRig(db, '2026-02-02T15:00:00Z');
        const order = rig.journal.recheck('rc1', { start: '2026-03-10' });
        await rig.settle();
        const [booking] = rig.drafts;
        assert.ok(booking);
        assert.equal(rig.drafts.length, 1);
        assert.equal(booking.request.action, 'task.create');
        assert.equal(booking.request.patientEventId, order.id);
        assert.equal(booking.request.correlationId, KEY);
        const task = booking.request.payload as Record<string, unknown>;
        assert.deepEqual(task['focus'], { reference: 'ServiceRequest/rc1' });
        assert.deepEqual(task['for'], { reference: 'Patient/{{patient}}' });
        assert.deepEqual(task['restriction'], {
          period: { start: '2026-03-10T00:00:00.000Z', end: '2026-03-24T00:00:00.000Z' },
        });
        assert.equal(booking.request.evidence.reasonCode, 'recheck-ordered');

        // Booked for after the spring-forward change (2026-03-08): 7 days before is still EST.
        rig.journal.appointment('a1', 'booked', '2026-03-10T14:00:00-04:00', ['ServiceRequest/rc1']);
        await rig.settle();
        const wf = (await listFollowups(db, { site: 'north' }))[0];
        assert.ok(wf);
        assert.equal(wf.stage, 'booked');
        const snap = await rig.engine.get(wf.id);
        const reminders = (snap.state as FollowupState).reminders;
        assert.deepEqual(
          reminders.map((r) => [r.offsetDays, r.dueAt]),
          [
            [7, '2026-03-03T15:00:00.000Z'], // 10:00 EST
            [1, '2026-03-09T14:00:00.000Z'], // 10:00 EDT
          ],
        );

        await rig.at('2026-03-03T14:59:59Z');
        assert.equal(rig.drafts.length, 1, 'not before its time');
        await rig.at('2026-03-03T15:00:00Z');
        const reminder = rig.drafts[1];
        assert.equal(reminder?.request.action, 'reminder.send');
        assert.deepEqual(reminder?.request.target, { resourceType: 'Appointment', id: 'a1' });
        const message = reminder?.request.payload as Record<string, unknown>;
        assert.equal(message['template'], 'appointment-reminder');
        assert.equal(message['correlationKey'], KEY);

        // The EHR cancels: the 1-day reminder is withdrawn and a rebooking is proposed.
        await rig.at('2026-03-04T16:00:00Z');
        rig.journal.appointment('a1', 'cancelled', '2026-03-10T14:00:00-04:00', ['ServiceRequest/rc1']);
        await rig.settle();
        assert.equal(rig.drafts.at(-1)?.tag, 'appointment-cancelled');
        assert.equal(rig.drafts.at(-1)?.request.action, 'task.create');
        await rig.at('2026-03-09T15:00:00Z');
        assert.equal(rig.drafts.filter((d) => d.request.action === 'reminder.send').length, 1);

        // Rebooked, missed: a follow-up outreach is proposed.
        rig.journal.appointment('a2', 'booked', '2026-03-12T09:00:00-04:00', ['ServiceRequest/rc1']);
        await rig.settle();
        await rig.at('2026-03-12T15:00:00Z');
        assert.equal(rig.drafts.filter((d) => d.request.action === 'reminder.send').length, 2, 'the 1-day one');
        rig.journal.appointment('a2', 'noshow', '2026-03-12T09:00:00-04:00', ['ServiceRequest/rc1']);
        await rig.settle();
        assert.equal(rig.drafts.at(-1)?.tag, 'recheck-no-show');
        // A person must call: a handoff too, about the follow-up, reference-level.
        assert.deepEqual(
          rig.raises.map((r) => [r.kind, r.key, r.subject]),
          [['followup.no-show', `followup:${wf.id}:followup.no-show:1`, { kind: 'followup', id: wf.id }]],
        );
        assert.equal(rig.raises[0]?.ask, 'Recheck appointment missed: call the patient to rebook.');
        assert.deepEqual(rig.closes, []);

        // Booked again; an SIU-like event naming only the appointment still finds the follow-up.
        rig.journal.appointment('a3', 'booked', '2026-03-19T09:00:00-04:00', ['ServiceRequest/rc1']);
        await rig.settle();
        assert.deepEqual(rig.closes, [{ key: `followup:${wf.id}:followup.no-show:1`, reason: 'booked' }]);
        rig.journal.appointment('a3', 'fulfilled', '2026-03-19T09:00:00-04:00', []);
        await rig.settle();
        const done = await rig.engine.get(wf.id);
        assert.equal(done.status, 'completed');
        assert.deepEqual(done.outcome, { stage: 'fulfilled', appointment: 'Appointment/a3' });
        assert.deepEqual((await rig.engine.queueDepth()).timersScheduled, 0, 'every timer cancelled');
        const state = done.state as FollowupState;
        assert.deepEqual(state.counts, { booked: 3, cancelled: 1, noShows: 1, reminders: 2, replies: 0 });
        assert.equal(
          state.proposals.filter((p) => p.proposalId !== null).length,
          rig.drafts.length,
          'every result recorded',
        );
        assert.deepEqual(await rig.engine.replay(wf.id), { ok: true, steps: done.step });

        const figures = await followupFigures(db, { site: 'north', now: rig.clock.now() });
        assert.equal(figures.total, 1);
        assert.equal(figures.noShowRate, 0.333);
        assert.equal(figures.fulfilledRate, 1);
        assert.equal(figures.byStage.find((s) => s.stage === 'fulfilled')?.finished, 1);
        assert.equal((await listFollowups(db, { site: 'south' })).length, 0);
      });
    });

    it('flags an order nobody booked as overdue at the window end and proposes outreach', async () => {
      await store(async (db) => {
        const rig = await followupRig(db, '2026-02-02T15:00:00Z');
        rig.journal.recheck('rc1', { start: '2026-03-10T00:00:00Z', end: '2026-03-20T00:00:00Z' });
        await rig.settle();
        await rig.at('2026-03-19T23:59:59Z');
        assert.equal(rig.drafts.length, 1);
        assert.equal((await listFollowups(db, { overdue: true })).length, 0);
        await rig.at('2026-03-20T00:00:00Z');
        assert.equal(rig.drafts.at(-1)?.tag, 'recheck-not-booked');
        assert.deepEqual(
          rig.raises.map((r) => r.kind),
          ['followup.not-booked'],
          'nothing booked in the window: a person must act',
        );
        const [item] = await listFollowups(db, { overdue: true, stage: 'awaiting-booking' });
        assert.equal(item?.overdue, true);
        const figures = await followupFigures(db, { now: new Date('2026-03-21T00:00:00Z') });
        assert.equal(figures.overdue, 1);
        const stage = figures.byStage.find((s) => s.stage === 'awaiting-booking');
        assert.equal(stage?.open, 1);
        assert.equal(
          stage?.meanHoursInStage,
          (Date.parse('2026-03-21T00:00:00Z') - Date.parse('2026-02-02T15:00:00Z')) / 3.6e6,
        );
        // A booking after the window clears the flag.
        rig.journal.appointment('a1', 'booked', '2026-03-25T09:00:00-04:00', ['ServiceRequest/rc1']);
        await rig.settle();
        assert.equal((await listFollowups(db, { overdue: true })).length, 0);
        assert.deepEqual(
          rig.closes.map((c) => c.reason),
          ['booked'],
          'the booking closes the handoff',
        );
      });
    });

    it('on a cancel reply proposes the cancellation and a rebooking; an opt-out stops reminders', async () => {
      await store(async (db) => {
        const rig = await followupRig(db, '2026-10-01T15:00:00Z');
        rig.journal.recheck('rc1', { start: '2026-11-02' });
        rig.journal.appointment('a1', 'booked', '2026-11-05T10:00:00-05:00', ['ServiceRequest/rc1']);
        await rig.settle();
        // Across the fall-back change (2026-11-01): 7 days before is 10:00 EDT, 1 day before 10:00 EST.
        await rig.at('2026-10-29T14:00:00Z');
        assert.equal(rig.drafts.at(-1)?.request.action, 'reminder.send');
        assert.equal(await rig.engine.signal(KEY, 'reply', { intent: 'confirm', at: '2026-10-29T15:00:00Z' }), 1);
        await rig.settle();
        const [wf] = await listFollowups(db);
        assert.equal(wf?.confirmation, 'confirm');
        assert.equal(wf?.nextReminderAt, '2026-11-04T15:00:00.000Z');
        await rig.engine.signal(KEY, 'reply', { intent: 'cancel', at: '2026-10-30T15:00:00Z' });
        await rig.settle();
        // Effects of one step run concurrently: compare as a set.
        const tail = rig.drafts.slice(-2).map((d) => [d.request.action, d.tag]);
        assert.deepEqual(tail.sort(), [
          ['appointment.status', 'patient-replied-cancel'],
          ['task.create', 'patient-replied-cancel'],
        ]);
        const cancel = rig.drafts.find((d) => d.request.action === 'appointment.status');
        assert.deepEqual(cancel?.request.changes, { status: 'cancelled' });
        assert.deepEqual(cancel?.request.target, { resourceType: 'Appointment', id: 'a1' });
        // The EHR's own cancel event afterwards drafts nothing more.
        const before = rig.drafts.length;
        rig.journal.appointment('a1', 'cancelled', '2026-11-05T10:00:00-05:00', ['ServiceRequest/rc1']);
        await rig.settle();
        assert.equal(rig.drafts.length, before);

        rig.journal.appointment('a2', 'booked', '2026-11-20T10:00:00-05:00', ['ServiceRequest/rc1']);
        await rig.settle();
        await rig.at('2026-11-13T15:00:00Z');
        const sent = rig.drafts.filter((d) => d.request.action === 'reminder.send').length;
        await rig.engine.signal(KEY, 'proposal-outcome', {
          proposalId: 'x',
          action: 'reminder.send',
          status: 'failed',
          code: 'FORBIDDEN',
        });
        await rig.settle();
        await rig.at('2026-11-19T16:00:00Z');
        assert.equal(rig.drafts.filter((d) => d.request.action === 'reminder.send').length, sent, 'no more reminders');
        assert.equal((await listFollowups(db))[0]?.optedOut, true);
        const id = (await listFollowups(db))[0]?.id ?? '';
        assert.deepEqual(await rig.engine.replay(id), { ok: true, steps: (await rig.engine.get(id)).step });
      });
    });

    it('shifts reminders out of quiet hours, and a revoked order closes the follow-up', async () => {
      await store(async (db) => {
        const settings = { ...defaultFollowupSettings, offsetsDays: [1], sendAt: '10:00' };
        // Booked late on the evening before the spring-forward night for 09:00 the next morning.
        const rig = await followupRig(db, '2026-03-08T04:30:00Z', settings);
        rig.journal.recheck('rc1', { start: '2026-03-08' });
        rig.journal.appointment('a1', 'booked', '2026-03-08T09:00:00-04:00', ['ServiceRequest/rc1']);
        await rig.settle();
        const [wf] = await listFollowups(db);
        assert.equal(wf?.nextReminderAt, '2026-03-08T12:00:00.000Z', '08:00 EDT, the end of quiet hours');
        await rig.at('2026-03-08T12:00:00Z');
        assert.equal(rig.drafts.at(-1)?.request.action, 'reminder.send');
        rig.journal.recheck('rc1', {}, 'revoked');
        await rig.settle();
        const done = await rig.engine.get(wf?.id ?? '');
        assert.equal(done.status, 'completed');
        assert.equal((done.state as FollowupState).stage, 'closed');
      });
    });
  });
}

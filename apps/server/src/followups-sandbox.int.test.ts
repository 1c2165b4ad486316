/**
 * Issue 4 end to end against the sandbox EHR: a recheck ordered in the EHR ("in 6 weeks", a
 * ServiceRequest) becomes a follow-up that proposes the booking request; the appointment booked
 * on it schedules reminders; a cancellation leads to a rebooking proposal, a no-show to an outreach
 * proposal, and the fulfilled visit ends the sequence — each step driven by an EHR change only, the
 * proposals waiting in the review queue (automation proposes, never writes).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { Bundle, Patient, Practitioner, Resource } from '@medplum/fhirtypes';
import { tokenFor } from '@steward/sandbox-ehr/testing';
import { listFollowups, type FollowupItem } from '@steward/workflows';
import { flowTargets, type TestDatabase } from '@steward/store/testing';
import type { RunningServer } from './server.js';
import { ehrSide, sandboxServer, smallSeed, until } from './test-sandbox.js';
import { bearer, principalWith } from './testing.js';

for (const target of flowTargets()) {
  describe(`follow-ups against the sandbox EHR (${target.name})`, { skip: target.skip }, () => {
    const seedDir = smallSeed();
    let db: TestDatabase;
    let server: RunningServer;
    let token: string;
    let ehr: ReturnType<typeof ehrSide>;
    const followupAt = (orderId: string, check: (f: FollowupItem) => boolean, what: string): Promise<FollowupItem> =>
      until(what, async () => {
        await server.workflows!.settle();
        const items = await listFollowups(db, { limit: 50 });
        return items.find((f) => f.orderRef === `ServiceRequest/${orderId}` && check(f));
      });

    before(async () => {
      db = await target.open();
      server = await sandboxServer(db, seedDir).start();
      token = await tokenFor(server.sandbox!.ehr, ['system/*.*']);
      ehr = ehrSide(server, token);
    });
    after(async () => {
      await server?.stop(); // closes the store it was given
      rmSync(seedDir, { recursive: true, force: true });
    });

    it('carries a recheck from order to fulfilled through a cancel and a no-show', async () => {
      const patient = ((await ehr('GET', 'Patient?_count=1')) as Bundle<Patient>).entry![0]!.resource!;
      const doctor = ((await ehr('GET', 'Practitioner?_count=1')) as Bundle<Practitioner>).entry![0]!.resource!;
      const inSixWeeks = new Date(Date.now() + 42 * 86_400_000).toISOString();
      const order = await ehr('POST', 'ServiceRequest', {
        resourceType: 'ServiceRequest',
        status: 'active',
        intent: 'order',
        category: [{ text: 'follow-up' }],
        code: { text: 'recheck' },
        subject: { reference: `Patient/${patient.id!}` },
        requester: { reference: `Practitioner/${doctor.id!}` },
        occurrenceDateTime: inSixWeeks,
        authoredOn: new Date().toISOString(),
      });
      const ordered = await followupAt(order.id!, (f) => f.proposals >= 1, 'the booking request');
      // Every proposal asked for was drafted (none failed validation or the wrong-chart guard).
      const effects = await db.query<{ status: string }>(`select status from workflow_effects`);
      assert.ok(
        effects.rows.every((e) => e.status !== 'failed'),
        JSON.stringify(effects.rows),
      );
      assert.equal(ordered.site, 'sandbox');

      // The booking request waits for review: drafted by automation, not written to the EHR.
      const coordinator = await principalWith(server.kernel, 'recheck-coordinator', {
        role: 'coordinator',
        site: 'sandbox',
      });
      const queue = await fetch(`${server.url}/review?site=sandbox&workflow=followup`, {
        headers: bearer(coordinator),
      });
      assert.equal(queue.status, 200);
      const pending = ((await queue.json()) as { items: { action: string; status: string }[] }).items;
      assert.ok(pending.some((p) => p.action === 'task.create' && p.status === 'pending_review'));

      const book = async (): Promise<Resource> => {
        const start = new Date(Date.parse(inSixWeeks) + 3_600_000).toISOString();
        return ehr('POST', 'Appointment', {
          resourceType: 'Appointment',
          status: 'booked',
          start,
          end: new Date(Date.parse(start) + 1_200_000).toISOString(),
          basedOn: [{ reference: `ServiceRequest/${order.id!}` }],
          participant: [
            { actor: { reference: `Patient/${patient.id!}` }, status: 'accepted' },
            { actor: { reference: `Practitioner/${doctor.id!}` }, status: 'accepted' },
          ],
        });
      };
      const first = await book();
      const booked = await followupAt(order.id!, (f) => f.appointmentRef === `Appointment/${first.id!}`, 'booked');
      assert.ok(booked.nextReminderAt !== null, 'reminders are scheduled');

      await ehr('PUT', `Appointment/${first.id!}`, { ...first, status: 'cancelled' });
      // The rebooking proposal is drafted by an effect after the step: wait for it too.
      const cancelled = await followupAt(
        order.id!,
        (f) => f.counts.cancelled >= 1 && f.proposals > booked.proposals,
        'the cancellation and a rebooking proposal',
      );
      assert.equal(cancelled.stage, 'rebooking');
      assert.equal(cancelled.nextReminderAt, null, 'the reminders of the cancelled visit are gone');

      const second = await book();
      await followupAt(order.id!, (f) => f.appointmentRef === `Appointment/${second.id!}`, 'rebooked');
      await ehr('PUT', `Appointment/${second.id!}`, { ...second, status: 'noshow' });
      const missed = await followupAt(
        order.id!,
        (f) => f.counts.noShows >= 1 && f.proposals > cancelled.proposals,
        'the no-show and an outreach proposal',
      );
      assert.equal(missed.stage, 'no-show');

      const third = await book();
      await followupAt(order.id!, (f) => f.appointmentRef === `Appointment/${third.id!}`, 'booked again');
      await ehr('PUT', `Appointment/${third.id!}`, { ...third, status: 'fulfilled' });
      const done = await followupAt(order.id!, (f) => f.status === 'completed', 'fulfilled');
      assert.equal(done.stage, 'fulfilled');
      assert.equal(done.nextReminderAt, null, 'no reminder left');
    });
  });
}

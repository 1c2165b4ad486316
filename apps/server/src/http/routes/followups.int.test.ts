/**
 * /followups/:id/timeline over HTTP on both stores, with follow-ups made by the real workflow
 * engine (started, booked, a reminder due, a reply signalled) and messages sent into the real
 * local outbox: the shape (history, messages without text unless asked, replies, what is next),
 * `phi.read` at the follow-up's site (out of scope looks like not found), and the audit entries.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, type RequestContext } from '@steward/core';
import { flowTargets } from '@steward/store/testing';
import {
  defaultFollowupSettings,
  followupKey,
  followupWorkflow,
  WorkflowEngine,
  WorkflowWorker,
  type AppointmentSignal,
  type FollowupItem,
  type FollowupStart,
  type Json,
} from '@steward/workflows';
import { bearer, openTestApp, principalWith, type TestApp, type TestPrincipal } from '../../testing.js';
import type { FollowupTimeline } from './followups.js';

const CONN = '66666666-6666-4666-8666-666666666666';
const BODY_MARK = 'Reminder: you have an appointment';
let events = 0;
const eventId = (): string => `77777777-7777-4777-8777-${String(++events).padStart(12, '0')}`;

for (const target of flowTargets()) {
  describe(`the follow-up timeline API on ${target.name}`, { skip: target.skip }, () => {
    let t: TestApp;
    let engine: WorkflowEngine;
    let worker: WorkflowWorker;
    let north: TestPrincipal;
    let southOnly: TestPrincipal;
    let auditor: TestPrincipal;
    let booked: string;
    let quiet: string;
    let messageId: string;

    const ctxOf = (p: TestPrincipal, name: string): RequestContext => ({
      actor: { kind: 'user', id: p.id, name, authMethod: 'password' },
      purposeOfUse: 'TREAT',
    });

    const start = async (site: string, order: string, requester?: string): Promise<string> => {
      const at = t.clock.now().toISOString();
      const payload: FollowupStart = {
        event: { eventId: eventId(), type: 'referral.created', connectionId: CONN, occurredAt: at, sourceRef: order },
        orderRef: order,
        site,
        ...(requester !== undefined ? { requester: { kind: 'Practitioner', ref: requester, systems: [] } } : {}),
        occurrence: null,
        settings: defaultFollowupSettings,
      };
      const key = followupKey(CONN, order);
      await engine.start('followup', key, payload as unknown as Json);
      await worker.drain();
      return key;
    };

    before(async () => {
      if (target.skip !== undefined) return;
      t = await openTestApp(await target.open(), { clock: new ManualClock('2026-03-02T15:00:00Z') });
      engine = new WorkflowEngine({
        db: t.db,
        clock: t.clock,
        definitions: [followupWorkflow],
        effects: { 'proposal.draft': (r) => Promise.resolve({ proposalId: uuidOf(r.key), status: 'pending_review' }) },
      });
      worker = new WorkflowWorker(engine, { id: 'test' });
      north = await principalWith(t.kernel, 'coord-north', { role: 'coordinator', site: 'north' });
      southOnly = await principalWith(t.kernel, 'coord-south', { role: 'coordinator', site: 'south' });
      auditor = await principalWith(t.kernel, 'auditor', { role: 'compliance_officer' });

      // The order's requester, as the directory learned it from the EHR: the follow-up's owner.
      const learner = await principalWith(t.kernel, 'learner', { role: 'automation' });
      const learning: RequestContext = {
        actor: { kind: 'service', id: learner.id, name: 'learner', authMethod: 'api-token' },
      };
      await t.kernel.directory.learn(learning, CONN, [
        {
          kind: 'Practitioner',
          ehrId: 'doc9',
          identifiers: [],
          name: 'Dr Ada Heart',
          organizationName: 'Lakeside Cardiology Group',
          source: 'fhir',
        },
      ]);
      booked = await start('north', 'ServiceRequest/rc1', 'Practitioner/doc9');
      quiet = await start('north', 'ServiceRequest/rc2');
      const appointment: AppointmentSignal = {
        event: {
          eventId: eventId(),
          type: 'appointment.booked',
          connectionId: CONN,
          occurredAt: t.clock.now().toISOString(),
          sourceRef: 'Appointment/a1',
        },
        appointmentRef: 'Appointment/a1',
        status: 'booked',
        start: '2026-03-20T14:00:00Z',
      };
      await engine.signal(booked, 'appointment', appointment as unknown as Json);
      await worker.drain();
      // The 7-day reminder (10:00 New York on 13 March) comes due and is proposed.
      t.clock.advance(Date.parse('2026-03-13T15:00:00Z') - t.clock.now().getTime());
      await worker.drain();
      // The committer's part, done here directly: the message lands in the real local outbox.
      const sent = await t.kernel.outbox.send(ctxOf(north, 'coord-north'), {
        site: 'north',
        channel: 'sms',
        to: '+1-555-0100-4321',
        body: `${BODY_MARK} on March 20. Reply C to confirm.`,
        language: 'en',
        template: 'appointment-reminder',
        idempotencyKey: 'commit:reminder-1',
        correlationKey: booked,
        notBefore: t.clock.now(),
      });
      messageId = sent.messageId;
      t.clock.advance(3_600_000);
      const reply = await t.kernel.outbox.reply(ctxOf(north, 'coord-north'), messageId, 'C');
      assert.ok(reply !== undefined && 'signal' in reply);
      await engine.signal(booked, 'reply', reply.signal);
      await worker.drain();
    });
    after(async () => t?.close());

    const get = async (p: TestPrincipal, url: string) => t.app.inject({ method: 'GET', url, headers: bearer(p) });
    const idOf = async (key: string): Promise<string> => {
      const items = (await get(north, '/followups?site=north')).json<{ items: FollowupItem[] }>().items;
      return items.find((i) => i.correlationKey === key)?.id ?? '';
    };

    it('shows the history, the messages sent (no text), the replies and what is next', async () => {
      const r = await get(north, `/followups/${await idOf(booked)}/timeline`);
      assert.equal(r.statusCode, 200);
      const tl = r.json<FollowupTimeline>();
      assert.equal(tl.followup.correlationKey, booked);
      assert.equal(tl.followup.stage, 'booked');
      assert.equal(tl.followup.appointmentStart, '2026-03-20T14:00:00Z');
      assert.equal(tl.followup.confirmation, 'confirm');
      assert.deepEqual(
        [tl.followup.owner?.name, tl.followup.owner?.organization, tl.followup.owner?.reference],
        ['Dr Ada Heart', 'Lakeside Cardiology Group', 'Practitioner/doc9'],
        "the owner is the order's requester, named by the directory",
      );
      assert.equal(tl.asOf, t.clock.now().toISOString());
      assert.deepEqual(
        tl.history.map((h) => [h.input, h.name]),
        [
          ['start', 'start'],
          ['effect', 'proposal.draft'],
          ['signal', 'appointment'],
          ['timer', 'reminder-1-7d'],
          ['effect', 'proposal.draft'],
          ['signal', 'reply'],
        ],
      );
      const appt = tl.history[2];
      assert.deepEqual(
        [appt?.eventType, appt?.status, appt?.resource, appt?.start],
        ['appointment.booked', 'booked', 'Appointment/a1', '2026-03-20T14:00:00Z'],
      );
      assert.deepEqual(
        tl.reminders.map((x) => [x.name, x.status]),
        [
          ['reminder-1-7d', 'due'],
          ['reminder-1-1d', 'scheduled'],
        ],
      );
      assert.equal(tl.followup.nextReminderAt, tl.reminders[1]?.dueAt);
      assert.deepEqual(
        tl.messages.map((m) => [m.id, m.channel, m.template, m.language, m.status]),
        [[messageId, 'sms', 'appointment-reminder', 'en', 'queued']],
      );
      assert.equal(tl.messages[0]?.body, undefined, 'no text unless asked');
      assert.ok(!r.body.includes(BODY_MARK) && !r.body.includes('555-0100'), 'no text or address in the answer');
      assert.deepEqual(
        tl.replies.map((x) => [x.intent, x.messageId]),
        [['confirm', messageId]],
      );
      assert.deepEqual(
        tl.proposals.map((p) => p.tag),
        ['booking-request', 'reminder:reminder-1-7d'],
      );
    });

    it('shows the text only when asked, never the address', async () => {
      const r = await get(north, `/followups/${await idOf(booked)}/timeline?bodies=true`);
      assert.equal(r.statusCode, 200);
      const tl = r.json<FollowupTimeline>();
      assert.match(tl.messages[0]?.body ?? '', new RegExp(BODY_MARK));
      assert.ok(!r.body.includes('555-0100'));
      assert.equal((await get(north, `/followups/${await idOf(booked)}/timeline?bodies=yes`)).statusCode, 400);
    });

    it('says nothing was sent or replied for a follow-up still awaiting booking', async () => {
      const tl = (await get(north, `/followups/${await idOf(quiet)}/timeline`)).json<FollowupTimeline>();
      assert.equal(tl.followup.stage, 'awaiting-booking');
      assert.equal(tl.followup.owner, null, 'an order that named no requester: no owner recorded');
      assert.deepEqual(tl.messages, []);
      assert.deepEqual(tl.replies, []);
      assert.deepEqual(tl.reminders, []);
      assert.ok(tl.followup.window !== null);
    });

    it('answers not-found out of scope, for unknown ids and for other workflows', async () => {
      const id = await idOf(booked);
      const hidden = await get(southOnly, `/followups/${id}/timeline`);
      assert.equal(hidden.statusCode, 404);
      const unknown = await get(north, '/followups/99999999-9999-4999-8999-999999999999/timeline');
      assert.equal(unknown.statusCode, 404);
      assert.equal(hidden.json<{ code: string }>().code, unknown.json<{ code: string }>().code);
      assert.equal((await get(auditor, `/followups/${id}/timeline`)).statusCode, 404);
      assert.equal((await get(north, `/referrals/${id}`)).statusCode, 404, 'a follow-up is not a referral');
      assert.equal((await get(north, '/followups/nope/timeline')).statusCode, 400);
    });

    it('audits each timeline read, and the messages opened with the fields read', async () => {
      await t.kernel.audit.flush();
      const before = await reads(north.id);
      const id = await idOf(booked);
      await get(north, `/followups/${id}/timeline?bodies=true`);
      await t.kernel.audit.flush();
      const added = (await reads(north.id)).slice(before.length);
      assert.deepEqual(
        added.map((e) => [e.entity?.kind, e.entity?.id, e.site]),
        [
          ['Message', '*', 'north'],
          ['Followup', id, 'north'],
        ],
      );
      assert.deepEqual(added[0]?.fields, ['template', 'language', 'subject', 'body']);
      const denied = await t.db.query<{ n: number }>(
        `select count(*)::int as n from audit_log where event = 'access.denied' and actor_id = $1`,
        [southOnly.id],
      );
      assert.ok((denied.rows[0]?.n ?? 0) >= 1, 'the refusal is audited');
    });

    async function reads(
      actorId: string,
    ): Promise<{ entity?: { kind: string; id: string }; site?: string; fields?: string[] }[]> {
      const r = await t.db.query<{ entry: string }>(
        `select entry from audit_log where event = 'phi.read' and actor_id = $1 order by seq`,
        [actorId],
      );
      return r.rows.map((row) => JSON.parse(row.entry) as { entity?: { kind: string; id: string }; site?: string });
    }
  });
}

/** A proposal id (a uuid) derived from an effect key, as a desk would answer one. */
function uuidOf(key: string): string {
  let h = 0;
  for (const c of key) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `88888888-8888-4888-8888-${h.toString(16).padStart(12, '0')}`;
}

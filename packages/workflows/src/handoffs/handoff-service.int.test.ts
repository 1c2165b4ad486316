/**
 * The handoff service on PGlite and PostgreSQL: raising, queues (mine, a pool's, by subject; overdue
 * first), accept / decline / done with history and audit, refusals, escalation policies (planned in
 * the site's business hours, fired by the engine's timers once, stopped by acceptance), the deadline,
 * and the on-call rota the escalations ask.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '@steward/core';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import { WorkflowWorker } from '../engine/index.js';
import { handoffKit, type HandoffKit } from './handoff-test-kit.js';
import type { HandoffInput } from './handoff-service.js';
import { handoffRaiser } from './handoff-raiser.js';

const patientId = '7d9b3c1e-2f4a-4b6c-8d0e-1f2a3b4c5d6e';
const MIN = 60_000;

for (const target of storeTargets()) {
  describe(`handoffs on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let kit: HandoffKit;
    let worker: WorkflowWorker;
    // Friday 30 October 2026, 16:00 in New York (EDT); the clocks fall back on Sunday 1 November.
    const clock = new ManualClock('2026-10-30T20:00:00Z');
    const input = (over: Partial<HandoffInput> = {}): HandoffInput => ({
      site: 'north',
      kind: 'intake.incomplete',
      subject: { kind: 'patient', id: patientId },
      to: { kind: 'pool', ref: 'north-desk' },
      ask: 'Call back to complete the intake form (page 2 unsigned)',
      due: { businessHours: 4 },
      ...over,
    });
    const advance = async (ms: number): Promise<void> => {
      clock.advance(ms);
      await worker.drain();
    };

    before(async () => {
      db = await target.open();
      kit = await handoffKit(db, { clock, seed: true });
      worker = new WorkflowWorker(kit.engine);
    });
    after(async () => {
      await kit?.close();
      await db?.close();
    });

    it('raises a handoff to a pool: in its members’ queues by name, due in business hours, audited', async () => {
      const h = await kit.service.create(kit.ctx('ben'), input());
      assert.equal(h.status, 'offered');
      assert.equal(h.from.name, 'Ben Example');
      assert.deepEqual(h.to, { kind: 'pool', id: 'north-desk', name: 'north-desk' });
      // 1 hour on Friday (16:00–17:00), 3 more on Monday from 08:00 (EST by then): 11:00 EST = 16:00Z.
      assert.equal(h.dueAt, '2026-11-02T16:00:00.000Z');
      assert.equal(h.ask, 'Call back to complete the intake form (page 2 unsigned)');
      assert.deepEqual(
        h.history.map((e) => [e.event, e.actor.name]),
        [['offered', 'Ben Example']],
      );
      const cleo = await kit.service.mine(kit.ctx('cleo'));
      assert.ok(cleo.some((x) => x.id === h.id));
      assert.ok(!(await kit.service.mine(kit.ctx('zed'))).some((x) => x.id === h.id));
      assert.ok((await kit.service.pool(kit.ctx('zed'), 'north-desk')).some((x) => x.id === h.id));
      const bySubject = await kit.service.bySubject(kit.ctx('zed'), { kind: 'patient', id: patientId });
      assert.ok(bySubject.some((x) => x.id === h.id));
      const sealed = await db.query<{ ask_enc: Buffer }>('select ask_enc from handoffs where id = $1', [h.id]);
      assert.ok(
        !Buffer.from(sealed.rows[0]?.ask_enc ?? [])
          .toString('latin1')
          .includes('intake form'),
      );
      const audited = await db.query<{ n: number }>(
        `select count(*)::int as n from audit_log where event = 'phi.create' and entry like $1`,
        [`%${h.id}%`],
      );
      assert.equal(audited.rows[0]?.n, 1);
    });

    it('accept, decline back to the pool, accept again, done: each recorded with its actor', async () => {
      const h = await kit.service.create(kit.ctx('ben'), input({ due: { businessDays: 1 } }));
      await assert.rejects(kit.service.accept(kit.ctx('zed'), h.id), { code: 'HANDOFF_NOT_YOURS' });
      const a = await kit.service.accept(kit.ctx('cleo'), h.id);
      assert.equal(a.status, 'accepted');
      assert.equal(a.assignee?.name, 'Cleo Example');
      await assert.rejects(kit.service.accept(kit.ctx('ben'), h.id), { code: 'HANDOFF_STATE' });
      await assert.rejects(kit.service.done(kit.ctx('ben'), h.id), { code: 'HANDOFF_NOT_YOURS' });
      await assert.rejects(kit.service.decline(kit.ctx('cleo'), h.id, ' '), { code: 'VALIDATION_FAILED' });
      const d = await kit.service.decline(kit.ctx('cleo'), h.id, 'not a front-desk task');
      assert.equal(d.status, 'declined');
      assert.equal(d.assignee, null);
      assert.equal(d.to.id, 'north-desk');
      assert.ok(
        (await kit.service.mine(kit.ctx('ben'))).some((x) => x.id === h.id),
        'back in the pool',
      );
      await kit.service.accept(kit.ctx('ben'), h.id);
      const done = await kit.service.done(kit.ctx('ben'), h.id);
      assert.equal(done.status, 'done');
      await assert.rejects(kit.service.done(kit.ctx('ben'), h.id), { code: 'HANDOFF_STATE' });
      const shown = await kit.service.show(kit.ctx('zed'), h.id);
      assert.deepEqual(
        shown.history.map((e) => [e.event, e.actor.name, e.toStatus]),
        [
          ['offered', 'Ben Example', 'offered'],
          ['accepted', 'Cleo Example', 'accepted'],
          ['declined', 'Cleo Example', 'declined'],
          ['accepted', 'Ben Example', 'accepted'],
          ['done', 'Ben Example', 'done'],
        ],
      );
      assert.equal(shown.history[2]?.reason, 'not a front-desk task');
      assert.ok(!(await kit.service.mine(kit.ctx('ben'))).some((x) => x.id === h.id), 'done leaves the queue');
      const wf = await db.query<{ status: string }>(
        `select status from workflow_instances where correlation_key = $1`,
        [`handoff:${h.id}`],
      );
      await worker.drain();
      const after = await db.query<{ status: string }>(
        `select status from workflow_instances where correlation_key = $1`,
        [`handoff:${h.id}`],
      );
      assert.equal(wf.rows.length, 1);
      assert.equal(after.rows[0]?.status, 'completed', 'done ends its escalation workflow');
    });

    it('a handoff to a person declined goes back to its sender; refusals are clear', async () => {
      const h = await kit.service.create(kit.ctx('ben'), {
        ...input({ to: { kind: 'user', ref: 'zed' } }),
        due: { at: '2026-12-31T17:00:00Z' },
      });
      assert.equal(h.assignee?.name, 'Zed Example');
      const d = await kit.service.decline(kit.ctx('zed'), h.id, 'wrong person');
      assert.equal(d.to.name, 'Ben Example');
      assert.ok((await kit.service.mine(kit.ctx('ben'))).some((x) => x.id === h.id));
      await assert.rejects(kit.service.create(kit.ctx('ben'), input({ kind: 'Intake Incomplete' })), {
        code: 'VALIDATION_FAILED',
      });
      await assert.rejects(kit.service.create(kit.ctx('ben'), input({ to: { kind: 'user', ref: 'nobody' } })), {
        code: 'STAFF_UNKNOWN',
      });
      await assert.rejects(kit.service.create(kit.ctx('ben'), input({ to: { kind: 'pool', ref: 'south-desk' } })), {
        code: 'POOL_UNKNOWN',
      });
      // The administrator reads no PHI: neither raises nor sees handoffs.
      await assert.rejects(kit.service.create(kit.ctx('ada'), input()), { code: 'FORBIDDEN' });
      await assert.rejects(kit.service.show(kit.ctx('ada'), h.id), { code: 'NOT_FOUND' });
      await assert.rejects(kit.service.setPolicy(kit.ctx('ben'), 'north', 'intake.incomplete', []), {
        code: 'FORBIDDEN',
      });
    });

    it('raised twice with one key (a workflow effect run again after a crash): one handoff, audited once', async () => {
      const first = await kit.service.create(kit.system, input({ key: 'effect:wf-1/3/0' }));
      const again = await kit.service.create(kit.system, input({ key: 'effect:wf-1/3/0', ask: 'changed' }));
      assert.equal(again.id, first.id);
      assert.equal(again.ask, first.ask);
      const rows = await db.query<{ n: number }>(`select count(*)::int as n from handoffs where source_key = $1`, [
        'effect:wf-1/3/0',
      ]);
      assert.equal(rows.rows[0]?.n, 1);
      const audited = await db.query<{ n: number }>(
        `select count(*)::int as n from audit_log where event = 'phi.create' and entry like $1`,
        [`%${first.id}%`],
      );
      assert.equal(audited.rows[0]?.n, 1);
    });

    it('raised twice with one key at the same moment (two effects in flight): one handoff, both answered, audited once', async () => {
      const key = 'effect:wf-2/1/0';
      // Both pass the "raised before?" read before either inserts: the second meets the first's row.
      const [a, b] = await Promise.all([
        kit.service.create(kit.system, input({ key })),
        kit.service.create(kit.system, input({ key, ask: 'the same, again' })),
      ]);
      assert.equal(a.id, b.id);
      const rows = await db.query<{ n: number }>(`select count(*)::int as n from handoffs where source_key = $1`, [
        key,
      ]);
      assert.equal(rows.rows[0]?.n, 1);
      const audited = await db.query<{ n: number }>(
        `select count(*)::int as n from audit_log where event = 'phi.create' and entry like $1`,
        [`%${a.id}%`],
      );
      assert.equal(audited.rows[0]?.n, 1);
    });

    it("a workflow's handoff: its owner resolved (person, else the site's pool, else a role), its moves signalled to it, closed by its raiser once", async () => {
      const raiser = handoffRaiser({
        service: kit.service,
        ctx: () => Promise.resolve(kit.system),
        ownerAt: (_site, owner) => Promise.resolve(owner.ref === 'Practitioner/ben' ? kit.ids['ben'] : undefined),
        ownerPoolOf: (site) => Promise.resolve(site === 'north' ? 'north-desk' : undefined),
      });
      const request = (key: string, ref: string | null) => ({
        site: 'north',
        kind: 'referral.overdue',
        subject: { kind: 'referral' as const, id: '5a0c3c1e-2f4a-4b6c-8d0e-1f2a3b4c5d6e' },
        owner: { connectionId: null, ref, identifier: null },
        ask: 'Referral overdue: not received by its due date.',
        key,
      });
      const watcher = await kit.service.create(kit.system, input({ key: 'watcher' }));
      const toBen = await raiser.raise({
        ...request('referral:wf-9:overdue-received:1', 'Practitioner/ben'),
        notify: { type: 'handoff', key: `handoff:${watcher.id}` },
      });
      assert.deepEqual(toBen.to, { kind: 'user', ref: kit.ids['ben'] });
      assert.equal(toBen.owner, true);
      const toPool = await raiser.raise(request('referral:wf-9:overdue-received:2', 'Practitioner/unknown'));
      assert.deepEqual([toPool.to, toPool.owner], [{ kind: 'pool', ref: 'north-desk' }, false]);
      const none = handoffRaiser({ service: kit.service, ctx: () => Promise.resolve(kit.system) });
      const toRole = await none.raise({
        ...request('referral:wf-9:overdue-received:3', null),
        fallbackRole: 'front_desk',
      });
      assert.deepEqual(toRole.to, { kind: 'role', ref: 'front_desk' });

      // Ben accepts: the raising workflow hears it (a signal in its inbox, in the same transaction).
      await kit.service.accept(kit.ctx('ben'), toBen.handoffId);
      const heard = await db.query<{ payload: Record<string, unknown> }>(
        `select i.payload from workflow_inbox i join workflow_instances w on w.id = i.workflow_id
          where w.correlation_key = $1 and i.name = 'handoff.moved'`,
        [`handoff:${watcher.id}`],
      );
      assert.deepEqual(
        heard.rows.map((r) => r.payload),
        [
          {
            handoffId: toBen.handoffId,
            key: 'referral:wf-9:overdue-received:1',
            event: 'accepted',
            status: 'accepted',
            assignee: { id: kit.ids['ben'], name: 'Ben Example' },
          },
        ],
      );
      // Its stage was reached: the raiser closes it, done, once; nobody else may; an unknown key waits.
      await assert.rejects(
        kit.service.closeRaised(kit.ctx('ben'), 'referral:wf-9:overdue-received:1', 'stage-reached'),
        {
          code: 'HANDOFF_NOT_YOURS',
        },
      );
      const closed = await raiser.close?.('referral:wf-9:overdue-received:1', 'stage-reached');
      assert.deepEqual(closed, { closed: true, handoffId: toBen.handoffId });
      assert.deepEqual(await raiser.close?.('referral:wf-9:overdue-received:1', 'stage-reached'), {
        closed: false,
        handoffId: toBen.handoffId,
      });
      await assert.rejects(kit.service.closeRaised(kit.system, 'referral:wf-9:not-raised', 'stage-reached'), {
        code: 'HANDOFF_PENDING',
      });
      const shown = await kit.service.show(kit.ctx('ben'), toBen.handoffId);
      assert.equal(shown.status, 'done');
      assert.deepEqual(
        shown.history.map((e) => [e.event, e.actor.name, e.detail]),
        [
          ['offered', 'steward-workflows', { to: { kind: 'user', ref: kit.ids['ben'] }, steps: 0 }],
          ['accepted', 'Ben Example', {}],
          ['done', 'steward-workflows', { closedBy: 'raiser', reason: 'stage-reached' }],
        ],
      );
      assert.ok(!(await kit.service.mine(kit.ctx('ben'))).some((h) => h.id === toBen.handoffId), 'off his work');
      // Another, not done in time: its policy escalates it to Ben's lead, and the raising workflow hears that too.
      const late = await raiser.raise({
        ...request('referral:wf-9:overdue-scheduled:1', 'Practitioner/ben'),
        notify: { type: 'handoff', key: `handoff:${watcher.id}` },
      });
      const fired = await kit.service.escalate(
        kit.system,
        {
          handoffId: late.handoffId,
          step: 1,
          condition: 'not-done',
          policyAt: new Date().toISOString(),
          target: { kind: 'lead' },
        },
        'test-escalation',
      );
      assert.equal(fired.fired, true);
      const escalated = await db.query<{ payload: Record<string, unknown> }>(
        `select i.payload from workflow_inbox i join workflow_instances w on w.id = i.workflow_id
          where w.correlation_key = $1 and i.name = 'handoff.moved' and i.payload->>'event' = 'escalated'`,
        [`handoff:${watcher.id}`],
      );
      assert.deepEqual(
        escalated.rows.map((r) => r.payload),
        [
          {
            handoffId: late.handoffId,
            key: 'referral:wf-9:overdue-scheduled:1',
            event: 'escalated',
            status: 'offered',
            assignee: { id: kit.ids['lena'], name: 'Lena Example' },
          },
        ],
      );
    });

    it('escalates per policy in business hours across the DST weekend, once, stopped by acceptance', async () => {
      const admin = kit.ctx('ada');
      await kit.rotas.set(admin, 'north', 'north-oncall', [
        { user: 'otto', start: '2026-10-30T12:00:00Z', end: '2026-10-31T12:00:00Z' },
        { user: 'pia', start: '2026-10-31T12:00:00Z', end: '2026-11-03T12:00:00Z' },
      ]);
      const policy = await kit.service.setPolicy(admin, 'north', 'referral.next-step', [
        {
          condition: 'not-accepted',
          delay: { amount: 30, unit: 'minutes', business: true },
          target: { kind: 'pool', ref: 'north-leads' },
        },
        { condition: 'not-done', delay: { amount: 2, unit: 'hours', business: true }, target: { kind: 'lead' } },
        {
          condition: 'not-done',
          delay: { amount: 1, unit: 'days', business: false },
          target: { kind: 'rota', ref: 'north-oncall' },
        },
      ]);
      assert.equal(policy.version, 1);
      await assert.rejects(kit.service.setPolicy(admin, 'north', 'referral.next-step', [], 0), {
        code: 'VERSION_CONFLICT',
      });
      const start = clock.now().getTime();
      const kind = 'referral.next-step';
      const watched = await kit.service.create(kit.system, input({ kind, due: { businessDays: 2 } }));
      const stopped = await kit.service.create(kit.system, input({ kind, due: { businessDays: 2 } }));
      assert.equal(watched.from.name, 'steward-workflows');
      await worker.drain();
      await advance(10 * MIN);
      await kit.service.accept(kit.ctx('cleo'), stopped.id);
      await advance(20 * MIN); // 16:30 EDT: the not-accepted step fires for `watched` only
      const w1 = await kit.service.show(kit.ctx('lena'), watched.id);
      const esc = w1.history.filter((e) => e.event === 'escalated');
      assert.equal(esc.length, 1);
      assert.deepEqual(w1.to, { kind: 'pool', id: 'north-leads', name: 'north-leads' });
      assert.ok(
        (await kit.service.mine(kit.ctx('lena'))).some((x) => x.id === watched.id),
        'in the lead pool’s queue',
      );
      const s1 = await kit.service.show(kit.ctx('lena'), stopped.id);
      assert.equal(s1.history.filter((e) => e.event === 'escalated').length, 0, 'acceptance stopped it');
      // Saturday 16:00 EDT: one clock day later, the on-call person then (otto until 12:00Z, pia after).
      await advance(start + 24 * 60 * MIN - clock.now().getTime());
      // Monday 09:00 EST (the second business hour: one Friday 16:00–17:00, one Monday 08:00–09:00).
      await advance(Date.parse('2026-11-02T14:00:00Z') - clock.now().getTime());
      const rows = await db.query<{
        handoff_id: string;
        step: number;
        policy_at: Date;
        fired_at: Date;
        target: { resolved: { id: string } | null };
      }>(
        `select handoff_id::text as handoff_id, step, policy_at, fired_at, target from handoff_escalations
         where handoff_id = any($1::uuid[]) order by handoff_id, step`,
        [[watched.id, stopped.id]],
      );
      const of = (id: string) =>
        rows.rows
          .filter((r) => r.handoff_id === id)
          .map((r) => [r.step, r.policy_at.toISOString(), r.fired_at.toISOString()]);
      assert.deepEqual(of(watched.id), [
        [0, '2026-10-30T20:30:00.000Z', '2026-10-30T20:30:00.000Z'],
        [1, '2026-11-02T14:00:00.000Z', '2026-11-02T14:00:00.000Z'],
        [2, '2026-10-31T20:00:00.000Z', '2026-10-31T20:00:00.000Z'],
      ]);
      assert.deepEqual(
        of(stopped.id).map((r) => r[0]),
        [1, 2],
        'accepted: only the not-done steps',
      );
      const onCall = rows.rows.find((r) => r.handoff_id === watched.id && r.step === 2);
      assert.equal(onCall?.target.resolved?.id, kit.ids['pia']);
      const lead = rows.rows.find((r) => r.handoff_id === stopped.id && r.step === 1);
      assert.equal(lead?.target.resolved?.id, kit.ids['lena'], 'the holder’s (cleo’s) lead');
      // The deadline (two business days: Tuesday 16:00 EST) expires both; overdue comes first in the queue.
      await advance(Date.parse('2026-11-03T21:00:01Z') - clock.now().getTime());
      const w2 = await kit.service.show(kit.ctx('lena'), watched.id);
      assert.equal(w2.status, 'expired');
      assert.equal(w2.overdue, true);
      const queue = await kit.service.mine(kit.ctx('lena'));
      assert.equal(queue[0]?.overdue, true);
      const done = await kit.service.done(kit.ctx('cleo'), stopped.id);
      assert.equal(done.status, 'done');
      // Each step once: the engine replays equal and nothing is left to fire.
      const audited = await db.query<{ n: number }>(
        `select count(*)::int as n from audit_log where event = 'phi.update' and entry like '%handoff_escalated%'
           and (entry like '%' || $1 || '%' or entry like '%' || $2 || '%')`,
        [watched.id, stopped.id],
      );
      assert.equal(audited.rows[0]?.n, 5);
    });

    it('an on-call rota: set whole with a version, read by name, refused for unknown staff', async () => {
      const admin = kit.ctx('ada');
      const r = await kit.rotas.get(kit.ctx('ben'), 'north', 'north-oncall');
      assert.deepEqual(
        r.shifts.map((s) => s.user.displayName),
        ['Otto Example', 'Pia Example'],
      );
      await assert.rejects(
        kit.rotas.set(admin, 'north', 'north-oncall', [
          { user: 'nobody', start: '2026-11-01T00:00:00Z', end: '2026-11-02T00:00:00Z' },
        ]),
        { code: 'STAFF_UNKNOWN' },
      );
      await assert.rejects(
        kit.rotas.set(admin, 'north', 'north-oncall', [
          { user: 'otto', start: '2026-11-02T00:00:00Z', end: '2026-11-01T00:00:00Z' },
        ]),
        { code: 'VALIDATION_FAILED' },
      );
      await assert.rejects(kit.rotas.set(admin, 'north', 'north-oncall', [], 7), { code: 'VERSION_CONFLICT' });
      await assert.rejects(kit.rotas.set(kit.ctx('ben'), 'north', 'north-oncall', []), { code: 'FORBIDDEN' });
      assert.equal(
        await kit.rotas.onCallAt('north', 'north-oncall', new Date('2026-10-30T13:00:00Z')),
        kit.ids['otto'],
      );
      assert.equal(await kit.rotas.onCallAt('north', 'north-oncall', new Date('2026-12-30T13:00:00Z')), undefined);
    });
  });
}

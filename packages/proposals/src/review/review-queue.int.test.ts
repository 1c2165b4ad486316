import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestContext } from '@steward/core';
import { storeTargets } from '@steward/store/testing';
import {
  appointmentStatusDraft,
  bookedAppointment,
  openProposalKit,
  patientFor,
  type ProposalKit,
} from '../test-kit.js';
import type { ProposalSummary } from '../model/index.js';

const OTHER_PATIENT = '33333333-3333-4333-8333-333333333333';

for (const target of storeTargets()) {
  describe(`the review queue on ${target.name}`, { skip: target.skip }, () => {
    let k: ProposalKit;
    let workflow: RequestContext;
    let lead: RequestContext;
    let reviewer: RequestContext;
    const drafted: ProposalSummary[] = [];

    before(async () => {
      k = await openProposalKit(await target.open());
      workflow = await k.as('queue-workflow', 'automation', '*');
      lead = await k.as('lead', 'coordinator', '*');
      reviewer = await k.as('coord-north', 'coordinator', 'north');
      for (let i = 0; i < 23; i++) {
        const a = k.ehr.put(bookedAppointment(i % 4 === 0 ? 'p2' : 'p1'));
        const base = appointmentStatusDraft(a.resource, a.versionId, 'cancelled');
        drafted.push(
          await k.desk.draft(workflow, {
            ...base,
            site: i % 3 === 0 ? 'south' : 'north',
            workflow: i % 2 === 0 ? 'no-show-follow-up' : 'referral-tracking',
            patient: i % 4 === 0 ? patientFor('p2', OTHER_PATIENT) : base.patient,
            priority: (i % 5) + 1,
            // Some have no due time: they sort last within their priority.
            ...(i % 6 === 5 ? {} : { dueAt: new Date(Date.UTC(2026, 11, 1 + (i % 7), 9)) }),
          }),
        );
      }
    });
    after(async () => k?.close());

    const all = async (
      ctx: RequestContext,
      query: Parameters<ProposalKit['desk']['list']>[1],
    ): Promise<ProposalSummary[]> => {
      const out: ProposalSummary[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 50; pages++) {
        const page = await k.desk.list(ctx, { ...query, limit: 4, ...(cursor !== undefined ? { cursor } : {}) });
        out.push(...page.items);
        if (page.next === undefined) return out;
        cursor = page.next;
      }
      throw new Error('the queue did not end');
    };

    const due = (p: ProposalSummary): number => p.dueAt?.getTime() ?? Number.MAX_SAFE_INTEGER;
    const expectedOrder = (ps: ProposalSummary[]): string[] =>
      [...ps]
        .sort((a, b) => a.priority - b.priority || due(a) - due(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((p) => p.id);

    it('pages the whole queue by priority, then due time, by keyset, once each', async () => {
      const seen = await all(lead, {});
      assert.deepEqual(
        seen.map((p) => p.id),
        expectedOrder(drafted),
      );
    });

    it('filters by site, workflow, patient (by id or by identifier), action type and assignee', async () => {
      const north = await all(reviewer, { site: 'north' });
      assert.deepEqual(
        north.map((p) => p.id),
        expectedOrder(drafted.filter((p) => p.site === 'north')),
      );
      const wf = await all(lead, { workflow: 'referral-tracking' });
      assert.deepEqual(
        wf.map((p) => p.id),
        expectedOrder(drafted.filter((p) => p.workflow === 'referral-tracking')),
      );
      const byPatient = await all(lead, { patientId: OTHER_PATIENT });
      assert.equal(byPatient.length, drafted.filter((p) => p.patientId === OTHER_PATIENT).length);
      const byIdentifier = await all(lead, { patientIdentifier: patientFor('p2').identifiers[0]! });
      assert.deepEqual(
        byIdentifier.map((p) => p.id),
        byPatient.map((p) => p.id),
      );
      assert.equal((await all(lead, { actionType: 'task.create' })).length, 0);
      assert.equal((await all(lead, { actionType: 'appointment.status' })).length, drafted.length);

      const mine = drafted.filter((p) => p.site === 'north').slice(0, 3);
      for (const p of mine) await k.desk.assign(reviewer, p.id, reviewer.actor.id);
      const assigned = await all(reviewer, { site: 'north', assignee: reviewer.actor.id });
      assert.deepEqual(
        assigned.map((p) => p.id),
        expectedOrder(mine),
      );
      await k.audit.flush();
      const audited = await k.db.query<{ n: number }>(
        `select count(*)::int as n from audit_log where event = 'proposal.assigned' and actor_id = $1`,
        [reviewer.actor.id],
      );
      assert.equal(audited.rows[0]?.n, mine.length, 'each assignment is audited');
    });

    it('lists other statuses on request, and refuses a cursor it did not make', async () => {
      const p = drafted[1]!;
      await k.desk.reject(lead, p.id, 'duplicate');
      const pending = await all(lead, {});
      assert.ok(!pending.some((x) => x.id === p.id));
      const rejected = await all(lead, { status: 'rejected' });
      assert.deepEqual(
        rejected.map((x) => x.id),
        [p.id],
      );
      await assert.rejects(k.desk.list(lead, { cursor: 'not-a-cursor' }), { code: 'VALIDATION_FAILED' });
    });

    it('serves each console filter from its own index, in queue order, without sorting', async () => {
      for (const [filter, index] of [
        [`site = 'north'`, 'proposals_pending_site'],
        [`workflow = 'referral-tracking'`, 'proposals_pending_workflow'],
        [`action_type = 'appointment.status'`, 'proposals_pending_action'],
        [`assignee_id = '${reviewer.actor.id}'`, 'proposals_pending_assignee'],
        [`patient_id = '${OTHER_PATIENT}'`, 'proposals_pending_patient'],
      ] as const) {
        const plan = await k.db.transaction(async (tx) => {
          // A tiny table is cheaper to scan; forbid that, to see which index serves the query.
          await tx.query('set local enable_seqscan = off');
          const { rows } = await tx.query<Record<string, string>>(
            `explain select * from proposals where status = 'pending_review' and ${filter}
              and (priority, due_at, id) > (1::smallint, now(), '00000000-0000-4000-8000-000000000000'::uuid)
              order by priority, due_at, id limit 50`,
          );
          return rows.map((r) => Object.values(r).join(' ')).join('\n');
        });
        assert.match(plan, new RegExp(index), `${filter}: ${plan}`);
        assert.doesNotMatch(plan, /Sort/, `${filter}: the index gives queue order`);
      }
    });
  });
}

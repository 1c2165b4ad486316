/**
 * Issue 15's proof for site clocks: two sites in different zones (America/Los_Angeles and
 * Europe/Berlin, whose DST changes fall three weeks apart) get follow-up reminders at their own
 * 10:00 and referral due times in their own business days across a DST change, through the real
 * routes, engine and workflows of the built-in catalog; a site without a record keeps the old
 * defaults (America/New_York, calendar days).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Appointment, Resource, ServiceRequest } from '@medplum/fhirtypes';
import { ManualClock } from '@steward/core';
import type { SiteClock } from '@steward/clinic';
import { changeEvents, defaultReferralRules, effectiveRules, emptyOverride, MemoryInboundJournal } from '@steward/ehr';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import { WorkflowEngine, WorkflowWorker, type EffectHandler, type Json } from '../engine/index.js';
import { EventRouter } from '../routing/index.js';
import type { DraftRequest } from '../effects/index.js';
import type { FollowupState } from '../followups/index.js';
import type { ReferralState } from '../referrals/index.js';
import { builtinWorkflowPackages } from './builtin-workflows.js';
import { WorkflowCatalog } from './workflow-catalog.js';

const WEST = '7a1e0c52-0000-4000-8000-00000000000a';
const BERLIN = '7a1e0c52-0000-4000-8000-00000000000b';
const LEGACY = '7a1e0c52-0000-4000-8000-00000000000c';
const siteOfConnection: Record<string, string> = { [WEST]: 'west', [BERLIN]: 'berlin', [LEGACY]: 'legacy' };
const weekdays = { open: '08:00', close: '17:00' };
const hours = { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays, sat: null, sun: null };
const clocks: Record<string, SiteClock> = {
  // Closed Monday 9 March (a staff day), the day after the US change.
  west: { zone: 'America/Los_Angeles', businessHours: hours, holidays: ['2026-03-09'], quietHours: null },
  berlin: {
    zone: 'Europe/Berlin',
    businessHours: hours,
    holidays: ['2026-04-03', '2026-04-06'],
    quietHours: { start: '20:00', end: '08:00' },
  },
};

for (const target of storeTargets()) {
  describe(`site clocks in the built-in workflows on ${target.name}`, { skip: target.skip }, () => {
    let db: TestDatabase;
    before(async () => {
      db = await target.open();
    });
    after(() => db.close());

    it('reminds at each site’s own 10:00 and counts referral due times in each site’s business days across DST', async () => {
      const clock = new ManualClock('2026-03-02T14:00:00Z');
      const drafts: DraftRequest[] = [];
      const draft: EffectHandler = (req) => {
        drafts.push(req.input as unknown as DraftRequest);
        return Promise.resolve({ proposalId: crypto.randomUUID(), status: 'pending_review' } satisfies Json);
      };
      const catalog = new WorkflowCatalog(builtinWorkflowPackages, {
        siteOf: (id) => Promise.resolve(siteOfConnection[id]),
        referralRulesOf: () => Promise.resolve(effectiveRules(defaultReferralRules, emptyOverride)),
        siteClockOf: (site) => Promise.resolve(clocks[site]),
      });
      const engine = new WorkflowEngine({
        db,
        clock,
        definitions: catalog.definitions,
        effects: { 'proposal.draft': draft },
      });
      const worker = new WorkflowWorker(engine, { id: 'w1', batchSize: 16 });
      const journals = new Map([WEST, BERLIN, LEGACY].map((id) => [id, new MemoryInboundJournal()]));
      const router = new EventRouter({
        db,
        engine,
        clock,
        routes: catalog.routes,
        connections: () => Promise.resolve([...journals].map(([id, journal]) => ({ id, journal }))),
      });
      const run = async (): Promise<void> => {
        await router.drain();
        await worker.drain();
      };
      const at = async (iso: string): Promise<void> => {
        clock.advance(Date.parse(iso) - clock.now().getTime());
        await run();
      };
      let n = 0;
      const save = async (connectionId: string, resource: Resource): Promise<void> => {
        const current = { ...resource, meta: { versionId: '1', lastUpdated: clock.now().toISOString() } };
        const events = changeEvents(current, undefined, { connectionId, channel: 'fhir-subscription' });
        await journals.get(connectionId)?.receive(
          {
            connectionId,
            channel: 'fhir-subscription',
            messageKey: `m${++n}`,
            raw: JSON.stringify(current),
            messageType: resource.resourceType,
            receivedAt: clock.now(),
          },
          events,
        );
        await run();
      };
      const state = async <S>(key: string): Promise<S> => {
        const r = await db.query<{ id: string }>('select id from workflow_instances where correlation_key = $1', [key]);
        const id = r.rows[0]?.id;
        assert.ok(id !== undefined, `no workflow ${key}`);
        return (await engine.get(id)).state as S;
      };
      const recheck = (id: string): ServiceRequest => ({
        resourceType: 'ServiceRequest',
        id,
        status: 'active',
        intent: 'order',
        category: [{ text: 'follow-up' }],
        code: { text: 'recheck' },
        subject: { reference: 'Patient/p1' },
        occurrenceDateTime: '2026-04-15T00:00:00Z',
      });
      const appointment = (id: string, order: string, start: string): Appointment => ({
        resourceType: 'Appointment',
        id,
        status: 'booked',
        start,
        basedOn: [{ reference: `ServiceRequest/${order}` }],
        participant: [{ actor: { reference: 'Patient/p1' }, status: 'accepted' }],
      });
      const referral = (id: string): ServiceRequest => ({
        resourceType: 'ServiceRequest',
        id,
        status: 'active',
        intent: 'order',
        priority: 'routine',
        category: [{ coding: [{ system: 'http://snomed.info/sct', code: '3457005', display: 'Patient referral' }] }],
        code: { text: 'Referral to Cardiology' },
        subject: { reference: 'Patient/p1' },
        requester: { reference: 'Practitioner/pcp-1' },
        performer: [{ reference: 'Organization/card-org' }],
      });

      // Follow-ups: each site books a visit after its own spring-forward change.
      await save(WEST, recheck('rc-w'));
      await save(BERLIN, recheck('rc-b'));
      await save(LEGACY, recheck('rc-l'));
      await save(WEST, appointment('a-w', 'rc-w', '2026-03-10T09:00:00-07:00'));
      await save(BERLIN, appointment('a-b', 'rc-b', '2026-04-01T09:00:00+02:00'));
      await save(LEGACY, appointment('a-l', 'rc-l', '2026-03-10T09:00:00-04:00'));
      const reminders = async (conn: string, order: string): Promise<[number, string][]> =>
        (await state<FollowupState>(`followup:${conn}:ServiceRequest:${order}`)).reminders.map((r) => [
          r.offsetDays,
          r.dueAt,
        ]);
      assert.deepEqual(await reminders(WEST, 'rc-w'), [
        [7, '2026-03-03T18:00:00.000Z'], // 10:00 PST
        [1, '2026-03-09T17:00:00.000Z'], // 10:00 PDT
      ]);
      assert.deepEqual(await reminders(BERLIN, 'rc-b'), [
        [7, '2026-03-25T09:00:00.000Z'], // 10:00 CET
        [1, '2026-03-31T08:00:00.000Z'], // 10:00 CEST
      ]);
      assert.deepEqual(await reminders(LEGACY, 'rc-l'), [
        [7, '2026-03-03T15:00:00.000Z'], // not configured: New York's 10:00 (EST), as before sites
        [1, '2026-03-09T14:00:00.000Z'],
      ]);

      // Each reminder is drafted when its site's 10:00 comes, carrying the site's zone.
      await at('2026-03-03T17:59:59Z');
      const sent = (): DraftRequest[] => drafts.filter((d) => d.action === 'reminder.send');
      assert.deepEqual(
        sent().map((d) => d.connectionId),
        [LEGACY],
      );
      await at('2026-03-03T18:00:00Z');
      assert.deepEqual(
        sent().map((d) => [d.connectionId, (d.payload as Record<string, unknown>)['zone']]),
        [
          [LEGACY, 'America/New_York'],
          [WEST, 'America/Los_Angeles'],
        ],
      );

      // Referrals sent on the Friday before each site's change: received is due in 2 business days.
      await at('2026-03-06T18:00:00Z'); // Friday 10:00 PST
      await save(WEST, referral('sr-w'));
      await save(LEGACY, referral('sr-l'));
      const due = async (conn: string, id: string): Promise<string | undefined> =>
        (await state<ReferralState>(`referral:${conn}:${id}`)).due['received'];
      // Sat, Sun, Mon 9 March (closed): Tuesday is 1, Wednesday 11 March is 2, at 10:00 PDT.
      assert.equal(await due(WEST, 'sr-w'), '2026-03-11T17:00:00.000Z');
      // No record: 48 hours, on a Sunday, as before sites.
      assert.equal(await due(LEGACY, 'sr-l'), '2026-03-08T18:00:00.000Z');

      await at('2026-03-27T09:00:00Z'); // Friday 10:00 CET
      await save(BERLIN, referral('sr-b'));
      // Monday 30 March is 1, Tuesday 31 March is 2, at 10:00 CEST (71 + 24 hours later).
      assert.equal(await due(BERLIN, 'sr-b'), '2026-03-31T08:00:00.000Z');
      const berlin = await state<ReferralState>(`referral:${BERLIN}:sr-b`);
      assert.deepEqual(berlin.calendar?.holidays, ['2026-04-03', '2026-04-06']);
      // Overdue on Tuesday: a handoff raised for the owner, due 2 business days later, Thursday 2
      // April at 10:00 CEST (version 2: the handoff's escalation policy takes it to the lead from there).
      await at('2026-03-31T08:00:00Z');
      assert.equal(berlin.awaiting, 'received');
      const raised = await db.query<{ input: { kind: string; due: { at: string } } }>(
        `select input from workflow_effects where kind = 'handoff.raise'
           and workflow_id = (select id from workflow_instances where correlation_key = $1)`,
        [`referral:${BERLIN}:sr-b`],
      );
      assert.deepEqual(
        raised.rows.map((r) => [r.input.kind, r.input.due.at]),
        [['referral.overdue', '2026-04-02T08:00:00.000Z']],
      );
    });
  });
}

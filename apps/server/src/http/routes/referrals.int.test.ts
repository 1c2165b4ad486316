/**
 * /referrals and /reports/referrals over HTTP on both stores, with referral workflows seeded
 * through the engine: filters, paging, the figures, and `phi.search` enforced at the site (a
 * north grant reads north, not south and not every site; a role without phi.search reads nothing);
 * the leakage filter; one referral's stages and history, not-found out of scope, audited as a read.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { flowTargets } from '@steward/store/testing';
import {
  referralWorkflowV1,
  WorkflowEngine,
  WorkflowWorker,
  type ReferralFigures,
  type ReferralListItem,
  type ReferralSignalPayload,
  type ReferralStartPayload,
} from '@steward/workflows';
import { bearer, openTestApp, principalWith, type TestApp, type TestPrincipal } from '../../testing.js';
import type { ReferralDetail } from './referrals.js';

const CONN = '44444444-4444-4444-8444-444444444444';
let events = 0;
const eventId = (): string => `55555555-5555-4555-8555-${String(++events).padStart(12, '0')}`;

for (const target of flowTargets()) {
  describe(`the referrals API on ${target.name}`, { skip: target.skip }, () => {
    let t: TestApp;
    let engine: WorkflowEngine;
    let worker: WorkflowWorker;
    let north: TestPrincipal;
    let everywhere: TestPrincipal;
    let auditor: TestPrincipal;

    const start = async (site: string, sr: string): Promise<void> => {
      const at = t.clock.now().toISOString();
      const payload: ReferralStartPayload = {
        eventId: eventId(),
        occurredAt: at,
        connectionId: CONN,
        site,
        serviceRequest: `ServiceRequest/${sr}`,
        status: 'active',
        priority: 'routine',
        requester: 'Practitioner/pcp',
        performers: [{ kind: 'Organization', ref: 'Organization/card', systems: [] }],
      };
      await engine.start('referral', `referral:${CONN}:${sr}`, payload);
      await worker.drain();
      t.clock.advance(60_000); // distinct creation times (newest first breaks ties in the work-queue order)
    };
    const signal = async (sr: string, name: string, status: string): Promise<void> => {
      const payload: ReferralSignalPayload = {
        eventId: eventId(),
        eventType: `${name}.updated`,
        occurredAt: t.clock.now().toISOString(),
        status,
        ref: null,
        start: null,
        participants: [],
      };
      await engine.signal(`referral:${CONN}:${sr}`, name, payload);
      await worker.drain();
    };

    before(async () => {
      if (target.skip !== undefined) return;
      t = await openTestApp(await target.open());
      engine = new WorkflowEngine({
        db: t.db,
        clock: t.clock,
        // Version 1 (Task proposals for overdue stages): the API reads what those referrals drafted.
        definitions: [referralWorkflowV1],
        effects: { 'proposal.draft': (r) => Promise.resolve({ proposalId: r.key, status: 'pending_review' }) },
      });
      worker = new WorkflowWorker(engine, { id: 'test' });
      north = await principalWith(t.kernel, 'coord-north', { role: 'coordinator', site: 'north' });
      everywhere = await principalWith(t.kernel, 'coord-all', { role: 'coordinator' });
      auditor = await principalWith(t.kernel, 'auditor', { role: 'compliance_officer' });
      await start('north', 'n1');
      await start('north', 'n2');
      await start('south', 's1');
      t.clock.advance(3_600_000);
      await signal('n1', 'task', 'received');
      await signal('n2', 'referral', 'revoked');
      t.clock.advance(3 * 86_400_000); // s1 is now overdue for receipt; n1 overdue for acceptance
      await worker.drain();
      await start('east', 'e1'); // sent just now: due for receipt in two days, not overdue
    });
    after(async () => t?.close());

    const get = async (p: TestPrincipal, url: string) => t.app.inject({ method: 'GET', url, headers: bearer(p) });

    it('lists referrals at a site, by stage and overdue, what needs action first, by page', async () => {
      let r = await get(north, '/referrals?site=north');
      assert.equal(r.statusCode, 200);
      const items = r.json<{ items: ReferralListItem[] }>().items;
      assert.deepEqual(
        items.map((i) => [i.serviceRequest, i.stage, i.status, i.leaked]),
        [
          ['ServiceRequest/n1', 'received', 'running', null],
          ['ServiceRequest/n2', 'sent', 'completed', 'cancelled'],
        ],
        'the overdue one before the newer one that ended',
      );
      r = await get(north, '/referrals?site=north&stage=received&overdue=true');
      const overdue = r.json<{ items: ReferralListItem[] }>().items;
      assert.deepEqual(
        overdue.map((i) => [i.serviceRequest, i.overdue, i.proposalIds.length]),
        [['ServiceRequest/n1', 'accepted', 2]],
      );
      // Everywhere: overdue first, the most overdue first (s1 was due for receipt before n1 for
      // acceptance, though n1 is older), then the open one due next, then the ended one.
      const whole = (await get(everywhere, '/referrals')).json<{ items: ReferralListItem[] }>().items;
      assert.deepEqual(
        whole.map((i) => [i.serviceRequest, i.overdue]),
        [
          ['ServiceRequest/s1', 'received'],
          ['ServiceRequest/n1', 'accepted'],
          ['ServiceRequest/e1', null],
          ['ServiceRequest/n2', null],
        ],
      );
      assert.ok(Date.parse(whole[0]!.dueAt!) < Date.parse(whole[1]!.dueAt!), 's1 is the more overdue');
      // Paged by one or by three, the cursor walks the same order: nothing skipped, nothing twice.
      for (const limit of [1, 3]) {
        const walked: (string | null)[] = [];
        let cursor: string | undefined;
        for (let pages = 0; pages < 10; pages++) {
          r = await get(everywhere, `/referrals?limit=${limit}${cursor !== undefined ? `&cursor=${cursor}` : ''}`);
          assert.equal(r.statusCode, 200);
          const page = r.json<{ items: ReferralListItem[]; next?: string }>();
          assert.ok(page.items.length <= limit);
          walked.push(...page.items.map((i) => i.serviceRequest));
          cursor = page.next;
          if (cursor === undefined) break;
        }
        assert.deepEqual(
          walked,
          whole.map((i) => i.serviceRequest),
          `pages of ${limit}`,
        );
      }
      // A cursor this list did not give is refused, naming the field.
      const bad = Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', 'x'])).toString('base64url');
      r = await get(everywhere, `/referrals?cursor=${bad}`);
      assert.equal(r.statusCode, 400);
      assert.match(r.body, /cursor/);
    });

    it('reports figures for a site and a window', async () => {
      const r = await get(everywhere, '/reports/referrals?site=north');
      assert.equal(r.statusCode, 200);
      const f = r.json<ReferralFigures>();
      assert.equal(f.total, 2);
      assert.equal(f.byStage.received, 1);
      assert.equal(f.byStage.sent, 1);
      assert.equal(f.overdue, 1);
      assert.equal(f.leakage.byReason.cancelled.count, 1);
      assert.equal(f.leakage.rate, 0.5);
      assert.equal(f.closureRate, 0);
      assert.deepEqual(f.timeInStage.sent, { count: 1, medianHours: 1.05, p90Hours: 1.05 }, 'n1: 3 min + 1 h');
      const all = (await get(everywhere, '/reports/referrals')).json<ReferralFigures>();
      assert.equal(all.total, 4, 'north, south and east');
      const since = new Date(t.clock.now().getTime() + 1000).toISOString();
      const none = (
        await get(everywhere, `/reports/referrals?since=${encodeURIComponent(since)}`)
      ).json<ReferralFigures>();
      assert.equal(none.total, 0);
    });

    it('filters leaked referrals, by any reason or one', async () => {
      const refs = async (q: string): Promise<(string | null)[]> =>
        (await get(north, `/referrals?site=north${q}`))
          .json<{ items: ReferralListItem[] }>()
          .items.map((i) => i.serviceRequest);
      assert.deepEqual(await refs('&leaked=true'), ['ServiceRequest/n2']);
      assert.deepEqual(await refs('&leaked=cancelled'), ['ServiceRequest/n2']);
      assert.deepEqual(await refs('&leaked=never-scheduled'), []);
      assert.deepEqual(await refs('&leaked=false'), ['ServiceRequest/n1']);
      assert.equal((await get(north, '/referrals?site=north&leaked=lost')).statusCode, 400);
    });

    it('names the referral’s patient for a coordinator at its site, and not for a compliance officer', async () => {
      const all = (await get(everywhere, '/referrals?site=north')).json<{ items: ReferralListItem[] }>().items;
      const n1 = all.find((i) => i.serviceRequest === 'ServiceRequest/n1')!;
      // The journal filed the referral's first event under a Steward patient (as ingest does).
      const { rows } = await t.db.query<{ event: string }>(
        `select state->>'patientEventId' as event from workflow_instances where id = $1`,
        [n1.workflowId],
      );
      const patientId = await t.kernel.patients.resolve(
        { actor: { kind: 'user', id: north.id, name: 'coord-north', authMethod: 'api-token' } },
        {
          connectionId: CONN,
          site: 'north',
          identifiers: [{ system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN-9040' }],
          demographics: { name: { family: 'Okafor', given: ['Ben'] }, birthDate: '1955-11-30' },
        },
      );
      await t.db.query(
        `insert into ehr_connections (id, name, site, vendor, facility_time_zone, created_at, updated_at)
         values ($1, 'north-feed', 'north', 'generic-r4', 'America/New_York', now(), now())`,
        [CONN],
      );
      await t.db.query(
        `insert into ehr_events (id, connection_id, type, dedup_key, occurred_at, data_enc, recorded_at, patient_id)
         values ($1, $2, 'referral.created', 'test:n1', now(), '\\x00', now(), $3)`,
        [rows[0]?.event, CONN, patientId],
      );
      type Labelled = ReferralListItem & { patientLabel?: Record<string, string> };
      const listed = (await get(north, '/referrals?site=north')).json<{ items: Labelled[] }>().items;
      assert.deepEqual(listed.find((i) => i.workflowId === n1.workflowId)?.patientLabel, {
        id: patientId,
        name: 'Okafor, Ben',
        birthDate: '1955-11-30',
      });
      assert.equal(listed.find((i) => i.serviceRequest === 'ServiceRequest/n2')?.patientLabel, undefined);
      const detail = (await get(everywhere, `/referrals/${n1.workflowId}`)).json<Labelled>();
      assert.equal(detail.patientLabel?.name, 'Okafor, Ben');
      const audited = await t.db.query<{ n: string }>(
        `select count(*) as n from audit_log where event = 'phi.read' and actor_id = $1 and $2 = any(patient_ids)`,
        [north.id, patientId],
      );
      assert.equal(Number(audited.rows[0]?.n), 1, 'the list showing the patient was one read naming them');
      // A proposal the referral's workflow drafted (no Steward patient of its own) names the same patient.
      const flow = await principalWith(t.kernel, 'referral-flow', { role: 'automation' });
      await t.kernel.proposals.draft(
        { actor: { kind: 'service', id: flow.id, name: 'referral-flow', authMethod: 'api-token' } },
        {
          action: 'task.create',
          connectionId: CONN,
          site: 'north',
          workflow: 'referral',
          correlationId: n1.correlationKey,
          patient: {
            ehrId: 'p-9040',
            identifiers: [
              { system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN-9040' },
              { system: 'urn:oid:2.16.840.1.113883.19.9', value: 'E-9040' },
            ],
          },
          target: { resourceType: 'Task' },
          payload: { resourceType: 'Task', status: 'requested', intent: 'order' },
          evidence: { eventIds: [], resources: [], reasonCode: 'referral-not-received' },
        },
      );
      const queue = (await get(north, '/review?site=north&workflow=referral')).json<{ items: Labelled[] }>().items;
      assert.equal(queue[0]?.patientLabel?.name, 'Okafor, Ben');
      const officer = (await get(auditor, '/referrals?site=north')).statusCode;
      assert.equal(officer, 403, 'a compliance officer reads no referral list, so no patient either');
    });

    it("opens a patient's page: their referrals, proposals and EHR events, audited, and not found out of scope", async () => {
      const all = (await get(everywhere, '/referrals?site=north')).json<{ items: ReferralListItem[] }>().items;
      const n1 = all.find((i) => i.serviceRequest === 'ServiceRequest/n1')!;
      const { rows } = await t.db.query<{ event: string; patient: string }>(
        `select e.id::text as event, e.patient_id::text as patient from workflow_instances w
           join ehr_events e on e.id::text = w.state->>'patientEventId' where w.id = $1`,
        [n1.workflowId],
      );
      const [{ event, patient } = { event: '', patient: '' }] = rows;
      // The event filed by the test above, sealed as the journal seals it.
      const input = {
        type: 'referral.created',
        connectionId: CONN,
        channel: 'fhir',
        dedupKey: 'test:n1',
        occurredAt: '2026-03-02T15:00:00Z',
        patient: { identifiers: [] },
        facts: { kind: 'Referral', identifiers: [], status: 'active', performers: [] },
        sourceRef: 'ServiceRequest/n1/_history/1',
      };
      await t.db.query('update ehr_events set data_enc = $2 where id = $1', [
        event,
        t.cipher.encrypt(JSON.stringify(input), `ehr_events:${event}`),
      ]);
      const r = await get(north, `/patients/${patient}/overview`);
      assert.equal(r.statusCode, 200, r.body);
      type Page = {
        patient: { id: string; name?: string };
        site: string;
        referrals: ReferralListItem[];
        followups: unknown[];
        proposals: { reasonCode: string; status: string }[] | null;
        events: { type: string; status: string | null; sourceRef: string }[];
      };
      const page = r.json<Page>();
      assert.deepEqual(page.patient, { id: patient, name: 'Okafor, Ben', birthDate: '1955-11-30' });
      assert.equal(page.site, 'north');
      assert.deepEqual(
        page.referrals.map((i) => i.workflowId),
        [n1.workflowId],
        "only this patient's referral",
      );
      assert.deepEqual(page.followups, []);
      assert.deepEqual(
        page.proposals?.map((x) => [x.reasonCode, x.status]),
        [['referral-not-received', 'pending_review']],
      );
      assert.deepEqual(
        page.events.map((e) => [e.type, e.status, e.sourceRef]),
        [['referral.created', 'active', 'ServiceRequest/n1/_history/1']],
      );
      await t.kernel.audit.flush();
      const entries = await t.db.query<{ event: string; reason: string | null }>(
        `select event, entry::jsonb->>'reason' as reason from audit_log
          where actor_id = $1 and $2 = any(patient_ids) and entry::jsonb->>'reason' is not null order by seq`,
        [north.id, patient],
      );
      const reasons = entries.rows.map((e) => `${e.event} ${e.reason}`);
      for (const expected of ['phi.search matches:1', 'phi.search referrals:1', 'phi.read patient-events:1'])
        assert.ok(reasons.includes(expected), `${expected} in ${reasons.join(', ')}`);

      const south = await principalWith(t.kernel, 'coord-south-page', { role: 'coordinator', site: 'south' });
      const hidden = await get(south, `/patients/${patient}/overview`);
      assert.equal(hidden.statusCode, 404, 'a patient outside the reader’s sites is not found');
      const unknown = await get(north, '/patients/99999999-9999-4999-8999-999999999999/overview');
      assert.equal(unknown.statusCode, 404);
      assert.equal(hidden.json<{ code: string }>().code, unknown.json<{ code: string }>().code);
      assert.equal((await get(auditor, `/patients/${patient}/overview`)).statusCode, 404);
      assert.equal((await get(north, '/patients/not-a-uuid/overview')).statusCode, 400);
    });

    it("reads one referral's stages and history as codes and references, audited", async () => {
      const all = (await get(everywhere, '/referrals')).json<{ items: ReferralListItem[] }>().items;
      const id = (sr: string): string => all.find((i) => i.serviceRequest === `ServiceRequest/${sr}`)?.workflowId ?? '';
      const r = await get(north, `/referrals/${id('n1')}`);
      assert.equal(r.statusCode, 200);
      const d = r.json<ReferralDetail>();
      assert.equal(d.workflowId, id('n1'));
      assert.equal(d.stage, 'received');
      assert.equal(d.overdue, 'accepted');
      assert.deepEqual(
        d.stages.map((s) => [s.stage, s.change, s.eventType, s.resource]),
        [
          ['sent', 'entered', 'referral.created', 'ServiceRequest/n1'],
          ['received', 'entered', 'task.updated', null],
        ],
      );
      assert.deepEqual(
        d.history.map((h) => [h.input, h.name]),
        [
          ['start', 'start'],
          ['signal', 'task'],
          ['timer', 'due:accepted'],
          ['effect', 'proposal.draft'],
          ['effect', 'proposal.draft'],
        ],
      );
      const effects = d.history.filter((h) => h.input === 'effect');
      assert.deepEqual(effects.map((h) => h.tag).sort(), ['message:accepted', 'overdue:accepted']);
      assert.ok(effects.every((h) => h.proposalId !== null && d.proposalIds.includes(h.proposalId)));
      assert.equal(d.due['accepted'], d.dueAt);
      assert.deepEqual(d.performers, [{ kind: 'Organization', ref: 'Organization/card' }]);
      assert.ok(!JSON.stringify(d).includes('systems'), 'identifier systems stay out');

      const cancelled = (await get(north, `/referrals/${id('n2')}`)).json<ReferralDetail>();
      assert.deepEqual(
        cancelled.stages.map((s) => [s.stage, s.change, s.eventType]),
        [
          ['sent', 'entered', 'referral.created'],
          ['sent', 'ended', 'referral.updated'],
        ],
      );
      assert.equal(cancelled.leaked, 'cancelled');

      await t.kernel.audit.flush();
      const reads = await t.db.query<{ entry: string }>(
        `select entry from audit_log where event = 'phi.read' and actor_id = $1`,
        [north.id],
      );
      // The referral reads themselves (showing their patient is a read of its own, entity Patient).
      const entities = reads.rows
        .map((row) => (JSON.parse(row.entry) as { entity?: { kind: string; id: string } }).entity)
        .filter((e) => e?.kind === 'Referral');
      assert.deepEqual(entities, [
        { kind: 'Referral', id: id('n1') },
        { kind: 'Referral', id: id('n2') },
      ]);
    });

    it('answers not-found for a referral out of scope, unknown or not a referral', async () => {
      const all = (await get(everywhere, '/referrals?site=south')).json<{ items: ReferralListItem[] }>().items;
      const south = all[0]?.workflowId ?? '';
      assert.equal((await get(everywhere, `/referrals/${south}`)).statusCode, 200);
      const hidden = await get(north, `/referrals/${south}`);
      assert.equal(hidden.statusCode, 404);
      const unknown = await get(north, '/referrals/99999999-9999-4999-8999-999999999999');
      assert.equal(unknown.statusCode, 404);
      assert.equal(hidden.json<{ code: string }>().code, unknown.json<{ code: string }>().code);
      assert.equal((await get(auditor, `/referrals/${south}`)).statusCode, 404);
      assert.equal((await get(north, '/referrals/not-a-uuid')).statusCode, 400);
    });

    it('needs phi.search at the site asked for', async () => {
      assert.equal((await get(north, '/referrals?site=south')).statusCode, 403);
      assert.equal((await get(north, '/referrals')).statusCode, 403, 'a one-site grant does not cover every site');
      assert.equal((await get(north, '/reports/referrals')).statusCode, 403);
      assert.equal((await get(auditor, '/referrals?site=north')).statusCode, 403);
      assert.equal((await get(everywhere, '/referrals?site=south')).statusCode, 200);
      assert.equal((await get(north, '/referrals?stage=nowhere&site=north')).statusCode, 400);
    });

    it('names the requester and an outside practice as destination, out of network by the directory', async () => {
      const learner = await principalWith(t.kernel, 'directory-learner', { role: 'automation' });
      const admin = await principalWith(t.kernel, 'dir-admin', { role: 'admin' });
      const ctx = {
        actor: {
          kind: 'service' as const,
          id: learner.id,
          name: 'directory-learner',
          authMethod: 'api-token' as const,
        },
      };
      await t.kernel.directory.learn(ctx, CONN, [
        { kind: 'Practitioner', ehrId: 'pcp', identifiers: [], name: 'Dr Paula Primary', source: 'fhir' },
        { kind: 'Organization', ehrId: 'own', identifiers: [], name: 'Westside Family Clinic', source: 'fhir' },
        { kind: 'Organization', ehrId: 'spring', identifiers: [], name: 'Springfield Heart Partners', source: 'fhir' },
        {
          kind: 'PractitionerRole',
          ehrId: 'r1',
          identifiers: [],
          name: 'Dr Ada Heart',
          specialties: ['Cardiology'],
          links: { organization: 'Organization/spring' },
          source: 'fhir',
        },
      ]);
      // The clinic's own organization is marked by an administrator (a coordinator may not).
      const own = (await get(everywhere, '/directory?q=westside')).json<{ items: { id: string }[] }>().items[0]!;
      const mark = (p: TestPrincipal) =>
        t.app.inject({
          method: 'PUT',
          url: `/directory/${own.id}/network`,
          headers: bearer(p),
          payload: { network: 'in' },
        });
      assert.equal((await mark(everywhere)).statusCode, 403);
      assert.equal((await mark(admin)).statusCode, 200);

      const payload: ReferralStartPayload = {
        eventId: eventId(),
        occurredAt: t.clock.now().toISOString(),
        connectionId: CONN,
        site: 'west',
        serviceRequest: 'ServiceRequest/w1',
        status: 'active',
        priority: 'routine',
        requester: 'Practitioner/pcp',
        performers: [
          { kind: 'PractitionerRole', ref: 'PractitionerRole/r1', systems: [] },
          { kind: 'Organization', ref: 'Organization/unknown-x', systems: [] },
        ],
      };
      await engine.start('referral', `referral:${CONN}:w1`, payload);
      await worker.drain();
      const item = (await get(everywhere, '/referrals?site=west')).json<{ items: ReferralListItem[] }>().items[0]!;
      const named = item as unknown as { requester: Record<string, unknown>; destination: Record<string, unknown> };
      assert.deepEqual(
        [named.requester['name'], named.requester['status'], named.requester['reference']],
        ['Dr Paula Primary', 'resolved', 'Practitioner/pcp'],
      );
      assert.deepEqual(
        [
          named.destination['name'],
          named.destination['organization'],
          named.destination['service'],
          named.destination['network'],
        ],
        ['Dr Ada Heart', 'Springfield Heart Partners', 'Cardiology', 'out'],
      );
      const detail = (await get(everywhere, `/referrals/${item.workflowId}`)).json<Record<string, unknown>>();
      assert.equal((detail['destination'] as Record<string, unknown>)['organization'], 'Springfield Heart Partners');
      // A performer the directory has never seen stays a raw reference, unresolved: listed, not dropped.
      const unknown = await get(everywhere, '/directory?q=unknown-x');
      assert.equal(unknown.json<{ items: unknown[] }>().items.length, 0);
      assert.deepEqual(detail['performers'], [
        { kind: 'PractitionerRole', ref: 'PractitionerRole/r1' },
        { kind: 'Organization', ref: 'Organization/unknown-x' },
      ]);
    });
  });
}

/**
 * Issue 12 end to end against the sandbox EHR over HTTP: a referral coded the way EHRs send it —
 * a category code and a coded service, no word "referral" and no text anywhere — goes from
 * ServiceRequest to closed by a completed Task with an output (a Procedure), every step an EHR
 * change; a lab order entered the same way starts nothing; the deciding rule and the closing
 * output are visible over HTTP; and a site's own rule, set over HTTP (audited), applies to the
 * next request without a restart.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { Bundle, Patient, Practitioner, ServiceRequest } from '@medplum/fhirtypes';
import { tokenFor } from '@steward/sandbox-ehr/testing';
import { listReferrals, type ReferralListItem } from '@steward/workflows';
import { flowTargets, type TestDatabase } from '@steward/store/testing';
import type { RunningServer } from './server.js';
import { ehrSide, sandboxServer, smallSeed, until } from './test-sandbox.js';
import { bearer, principalWith, type TestPrincipal } from './testing.js';

const SCT = 'http://snomed.info/sct';
const LOCAL_ORDER_TYPE = 'urn:oid:1.2.840.114350.1.13.0.1.7.10.798268.30';

for (const target of flowTargets()) {
  describe(`coded referrals against the sandbox EHR (${target.name})`, { skip: target.skip }, () => {
    const seedDir = smallSeed();
    let db: TestDatabase;
    let server: RunningServer;
    let ehr: ReturnType<typeof ehrSide>;
    let coordinator: TestPrincipal;
    let admin: TestPrincipal;
    let patient: Patient;
    let pcp: Practitioner;
    let cardiologist: Practitioner;

    /** The referral as Steward lists it over HTTP, once the EHR's change has flowed through. */
    const listed = async (id: string): Promise<ReferralListItem | undefined> => {
      await server.workflows!.settle();
      const r = await fetch(`${server.url}/referrals?site=sandbox&limit=100`, { headers: bearer(coordinator) });
      assert.equal(r.status, 200);
      return ((await r.json()) as { items: ReferralListItem[] }).items.find(
        (i) => i.serviceRequest === `ServiceRequest/${id}`,
      );
    };
    const referralAt = (id: string, stage: string): Promise<ReferralListItem> =>
      until(`the referral to reach ${stage}`, async () => {
        const item = await listed(id);
        return item?.stage === stage ? item : undefined;
      });
    const request = (extra: Partial<ServiceRequest>): Promise<ServiceRequest> =>
      ehr('POST', 'ServiceRequest', {
        resourceType: 'ServiceRequest',
        status: 'active',
        intent: 'order',
        subject: { reference: `Patient/${patient.id!}` },
        requester: { reference: `Practitioner/${pcp.id!}` },
        performer: [{ reference: `Practitioner/${cardiologist.id!}` }],
        authoredOn: new Date().toISOString(),
        ...extra,
      }) as Promise<ServiceRequest>;
    /** Every change so far routed and run: the journal and the workflows are idle. */
    const settled = async (): Promise<void> => {
      await server.workflows!.settle();
    };

    before(async () => {
      db = await target.open();
      server = await sandboxServer(db, seedDir).start();
      ehr = ehrSide(server, await tokenFor(server.sandbox!.ehr, ['system/*.*']));
      coordinator = await principalWith(server.kernel, 'coded-coordinator', { role: 'coordinator', site: 'sandbox' });
      admin = await principalWith(server.kernel, 'coded-admin', { role: 'admin' });
      patient = ((await ehr('GET', 'Patient?_count=1')) as Bundle<Patient>).entry![0]!.resource!;
      const doctors = ((await ehr('GET', 'Practitioner?_count=2')) as Bundle<Practitioner>).entry!;
      [pcp, cardiologist] = [doctors[0]!.resource!, doctors[1]!.resource!];
    });
    after(async () => {
      await server?.stop();
      rmSync(seedDir, { recursive: true, force: true });
    });

    it('a category-coded referral goes from ServiceRequest to closed by a completed Task with an output', async () => {
      // Codes only: no display, no text, no word "referral" anywhere.
      const sr = await request({
        category: [{ coding: [{ system: SCT, code: '3457005' }] }],
        code: { coding: [{ system: SCT, code: '183519002' }] },
      });
      assert.ok(!JSON.stringify(sr).toLowerCase().includes('referr'));
      const sent = await referralAt(sr.id!, 'sent');
      assert.deepEqual(sent.recognisedBy, {
        rule: 'referral-category',
        origin: 'vendor',
        description: 'the category says referral (SNOMED 3457005, 103696004 or 306206005)',
      });

      const task = await ehr('POST', 'Task', {
        resourceType: 'Task',
        status: 'accepted',
        intent: 'order',
        focus: { reference: `ServiceRequest/${sr.id!}` },
        for: { reference: `Patient/${patient.id!}` },
        owner: { reference: `Practitioner/${cardiologist.id!}` },
      });
      await referralAt(sr.id!, 'accepted');

      // The receiving practice does the work and completes the Task with what it did as output.
      const procedure = await ehr('POST', 'Procedure', {
        resourceType: 'Procedure',
        status: 'completed',
        basedOn: [{ reference: `ServiceRequest/${sr.id!}` }],
        code: { coding: [{ system: SCT, code: '183519002' }] },
        subject: { reference: `Patient/${patient.id!}` },
        performedDateTime: new Date().toISOString(),
      });
      await ehr('PUT', `Task/${task.id!}`, {
        ...task,
        status: 'completed',
        output: [{ type: { text: 'outcome' }, valueReference: { reference: `Procedure/${procedure.id!}` } }],
      });
      const closed = await referralAt(sr.id!, 'closed');
      assert.equal(closed.status, 'completed');
      assert.equal(closed.leaked, null);
      assert.deepEqual(closed.ending, { how: 'task-output', by: 'Procedure', detail: `Procedure/${procedure.id!}` });
    });

    it('a lab order entered the same way starts no referral, and says which rule kept it out', async () => {
      const lab = await request({
        category: [{ coding: [{ system: SCT, code: '108252007' }] }],
        code: { coding: [{ system: 'http://loinc.org', code: '2093-3' }] },
        performer: [],
      });
      // A referral entered after it is tracked, so the lab order has had its turn in the router.
      const later = await request({ category: [{ coding: [{ system: SCT, code: '3457005' }] }] });
      await referralAt(later.id!, 'sent');
      await settled();
      assert.equal(await listed(lab.id!), undefined);
      const { items } = await listReferrals(db, { limit: 200 });
      assert.ok(!items.some((i) => i.serviceRequest === `ServiceRequest/${lab.id!}`));

      const explain = await fetch(`${server.url}/ehr/connections/sandbox/referral-rules/explain`, {
        method: 'POST',
        headers: bearer(admin, { 'content-type': 'application/json' }),
        body: JSON.stringify(lab),
      });
      assert.equal(explain.status, 200);
      assert.deepEqual(await explain.json(), {
        referral: false,
        rule: 'lab-order',
        origin: 'vendor',
        description: 'a laboratory order (SNOMED 108252007 category, or a lab section of HL7 table 0074)',
      });
    });

    it("a site's own rule, set over HTTP and audited, starts the next request it matches without a restart", async () => {
      const local = { category: [{ coding: [{ system: LOCAL_ORDER_TYPE, code: '8' }] }] };
      const before = await request(local);
      await settled();
      assert.equal(await listed(before.id!), undefined, 'not a referral under the defaults');

      const denied = await fetch(`${server.url}/ehr/connections/sandbox/referral-rules`, {
        method: 'PUT',
        headers: bearer(coordinator, { 'content-type': 'application/json' }),
        body: JSON.stringify({ rules: [] }),
      });
      assert.equal(denied.status, 403);
      const bad = await fetch(`${server.url}/ehr/connections/sandbox/referral-rules`, {
        method: 'PUT',
        headers: bearer(admin, { 'content-type': 'application/json' }),
        body: JSON.stringify({ rules: [{ id: 'x', decision: 'maybe', description: 'x', when: {} }] }),
      });
      assert.equal(bad.status, 400);
      const override = {
        rules: [
          {
            id: 'local-outpatient-referral',
            decision: 'referral',
            description: 'our EHR order type 8 is an outpatient referral',
            when: { category: [{ system: LOCAL_ORDER_TYPE, code: '8' }] },
          },
        ],
        disabled: ['service-label'],
      };
      const set = await fetch(`${server.url}/ehr/connections/sandbox/referral-rules`, {
        method: 'PUT',
        headers: bearer(admin, { 'content-type': 'application/json' }),
        body: JSON.stringify(override),
      });
      assert.equal(set.status, 200);
      const view = (await set.json()) as { version: number; effective: { rules: { id: string; origin: string }[] } };
      assert.equal(view.version, 1);
      assert.deepEqual(view.effective.rules[0], { ...override.rules[0], origin: 'site' });
      assert.ok(!view.effective.rules.some((r) => r.id === 'service-label'));

      const after = await request(local);
      const sent = await referralAt(after.id!, 'sent');
      assert.deepEqual(
        { rule: sent.recognisedBy?.rule, origin: sent.recognisedBy?.origin },
        { rule: 'local-outpatient-referral', origin: 'site' },
      );
      const audited = await db.query<{ entry: string; actor_id: string }>(
        "select entry, actor_id from audit_log where event = 'ehr.connection_changed' and entry like '%referral rules of sandbox%'",
      );
      assert.equal(audited.rows.length, 1);
      assert.equal(audited.rows[0]!.actor_id, admin.id);
      assert.match(audited.rows[0]!.entry, /local-outpatient-referral.*defaults off \[service-label\]/);
      const shown = await fetch(`${server.url}/ehr/connections/sandbox/referral-rules`, { headers: bearer(admin) });
      assert.deepEqual(((await shown.json()) as { override: unknown }).override, override);
    });
  });
}

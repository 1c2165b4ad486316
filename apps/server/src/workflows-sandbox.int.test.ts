/**
 * Issue 4 end to end against the sandbox EHR, as `npm start` runs it: a referral entered in the
 * EHR as a ServiceRequest is tracked to loop closure with every stage driven by EHR changes only
 * (subscriptions into the journal, the router into the workflow) — referral Task received and
 * accepted, an appointment booked with the referred-to provider, the visit, the consult note, the
 * Task completed — and the same is seen over HTTP (`GET /referrals`, `GET /reports/referrals`).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { Bundle, Patient, Practitioner } from '@medplum/fhirtypes';
import { tokenFor } from '@steward/sandbox-ehr/testing';
import { listReferrals, type ReferralListItem } from '@steward/workflows';
import { flowTargets, type TestDatabase } from '@steward/store/testing';
import type { RunningServer } from './server.js';
import { ehrSide, sandboxServer, smallSeed, until } from './test-sandbox.js';
import { bearer, principalWith } from './testing.js';

for (const target of flowTargets()) {
  describe(`workflows against the sandbox EHR (${target.name})`, { skip: target.skip }, () => {
    const seedDir = smallSeed();
    let db: TestDatabase;
    let server: RunningServer;
    let token: string;
    let ehr: ReturnType<typeof ehrSide>;
    /** The referral as Steward sees it, once the EHR's change has flowed through. */
    const referralAt = (id: string, stage: string): Promise<ReferralListItem> =>
      until(`the referral to reach ${stage}`, async () => {
        await server.workflows!.settle();
        const { items } = await listReferrals(db, { limit: 50 });
        return items.find((r) => r.serviceRequest === `ServiceRequest/${id}` && r.stage === stage);
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

    it('tracks a referral from ServiceRequest to closed, each stage moved by an EHR change', async () => {
      const patient = ((await ehr('GET', 'Patient?_count=1')) as Bundle<Patient>).entry![0]!.resource!;
      const doctors = ((await ehr('GET', 'Practitioner?_count=2')) as Bundle<Practitioner>).entry!;
      const [pcp, cardiologist] = [doctors[0]!.resource!, doctors[1]!.resource!];
      const sr = await ehr('POST', 'ServiceRequest', {
        resourceType: 'ServiceRequest',
        status: 'active',
        intent: 'order',
        code: { text: 'Cardiology consult' },
        subject: { reference: `Patient/${patient.id!}` },
        requester: { reference: `Practitioner/${pcp.id!}` },
        performer: [{ reference: `Practitioner/${cardiologist.id!}` }],
        authoredOn: new Date().toISOString(),
      });
      const sent = await referralAt(sr.id!, 'sent');
      assert.equal(sent.site, 'sandbox');

      const task = await ehr('POST', 'Task', {
        resourceType: 'Task',
        status: 'received',
        intent: 'order',
        focus: { reference: `ServiceRequest/${sr.id!}` },
        for: { reference: `Patient/${patient.id!}` },
        owner: { reference: `Practitioner/${cardiologist.id!}` },
      });
      await referralAt(sr.id!, 'received');
      const accepted = await ehr('PUT', `Task/${task.id!}`, { ...task, status: 'accepted' });
      await referralAt(sr.id!, 'accepted');

      const start = new Date(Date.now() + 86_400_000).toISOString();
      const appointment = await ehr('POST', 'Appointment', {
        resourceType: 'Appointment',
        status: 'booked',
        start,
        end: new Date(Date.parse(start) + 1_800_000).toISOString(),
        basedOn: [{ reference: `ServiceRequest/${sr.id!}` }],
        participant: [
          { actor: { reference: `Patient/${patient.id!}` }, status: 'accepted' },
          { actor: { reference: `Practitioner/${cardiologist.id!}` }, status: 'accepted' },
        ],
      });
      const scheduled = await referralAt(sr.id!, 'scheduled');
      assert.equal(scheduled.appointment, `Appointment/${appointment.id!}`);
      assert.equal(scheduled.leaked, null, 'booked in network');

      await ehr('PUT', `Appointment/${appointment.id!}`, { ...appointment, status: 'fulfilled' });
      await referralAt(sr.id!, 'attended');
      await ehr('POST', 'DocumentReference', {
        resourceType: 'DocumentReference',
        status: 'current',
        type: { coding: [{ system: 'http://loinc.org', code: '11488-4', display: 'Consult note' }] },
        subject: { reference: `Patient/${patient.id!}` },
        context: { related: [{ reference: `ServiceRequest/${sr.id!}` }] },
        content: [{ attachment: { contentType: 'text/plain', data: Buffer.from('synthetic').toString('base64') } }],
      });
      await referralAt(sr.id!, 'reported');
      await ehr('PUT', `Task/${task.id!}`, { ...accepted, status: 'completed' });
      const closed = await referralAt(sr.id!, 'closed');
      assert.equal(closed.status, 'completed');

      // The same over HTTP, for a coordinator of the site.
      const coordinator = await principalWith(server.kernel, 'sandbox-coordinator', {
        role: 'coordinator',
        site: 'sandbox',
      });
      const list = await fetch(`${server.url}/referrals?site=sandbox`, { headers: bearer(coordinator) });
      assert.equal(list.status, 200);
      const items = ((await list.json()) as { items: ReferralListItem[] }).items;
      assert.ok(items.some((r) => r.serviceRequest === `ServiceRequest/${sr.id!}` && r.stage === 'closed'));
      const report = await fetch(`${server.url}/reports/referrals?site=sandbox`, { headers: bearer(coordinator) });
      assert.equal(report.status, 200);
      const figures = (await report.json()) as { closed: number };
      assert.ok(figures.closed >= 1);
    });

    it('names a referral to an outside practice: the directory reads what the ServiceRequest names', async () => {
      const patient = ((await ehr('GET', 'Patient?_count=1')) as Bundle<Patient>).entry![0]!.resource!;
      const pcp = ((await ehr('GET', 'Practitioner?_count=1')) as Bundle<Practitioner>).entry![0]!.resource!;
      const practice = await ehr('POST', 'Organization', {
        resourceType: 'Organization',
        name: 'Lakeside Cardiology Group',
      });
      const heart = await ehr('POST', 'Practitioner', {
        resourceType: 'Practitioner',
        name: [{ prefix: ['Dr'], given: ['Ada'], family: 'Heart' }],
      });
      const role = await ehr('POST', 'PractitionerRole', {
        resourceType: 'PractitionerRole',
        practitioner: { reference: `Practitioner/${heart.id!}` },
        organization: { reference: `Organization/${practice.id!}` },
        specialty: [{ text: 'Cardiology' }],
      });
      const sr = await ehr('POST', 'ServiceRequest', {
        resourceType: 'ServiceRequest',
        status: 'active',
        intent: 'order',
        code: { text: 'Cardiology consult' },
        subject: { reference: `Patient/${patient.id!}` },
        requester: { reference: `Practitioner/${pcp.id!}` },
        performer: [{ reference: `PractitionerRole/${role.id!}` }],
        authoredOn: new Date().toISOString(),
      });
      await referralAt(sr.id!, 'sent');
      const coordinator = await principalWith(server.kernel, 'sandbox-coordinator-2', {
        role: 'coordinator',
        site: 'sandbox',
      });
      const list = await fetch(`${server.url}/referrals?site=sandbox`, { headers: bearer(coordinator) });
      type Named = { name: string | null; organization: string | null; service: string | null; status: string };
      const item = (
        (await list.json()) as { items: (ReferralListItem & { destination: Named; requester: Named })[] }
      ).items.find((r) => r.serviceRequest === `ServiceRequest/${sr.id!}`)!;
      assert.deepEqual(
        [item.destination.name, item.destination.organization, item.destination.service],
        ['Dr Ada Heart', 'Lakeside Cardiology Group', 'Cardiology'],
      );
      assert.equal(item.requester.status, 'resolved');
      assert.ok(item.requester.name !== null && item.requester.name.length > 0);
    });
  });
}

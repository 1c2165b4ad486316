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
import type { ReadResult } from '@steward/intake';
import { ScriptedReader, tinyPng, untilRead } from '@steward/intake/testing';
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
    const reader = new ScriptedReader();
    /** The referral as Steward sees it, once the EHR's change has flowed through. */
    const referralAt = (id: string, stage: string): Promise<ReferralListItem> =>
      until(`the referral to reach ${stage}`, async () => {
        await server.workflows!.settle();
        const { items } = await listReferrals(db, { limit: 50 });
        return items.find((r) => r.serviceRequest === `ServiceRequest/${id}` && r.stage === stage);
      });

    before(async () => {
      db = await target.open();
      server = await sandboxServer(db, seedDir).start({}, { intake: { reader } });
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
    it("closes a referral's loop from a faxed consult note; an incomplete one goes to whoever works referrals", async () => {
      // A patient of their own (the tests above refer the first one), referred to a named practice.
      const patient = ((await ehr('GET', 'Patient?_count=3')) as Bundle<Patient>).entry![2]!.resource!;
      // Synthea's MRNs are UUIDs, which the index takes for its own ids: the fax is matched by name and birth date.
      const name = { patientFamily: patient.name![0]!.family!, patientGiven: patient.name![0]!.given![0]! };
      const pcp = ((await ehr('GET', 'Practitioner?_count=1')) as Bundle<Practitioner>).entry![0]!.resource!;
      const practice = await ehr('POST', 'Organization', {
        resourceType: 'Organization',
        name: 'Brookfield Heart Clinic',
      });
      const heart = await ehr('POST', 'Practitioner', {
        resourceType: 'Practitioner',
        name: [{ prefix: ['Dr'], given: ['Ines'], family: 'Valve' }],
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
      const task = await ehr('POST', 'Task', {
        resourceType: 'Task',
        status: 'accepted',
        intent: 'order',
        focus: { reference: `ServiceRequest/${sr.id!}` },
        for: { reference: `Patient/${patient.id!}` },
      });
      assert.ok(task.id);
      const { workflowId } = await referralAt(sr.id!, 'accepted');

      // Two faxes from the practice: a consult note, and one whose signature page did not come through.
      const fax = (tag: string): Buffer => Buffer.from(`%PDF-1.4\n% ${tag}\n%%EOF\n`);
      const read = (complete: boolean): ReadResult => ({
        pages: [
          {
            ...{ index: 0, source: 'text-layer', textConfidence: 1, blank: false, coverSheet: false, barcodes: [] },
            text: 'Cardiology Consultation\nBrookfield Heart Clinic',
            image: tinyPng,
          },
        ],
        documents: [
          {
            ...{ pages: [0], type: 'consult-note', bestType: 'consult-note', confidence: 0.99 },
            fields: {
              ...name,
              birthDate: patient.birthDate!,
              fromName: 'Dr. Ines Valve',
              fromOrganization: 'Brookfield Heart Clinic',
              signed: complete,
            },
            completeness: complete ? { complete, missing: [] } : { complete, missing: ['page 2 of 2', 'signature'] },
          },
        ],
        modelVersion: 'test-1',
      });
      reader.script(fax('consult note'), read(true)).script(fax('no signature page'), read(false));
      const intake = await server.kernel.intakeContext();
      // Received, then read by the server's reading worker: the document once routed.
      const receive = async (tag: string) => {
        const arrival = await server.kernel.intake.receive(intake, {
          site: 'sandbox',
          source: 'upload',
          file: { bytes: fax(tag), mediaType: 'application/pdf' },
        });
        return (await untilRead(server.kernel.intake, intake, arrival.arrivalId)).documents[0]!.id;
      };
      const coordinator = await principalWith(server.kernel, 'sandbox-coordinator-3', {
        role: 'coordinator',
        site: 'sandbox',
      });
      const get = async <T>(path: string): Promise<T> => {
        const r = await fetch(`${server.url}${path}`, { headers: bearer(coordinator) });
        assert.equal(r.status, 200, await r.clone().text());
        return (await r.json()) as T;
      };
      const approve = async (id: string): Promise<void> => {
        const { contentHash } = await get<{ contentHash: string }>(`/review/${id}`);
        const r = await fetch(`${server.url}/review/${id}/approve`, {
          method: 'POST',
          headers: { ...bearer(coordinator), 'content-type': 'application/json' },
          body: JSON.stringify({ contentHash }),
        });
        assert.equal(r.status, 200, await r.text());
      };
      type Detail = {
        state: string;
        proposalId: string;
        handoffIds: string[];
        referralReason: string;
        referral?: { id: string; words: string };
        trail: { note?: string }[];
      };

      const noteId = await receive('consult note');
      const note = await get<Detail>(`/intake/documents/${noteId}`);
      assert.equal(note.state, 'proposed-for-filing', JSON.stringify(note));
      assert.equal(note.referralReason, 'only-open-referral');
      assert.equal(note.referral?.id, workflowId);
      assert.equal(note.referral?.words, 'referral to Brookfield Heart Clinic (Cardiology consult), accepted');
      const filing = await get<{ payload: { context?: { related?: { reference: string }[] } } }>(
        `/review/${note.proposalId}`,
      );
      assert.deepEqual(filing.payload.context?.related, [{ reference: `ServiceRequest/${sr.id!}` }]);
      const completionId = note.trail
        .map((t) => /referral completion proposal (\S+)/.exec(t.note ?? '')?.[1])
        .find((id) => id !== undefined);
      assert.ok(completionId !== undefined, 'the completion is drafted beside the filing');
      const completion = await get<{
        status: string;
        action: string;
        payload: { status: string; note: { text: string }[] };
      }>(`/review/${completionId}`);
      assert.deepEqual(
        [completion.action, completion.status, completion.payload.status, completion.payload.note.at(-1)?.text],
        ['service-request.status', 'pending_review', 'completed', 'Close the referral: consult note received'],
      );

      // The incomplete one: linked to the same referral, handed to whoever works referrals (the
      // site's `referrals` pool: the demo's coordinator), naming what is missing and whom to ask.
      const partId = await receive('no signature page');
      const part = await get<Detail>(`/intake/documents/${partId}`);
      assert.deepEqual([part.state, part.referral?.id], ['handed-off', workflowId]);
      const handoff = await get<{ kind: string; to: { kind: string; id: string }; ask: string }>(
        `/handoffs/${part.handoffIds[0]!}`,
      );
      assert.deepEqual([handoff.kind, handoff.to.kind, handoff.to.id], ['intake.incomplete', 'pool', 'referrals']);
      assert.equal(
        handoff.ask,
        'Incomplete consult note for the referral to Brookfield Heart Clinic (Cardiology consult): missing page 2 of 2, signature. Request it from Dr. Ines Valve, Brookfield Heart Clinic.',
      );

      // A person approves the filing: the EHR's DocumentReference names the request, so the referral is reported…
      await approve(note.proposalId);
      await referralAt(sr.id!, 'reported');
      // The document says where it went: written to the EHR (followed by the runtime's rounds).
      const filed = await until('the consult note to say it is filed', async () => {
        const d = await get<Detail & { outcomeDetail: string | null }>(`/intake/documents/${noteId}`);
        return d.state === 'filed' && d.outcomeDetail?.startsWith('filed in the EHR as DocumentReference/')
          ? d
          : undefined;
      });
      assert.ok(
        filed.trail.some((t) => t.note?.startsWith('written to the EHR')),
        JSON.stringify(filed.trail),
      );
      // …and the completion: the loop closes (never by policy alone).
      await approve(completionId);
      const closed = await referralAt(sr.id!, 'closed');
      assert.equal(closed.ending?.how, 'report-and-completion');
    });
  });
}

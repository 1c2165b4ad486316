/**
 * @module Browser tests of the work queues and the patient page: a follow-up row and a referral card
 * say who (the patient, a link to their page) and what (the service the order names), never a raw
 * `ServiceRequest/` reference; a follow-up's timeline shows where its proposal stands now (rejected,
 * not "pending review" forever); the patient page gathers the patient's referrals, follow-ups,
 * proposals and EHR events, its opening is audited naming the patient, and a coordinator of another
 * site is refused. The intake queue takes an upload (received, then read by the reading worker: the
 * panel follows it, the queue counts files being read) and says what became of it; the document viewer
 * shows its page image (fetched with the session) beside what was read, and a person sets the type
 * the classifier abstained on. The workflows run on the real engine over the test app's store; their events are
 * filed in the journal under a Steward patient, as ingest files them.
 */
import { randomUUID } from 'node:crypto';
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { RequestContext } from '@steward/core';
import { principalWith } from '@steward/server/testing';
import {
  defaultFollowupSettings,
  followupKey,
  followupWorkflow,
  referralWorkflow,
  WorkflowEngine,
  WorkflowWorker,
  type FollowupStart,
  type Json,
  type ReferralStartPayload,
} from '@steward/workflows';
import { tinyPng } from '@steward/intake/testing';
import { SITE, signIn, type ConsoleSuite, type ConsoleWorld } from './console-harness.js';

const MRN = 'urn:oid:2.16.840.1.113883.19.5';
const ENTERPRISE = 'urn:oid:2.16.840.1.113883.19.9';

/** Declares the tests in the enclosing `describe`, on the world and browser `suite` opens. */
export function queueTests(suite: ConsoleSuite): void {
  let world: ConsoleWorld;
  let browser: Browser;
  let patientId: string;
  let followupId: string;
  let proposalId: string;

  before(async () => {
    ({ world, browser } = suite);
    const { t, connection } = world;
    await world.staff('coord.queues', 'coordinator', SITE);
    await world.staff('coord.queues.south', 'coordinator', 'south');
    const flow = await principalWith(t.kernel, 'queues-flow', { role: 'automation' });
    const flowCtx: RequestContext = {
      actor: { kind: 'service', id: flow.id, name: 'queues-flow', authMethod: 'api-token' },
    };
    const identifiers = [
      { system: MRN, value: 'MRN-Q4412' },
      { system: ENTERPRISE, value: 'E-Q4412' },
    ];
    // The patient index as ingest fills it (resolving a sighting needs phi.write at the site).
    const indexer = await principalWith(t.kernel, 'queues-indexer', { role: 'coordinator', site: SITE });
    const indexCtx: RequestContext = {
      actor: { kind: 'user', id: indexer.id, name: 'queues-indexer', authMethod: 'api-token' },
    };
    patientId = await t.kernel.patients.resolve(indexCtx, {
      connectionId: connection.id,
      site: SITE,
      identifiers,
      demographics: { name: { family: 'Quillon', given: ['Rosa'] }, birthDate: '1961-02-03' },
    });
    // Two events filed under the patient: the recheck order and the referral.
    const file = async (type: string, sourceRef: string): Promise<string> => {
      const id = randomUUID();
      const input = {
        type,
        connectionId: connection.id,
        channel: 'fhir',
        dedupKey: `fhir:${sourceRef}`,
        occurredAt: t.clock.now().toISOString(),
        patient: { identifiers },
        facts: { kind: 'Referral', identifiers: [], status: 'active', performers: [] },
        sourceRef,
      };
      await t.db.query(
        `insert into ehr_events (id, connection_id, type, dedup_key, occurred_at, data_enc, recorded_at, patient_id)
         values ($1, $2, $3, $4, now(), $5, now(), $6)`,
        [
          id,
          connection.id,
          type,
          input.dedupKey,
          t.cipher.encrypt(JSON.stringify(input), `ehr_events:${id}`),
          patientId,
        ],
      );
      return id;
    };
    const order = `ServiceRequest/${randomUUID()}`;
    const orderEvent = await file('referral.created', `${order}/_history/1`);
    const referralSr = randomUUID();
    const referralEvent = await file('referral.created', `ServiceRequest/${referralSr}/_history/1`);

    // The proposal effect drafts a real proposal for the patient, as the workflows' effect does.
    const engine = new WorkflowEngine({
      db: t.db,
      clock: t.clock,
      definitions: [followupWorkflow, referralWorkflow],
      effects: {
        'proposal.draft': async (r) => {
          const d = r.input as { workflow: string; correlationId: string; evidence: { reasonCode: string } };
          const p = await t.kernel.proposals.draft(flowCtx, {
            action: 'task.create',
            connectionId: connection.id,
            site: SITE,
            workflow: d.workflow,
            correlationId: d.correlationId,
            patient: { ehrId: 'q-4412', identifiers },
            target: { resourceType: 'Task' },
            payload: { resourceType: 'Task', status: 'requested', intent: 'order' },
            evidence: { eventIds: [], resources: [], reasonCode: d.evidence.reasonCode },
          });
          return { proposalId: p.id, status: p.status };
        },
      },
    });
    const worker = new WorkflowWorker(engine, { id: 'queues-test' });
    const start: FollowupStart = {
      event: {
        eventId: orderEvent,
        type: 'referral.created',
        connectionId: connection.id,
        occurredAt: t.clock.now().toISOString(),
        sourceRef: order,
      },
      orderRef: order,
      service: 'Cardiology recheck',
      site: SITE,
      requester: { kind: 'Practitioner', ref: 'Practitioner/q-doc', systems: [] },
      occurrence: null,
      settings: defaultFollowupSettings,
    };
    // Who ordered the recheck, as the directory learned the practitioner from the EHR.
    await t.kernel.directory.learn(flowCtx, connection.id, [
      {
        kind: 'Practitioner',
        ehrId: 'q-doc',
        identifiers: [],
        name: 'Dr Quinn Marlow',
        organizationName: 'Harbor Family Practice',
        source: 'fhir',
      },
    ]);
    const key = followupKey(connection.id, order);
    await engine.start('followup', key, start as unknown as Json);
    const referral: ReferralStartPayload = {
      eventId: referralEvent,
      occurredAt: t.clock.now().toISOString(),
      connectionId: connection.id,
      site: SITE,
      serviceRequest: `ServiceRequest/${referralSr}`,
      service: 'Cardiology consult',
      status: 'active',
      priority: 'routine',
      requester: null,
      performers: [],
    };
    await engine.start('referral', `referral:${connection.id}:${referralSr}`, referral as unknown as Json);
    await worker.drain();
    const { rows } = await t.db.query<{ id: string; proposal: string }>(
      `select id::text as id, state->'proposals'->0->>'proposalId' as proposal from workflow_instances
        where type = 'followup' and correlation_key = $1`,
      [key],
    );
    followupId = rows[0]?.id ?? '';
    proposalId = rows[0]?.proposal ?? '';
    // A reviewer rejects the booking request: the follow-up's own record still says pending_review.
    const reviewer = await principalWith(t.kernel, 'queues-reviewer', { role: 'clinician_reviewer', site: SITE });
    await t.kernel.proposals.reject(
      { actor: { kind: 'user', id: reviewer.id, name: 'queues-reviewer', authMethod: 'api-token' } },
      proposalId,
      'booked by phone already',
    );
  });

  it("a follow-up row and a referral card show the patient's name, the service and the follow-up's owner, never `ServiceRequest/`, and the timeline shows the proposal rejected", async () => {
    const page = await browser.newPage();
    await signIn(page, world, 'coord.queues');
    await page.goto(`${world.url}/console/#/followups`);
    const row = page.getByRole('list', { name: 'Follow-ups' }).getByRole('listitem').filter({ hasText: 'Quillon' });
    await row.waitFor();
    const text = await row.innerText();
    assert.match(text, /Cardiology recheck/);
    assert.match(text, /Quillon, Rosa · born 1961-02-03/);
    assert.match(text, /Next: book the recheck by/);
    assert.match(text, /Owner: Dr Quinn Marlow \(Harbor Family Practice\)/, "the order's requester, by name");
    assert.ok(!text.includes('ServiceRequest/'), text);

    // One click opens its timeline: the booking request reads as rejected, not "pending review" forever.
    await row.getByRole('link', { name: 'Cardiology recheck' }).click();
    await page.getByRole('heading', { name: 'Cardiology recheck: follow-up' }).waitFor();
    assert.equal(new URL(page.url()).hash, `#/followups/${followupId}`);
    assert.match(await page.locator('.followup-timeline').innerText(), /Owner\s+Dr Quinn Marlow/);
    // The timeline says what the order is in words; its EHR reference is one click away.
    const started = page.locator('.timeline__item').filter({ hasText: 'Recheck ordered' });
    assert.match(await started.innerText(), /Cardiology recheck/);
    assert.ok(!(await page.locator('.timeline').innerText()).includes('ServiceRequest/'));
    await started.getByText('EHR reference').click();
    assert.match(await started.locator('code').innerText(), /^ServiceRequest\//);
    const entry = page.locator('.timeline__item').filter({ hasText: 'Proposal drafted' });
    assert.match(await entry.innerText(), /now rejected/);
    assert.equal(await page.getByText(/Pending review/i).count(), 0);

    await page.goto(`${world.url}/console/#/referrals`);
    const card = page
      .getByRole('list', { name: 'Sent referrals' })
      .getByRole('listitem')
      .filter({ hasText: 'Quillon' });
    await card.waitFor();
    const cardText = await card.innerText();
    assert.match(cardText, /Cardiology consult \(destination not named yet\)/);
    assert.ok(!cardText.includes('ServiceRequest/'), cardText);
    await page.close();
  });

  it("the patient page shows the patient's referrals, follow-ups and proposals, and opening it is audited", async () => {
    const page = await browser.newPage();
    await signIn(page, world, 'coord.queues');
    await page.goto(`${world.url}/console/#/followups`);
    await page
      .getByRole('link', { name: /Quillon, Rosa/ })
      .first()
      .click();
    await page.getByRole('heading', { name: /Quillon, Rosa · born 1961-02-03/, level: 1 }).waitFor();
    assert.equal(new URL(page.url()).hash, `#/patients/${patientId}`);
    const section = (name: RegExp) => page.getByRole('region', { name });
    assert.match(await section(/Referrals \(1\)/).innerText(), /Cardiology consult/);
    assert.match(await section(/Follow-ups \(1\)/).innerText(), /Cardiology recheck.*Owner: Dr Quinn Marlow/);
    assert.match(await section(/Proposals/).innerText(), /rejected/);
    assert.match(await section(/Recent EHR events \(2\)/).innerText(), /Referral created/);

    await world.t.kernel.audit.flush();
    const { rows } = await world.t.db.query<{ n: string }>(
      `select count(*) as n from audit_log
        where event = 'phi.read' and $1 = any(patient_ids) and entry::jsonb->>'reason' = 'patient-events:2'`,
      [patientId],
    );
    assert.equal(Number(rows[0]?.n), 1, "opening the page is a read of the patient's events, naming them");

    // Contacts and relationships: the graph's person with the same name and birth date is only a
    // suggestion until the coordinator confirms it; then the caregiver shows with role and authority.
    const contacts = section(/Contacts and relationships/);
    assert.match(await contacts.innerText(), /No contact record linked/);
    assert.equal(await contacts.getByRole('list', { name: "The patient's contacts" }).count(), 0);
    const importer = await principalWith(world.t.kernel, 'queues-contacts', { role: 'coordinator', site: SITE });
    const file = (name: string, value: unknown) => ({ name, content: JSON.stringify(value) });
    const imported = await world.t.app.inject({
      method: 'POST',
      url: '/contacts/import/files',
      headers: { authorization: `Bearer ${importer.token}` },
      payload: {
        site: SITE,
        mapping: file('mapping.json', {
          source: 'queues-crm',
          contacts: { id: 'id', kind: 'kind', family: 'last', given: 'first', birthDate: 'dob', phone: 'phone' },
          relationships: { id: 'id', from: 'from', to: 'to', type: 'type', start: 'start' },
        }),
        contacts: file('contacts.json', {
          contacts: [
            { id: 'q1', kind: 'person', last: 'Quillon', first: 'Rosa', dob: '1961-02-03', phone: '555-0199-4412' },
            { id: 'q2', kind: 'person', last: 'Quillon', first: 'Marco', phone: '555-0199-4413' },
          ],
          relationships: [{ id: 'qr1', from: 'q2', to: 'q1', type: 'healthcare-proxy', start: '2022-05-01' }],
          notes: [],
        }),
        files: [],
      },
    });
    assert.equal(imported.statusCode, 200, imported.body);
    await page.reload();
    const suggestion = contacts.getByRole('list', { name: 'Suggested contact records' }).getByRole('listitem');
    await suggestion.waitFor();
    assert.match(
      await suggestion.innerText(),
      /Rosa Quillon · born 1961-02-03.*suggested: same name and birth date — confirm/,
    );
    await suggestion.getByRole('button', { name: 'Confirm Rosa Quillon' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Link this contact record to the patient?' });
    await dialog.getByRole('button', { name: 'Link' }).click();
    const linked = contacts.getByRole('list', { name: "The patient's contacts" }).getByRole('listitem');
    await linked.waitFor();
    assert.match(
      await linked.innerText(),
      /Marco Quillon · health-care proxy.*since 2022-05-01 · Authority: receives messages, may read records, may give consent · May receive information/,
    );
    assert.match(
      (await linked.getByRole('link', { name: 'Marco Quillon' }).getAttribute('href')) ?? '',
      /^#\/contacts\//,
    );
    assert.equal(await contacts.getByText(/suggested:/).count(), 0, 'confirmed: no longer a suggestion');
    await world.t.kernel.audit.flush();
    const trail = await world.t.db.query<{ reason: string }>(
      `select entry::jsonb->>'reason' as reason from audit_log
        where $1 = any(patient_ids) and entry::jsonb->>'reason' like 'contact%' order by seq`,
      [patientId],
    );
    assert.deepEqual(
      trail.rows.map((r) => r.reason),
      ['contact-suggestions:0', 'contact-suggestions:1', 'contact-link:linked', 'contacts:1'],
      'every part of the contacts shown and the link are on the trail, naming the patient',
    );
    await page.close();
  });

  it('intake: an upload the classifier abstains on is in the queue in words; the viewer shows its page image beside what was read, and a person sorts it', async () => {
    const png = Buffer.concat([tinyPng, Buffer.from('console-intake')]);
    world.intakeReader.script(png, {
      pages: [
        {
          index: 0,
          source: 'ocr',
          text: 'Seen today',
          textConfidence: 0.8,
          blank: false,
          coverSheet: false,
          barcodes: [],
          image: tinyPng,
        },
      ],
      documents: [
        {
          pages: [0],
          type: null,
          bestType: 'consult-note',
          confidence: 0.58,
          fields: { fromName: 'Dr. Okafor' },
          completeness: { complete: false, missing: ['signature'] },
        },
      ],
      modelVersion: 'e2e-1',
    });
    // Handoffs are raised only at a configured site once any site is (the administration test
    // configures another): the clinic configures its own, as a clinic that receives paperwork has.
    const siteAdmin = await principalWith(world.t.kernel, 'intake-site-admin', { role: 'admin' });
    const adminCtx: RequestContext = {
      actor: { kind: 'user', id: siteAdmin.id, name: 'intake-site-admin', authMethod: 'api-token' },
    };
    if (!(await world.t.kernel.sites.list(adminCtx)).some((s) => s.id === SITE && s.configured))
      await world.t.kernel.sites.add(adminCtx, SITE, { name: 'North Clinic', zone: 'America/New_York' });
    const page = await browser.newPage();
    await signIn(page, world, 'coord.queues');
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Intake', exact: true }).click();
    await page.locator('input[type=file]').setInputFiles({ name: 'fax.png', mimeType: 'image/png', buffer: png });
    // The reading worker held back: the upload is answered at once, the file received and waiting.
    await world.t.kernel.intakeReading.stop();
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    const uploaded = page.getByRole('status').filter({ hasText: 'fax.png' });
    await uploaded.waitFor();
    assert.match(await uploaded.innerText(), /fax\.png was received; reading…/);
    await page.getByRole('status').filter({ hasText: 'Reading 1 file…' }).waitFor();
    // Read: the panel, following the arrival, says what became of it; the queue shows the document.
    world.t.kernel.intakeReading.start();
    const read = page.getByRole('status').filter({ hasText: 'fax.png was received and read' });
    await read.waitFor();
    assert.match(await read.innerText(), /received and read: 1 document found\. Document 1: needs sorting/);
    await page.getByRole('status').filter({ hasText: 'Reading 1 file…' }).waitFor({ state: 'detached' });
    const row = page.locator('tbody tr').filter({ hasText: 'Unsorted document' });
    assert.match(
      await row.innerText(),
      /best guess consult note \(58 %\), not sure enough[\s\S]*Missing the signature/,
    );

    await row.getByRole('link', { name: 'Unsorted document' }).click();
    const image = page.getByRole('img', { name: 'Page 1 of 1' });
    await image.waitFor();
    assert.ok(
      await image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
      'the page image shows',
    );
    assert.ok(await page.getByText('Dr. Okafor').isVisible(), 'what was read is beside it');
    // Who has it: the document's handoffs (GET /handoffs?kind=document), in words.
    const whoHasIt = page.getByRole('region', { name: 'Who has it' });
    await whoHasIt
      .getByText(/Sort a document|No one has been asked|could not be shown/)
      .first()
      .waitFor();
    // The harness's site has no intake pool staffed: the handoff goes to its front desk.
    assert.match(await whoHasIt.innerText(), /Sort a document · Offered to the front desk/);
    // Its history, read when opened: who it was offered to, and by whom.
    await whoHasIt.getByText('History').first().click();
    await whoHasIt
      .getByText(/Offered to the front desk by Steward intake/)
      .first()
      .waitFor();
    await page.getByLabel(/Set the type/).selectOption('consult-note');
    await page.getByRole('button', { name: 'Set type' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'Sorted as consult note' });
    await notice.waitFor();
    assert.match(await notice.innerText(), /now: needs a patient match/);
    await page.close();
  });

  it('refuses the patient page to a coordinator of another site, as not found', async () => {
    const page = await browser.newPage();
    await signIn(page, world, 'coord.queues.south');
    await page.goto(`${world.url}/console/#/patients/${patientId}`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /not found/i);
    assert.equal(await page.getByText('Quillon').count(), 0);
    await page.close();
  });
}

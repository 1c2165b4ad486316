import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OperationalError, type RequestContext } from '@steward/core';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import { openProposalKit, type ProposalKit } from '@steward/proposals/testing';
import { PatientIndex, PatientLabels } from '@steward/clinic';
import type { ReadDocument, ReadResult } from '../model/intake-model.js';
import { ScriptedReader, tinyPng } from '../testing/scripted-reader.js';
import { InMemoryHandoffs } from '../filing/handoff-sink.js';
import { patientIndexCandidates } from '../matching/patient-match.js';
import { checkArrivingFile } from '../arrival/arrival-file.js';
import { mdmDocument } from '../arrival/hl7-mdm.js';
import { fhirDocument } from '../arrival/fhir-document.js';
import { IntakeRetention } from '../store/intake-retention.js';
import { WatchedFolder } from '../arrival/watched-folder.js';
import { IntakeWebhooks } from '../arrival/webhook-sources.js';
import { signWebhook } from '../arrival/webhook-signature.js';
import { IntakeService } from './intake-service.js';
import type { IntakeDeps } from './intake-deps.js';
import type { ReferralCandidate } from '../filing/referral-links.js';

const CONNECTION = '11111111-1111-4111-8111-111111111111';
const MRN = 'urn:oid:2.16.840.1.113883.19.5';
const pdf = (tag: string): Buffer => Buffer.from(`%PDF-1.4\n% ${tag}\n%%EOF\n`);

function page(index: number, text: string): ReadResult['pages'][number] {
  return {
    index,
    source: 'ocr',
    text,
    textConfidence: 0.93,
    blank: false,
    coverSheet: false,
    barcodes: [],
    image: tinyPng,
  };
}
function doc(over: Partial<ReadDocument> = {}): ReadDocument {
  return {
    pages: [0],
    type: 'referral-letter',
    bestType: 'referral-letter',
    confidence: 0.97,
    fields: {
      patientFamily: 'Rivera',
      patientGiven: 'Ana',
      birthDate: '1984-03-09',
      mrn: 'MR-4471',
      fromName: 'Dr. Okafor',
      fromNpi: '1234567893',
    },
    completeness: { complete: true, missing: [] },
    ...over,
  };
}
const result = (...documents: ReadDocument[]): ReadResult => ({
  pages: documents.flatMap((d) => d.pages.map((i) => page(i, 'Referral for Ana Rivera DOB 03/09/1984'))),
  documents,
  modelVersion: 'test-1',
});

for (const target of storeTargets()) {
  describe(`intake arrival, storage, matching and filing (${target.name})`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let kit: ProposalKit;
    let intake: IntakeService;
    let deps: IntakeDeps;
    const reader = new ScriptedReader();
    const handoffs = new InMemoryHandoffs();
    let desk: RequestContext;
    let admin: RequestContext;
    let ana: string;
    let twinA: string;
    let chartDown = false;
    /** The patients' referrals the stand-in referral service answers (none until a test sets them). */
    let referralsOf: (patientId: string) => ReferralCandidate[] = () => [];

    before(async () => {
      db = await target.open();
      kit = await openProposalKit(db);
      const feed = await kit.as('feed', 'integration', 'north');
      const pipeline = await kit.as('steward-intake', 'automation', '*');
      desk = await kit.as('desk', 'front_desk', 'north');
      admin = await kit.as('lee', 'admin', 'north');
      const index = new PatientIndex({ db, cipher: kit.deps.cipher, policy: kit.deps.policy, audit: kit.audit });
      const sighting = (mrn: string, family: string, given: string, birthDate: string) =>
        index.resolve(feed, {
          connectionId: CONNECTION,
          site: 'north',
          identifiers: [{ system: MRN, value: mrn }],
          demographics: { name: { family, given: [given] }, birthDate },
        });
      ana = await sighting('MR-4471', 'Rivera', 'Ana', '1984-03-09');
      twinA = await sighting('MR-9001', 'Lee', 'Sam', '1990-01-01');
      await sighting('MR-9002', 'Lee', 'Sam', '1990-01-01');
      deps = {
        db,
        cipher: kit.deps.cipher,
        policy: kit.deps.policy,
        audit: kit.audit,
        reader,
        patients: patientIndexCandidates(index),
        handoffs,
        proposals: kit.desk,
        pipeline: () => Promise.resolve(pipeline),
        chartOf: (_ctx, _site, patientId) =>
          chartDown
            ? Promise.reject(new OperationalError('SERVER_UNAVAILABLE', 'the EHR journal is unavailable'))
            : Promise.resolve({
                connectionId: CONNECTION,
                ehrId: `ehr-${patientId.slice(0, 8)}`,
                identifiers: [
                  { system: MRN, value: 'MR-x' },
                  { system: 'urn:ehr', value: patientId },
                ],
              }),
        egress: { list: () => Promise.resolve([{ name: 'fax-provider', enabled: true }]) },
        labels: new PatientLabels({ db, cipher: kit.deps.cipher, policy: kit.deps.policy, audit: kit.audit }),
        referrals: {
          ofPatient: (_ctx, site, patientId) => Promise.resolve(referralsOf(patientId).filter((r) => r.site === site)),
          byId: (_ctx, site, id) => Promise.resolve(referralsOf(ana).find((r) => r.id === id && r.site === site)),
          currentRequest: (_ctx, _connection, request) =>
            Promise.resolve({
              resource: {
                resourceType: 'ServiceRequest',
                id: request.split('/')[1],
                status: 'active',
                intent: 'order',
              },
              versionId: '3',
            }),
        },
      };
      intake = new IntakeService(deps);
    });
    after(async () => {
      await kit.close();
    });

    const upload = (bytes: Buffer, ctx = desk) =>
      intake.receive(ctx, {
        site: 'north',
        source: 'upload',
        file: checkArrivingFile(bytes, 'application/pdf', 'scan.pdf'),
      });

    it('files a matched, complete referral letter as a proposal, sealed at rest, with a referral handoff', async () => {
      const bytes = pdf('referral-1');
      reader.script(bytes, result(doc()));
      const arrival = await upload(bytes);
      assert.equal(arrival.outcome, 'accepted');
      assert.equal(arrival.documents.length, 1);
      assert.equal(arrival.documents[0]?.state, 'proposed-for-filing');
      const [item] = (await intake.list(desk, { site: 'north', state: ['proposed-for-filing'] })).items;
      assert.equal(item?.patient?.id, ana);
      assert.equal(item?.patient?.name, 'Rivera, Ana', 'the queue names the patient for the front desk');
      assert.equal(item?.source, 'upload', 'and how the file arrived');
      assert.equal(item?.matchReason, 'mrn-and-demographics');
      assert.equal(item?.confidence, 0.97, 'the confidence as the classifier gave it');
      const proposal = await kit.desk.get(admin, item?.proposalId ?? '').catch(() => undefined);
      assert.equal(proposal, undefined, 'an admin does not see the review queue');
      const reviewer = await kit.as('rev', 'coordinator', 'north');
      const opened = await kit.desk.get(reviewer, item?.proposalId ?? '');
      assert.equal(opened.status, 'pending_review');
      const payload = (opened as unknown as { payload: Record<string, unknown> }).payload;
      assert.equal((payload['type'] as { coding: { code: string }[] }).coding[0]?.code, '57133-1');
      const handoff = handoffs.of('referral.next-step').find((h) => h.subject.id === item?.id);
      assert.ok(handoff, 'a referral handoff was raised');
      const { rows } = await db.query<{ content_enc: Buffer }>('select content_enc from intake_files where id = $1', [
        arrival.fileId,
      ]);
      assert.ok(rows[0] !== undefined && !rows[0].content_enc.includes(Buffer.from('referral-1')), 'bytes sealed');
    });

    it('records a second arrival of the same file as a duplicate, naming the first, without reading it again', async () => {
      const bytes = pdf('referral-1');
      const calls = reader.calls.length;
      const again = await upload(bytes);
      assert.equal(again.outcome, 'duplicate');
      assert.match(again.detail ?? '', /^already received as file [0-9a-f-]{36} on /);
      assert.equal(reader.calls.length, calls);
      const { rows } = await db.query<{ n: number }>(
        'select count(*)::int as n from intake_arrivals where file_id = $1',
        [again.fileId],
      );
      assert.equal(rows[0]?.n, 2);
    });

    it('abstains: a person sorts the document, and it goes on to its patient and a proposal', async () => {
      const bytes = pdf('abstain');
      reader.script(bytes, result(doc({ type: null, bestType: 'consult-note', confidence: 0.55 })));
      const arrival = await upload(bytes);
      const id = arrival.documents[0]?.id ?? '';
      assert.equal(arrival.documents[0]?.state, 'needs-sorting');
      assert.ok(handoffs.of('intake.sort').some((h) => h.subject.id === id && h.to.kind === 'pool'));
      await assert.rejects(intake.sort(desk, id, 'letter'), { code: 'VALIDATION_FAILED' });
      await assert.rejects(intake.sort(admin, id, 'consult-note'), { code: 'NOT_FOUND' });
      const sorted = await intake.sort(desk, id, 'consult-note');
      assert.equal(sorted.state, 'proposed-for-filing');
      assert.equal(sorted.typeSetBy, 'person');
      const shown = await intake.show(desk, id);
      assert.deepEqual(
        shown.trail.map((t) => t.state),
        // A consult note: its patient has no referral awaiting a report, said on the trail.
        ['received', 'read', 'abstained', 'needs-sorting', 'sorted', 'matched', 'no-referral', 'proposed-for-filing'],
      );
    });

    it('hands an incomplete document off naming what is missing and whom to ask', async () => {
      const bytes = pdf('incomplete');
      reader.script(bytes, result(doc({ completeness: { complete: false, missing: ['signature', 'page 2 of 2'] } })));
      const arrival = await upload(bytes);
      assert.equal(arrival.documents[0]?.state, 'handed-off');
      const h = handoffs.of('intake.incomplete').find((x) => x.subject.id === arrival.documents[0]?.id);
      assert.match(h?.ask ?? '', /missing signature, page 2 of 2\. Request it from Dr\. Okafor, NPI 1234567893/);
      const { rows } = await db.query<{ n: number }>('select count(*)::int as n from proposals where draft_key = $1', [
        `intake:${arrival.documents[0]?.id}`,
      ]);
      assert.equal(rows[0]?.n, 0, 'an incomplete document is never filed');
    });

    it('sends an uncertain patient to a person (two alike), who matches it; it then files', async () => {
      const bytes = pdf('twins');
      reader.script(
        bytes,
        result(doc({ fields: { patientFamily: 'Lee', patientGiven: 'Sam', birthDate: '1990-01-01' } })),
      );
      const arrival = await upload(bytes);
      const id = arrival.documents[0]?.id ?? '';
      assert.equal(arrival.documents[0]?.state, 'needs-match');
      assert.match(handoffs.of('intake.match').find((h) => h.subject.id === id)?.ask ?? '', /several \(2 candidates\)/);
      // The person is offered both, found by the name and birth date on the page, and one a typed MRN finds.
      const offered = await intake.candidates(desk, id, 'MR-4471');
      assert.deepEqual(offered.map((c) => c.foundBy).sort(), ['name-and-birth-date', 'name-and-birth-date', 'typed']);
      assert.ok(offered.some((c) => c.id === twinA && c.name === 'Lee, Sam' && c.birthDate === '1990-01-01'));
      assert.equal(offered.find((c) => c.foundBy === 'typed')?.id, ana);
      await assert.rejects(intake.candidates(admin, id), /not found/i, 'only a role that works intake at the site');
      await assert.rejects(intake.candidates(desk, id, '  '), (e: { code?: string }) => e.code === 'VALIDATION_FAILED');
      const matched = await intake.match(desk, id, twinA);
      assert.equal(matched.state, 'proposed-for-filing');
      assert.equal(matched.matchReason, 'person');
    });

    it('refuses an MRN that disagrees with the name on the page', async () => {
      const bytes = pdf('conflict');
      reader.script(bytes, result(doc({ fields: { mrn: 'MR-4471', patientFamily: 'Lee', birthDate: '1984-03-09' } })));
      const arrival = await upload(bytes);
      assert.equal(arrival.documents[0]?.state, 'needs-match');
    });

    it('ends a file that cannot be read in a visible unreadable outcome with the reason', async () => {
      const arrival = await upload(pdf('no-script'));
      assert.equal(arrival.outcome, 'unreadable');
      assert.match(arrival.detail ?? '', /cannot be read/);
      assert.equal(arrival.documents.length, 0);
      reader.script(pdf('no-script'), result(doc()));
      const again = await upload(pdf('no-script'));
      assert.equal(again.outcome, 'accepted');
      assert.equal(again.fileId, arrival.fileId);
      assert.match(again.detail ?? '', /^read again: file /);
      assert.equal(again.documents[0]?.state, 'proposed-for-filing');
    });

    it('says so on the document when routing stops on an error, and resumes it', async () => {
      const bytes = pdf('chart-down');
      reader.script(bytes, result(doc()));
      chartDown = true;
      const arrival = await upload(bytes);
      chartDown = false;
      const id = arrival.documents[0]?.id ?? '';
      const stopped = (await intake.list(desk, { site: 'north', state: ['needs-match'] })).items.find(
        (i) => i.id === id,
      );
      assert.match(stopped?.outcomeDetail ?? '', /^routing stopped \(SERVER_UNAVAILABLE: /);
      const resumed = await intake.resume(desk, id);
      assert.equal(resumed.state, 'proposed-for-filing');
    });

    it('files without a person only a type the site policy names at or above its floor', async () => {
      await assert.rejects(intake.setPolicy(desk, { site: 'north', autoFileTypes: ['result'], confidenceFloor: 0.9 }), {
        code: 'FORBIDDEN',
      });
      await assert.rejects(intake.setPolicy(admin, { site: 'north', autoFileTypes: ['lab'], confidenceFloor: 2 }), {
        code: 'VALIDATION_FAILED',
      });
      const policy = await intake.setPolicy(admin, { site: 'north', autoFileTypes: ['result'], confidenceFloor: 0.9 });
      assert.equal(policy.version, 1);
      const high = pdf('result-high');
      reader.script(high, result(doc({ type: 'result', bestType: 'result', confidence: 0.95 })));
      assert.equal((await upload(high)).documents[0]?.state, 'filed');
      const low = pdf('result-low');
      reader.script(low, result(doc({ type: 'result', bestType: 'result', confidence: 0.85 })));
      assert.equal((await upload(low)).documents[0]?.state, 'proposed-for-filing');
    });

    it('shows a page image to the front desk (audited with the patient) and not to an administrator', async () => {
      const [item] = (
        await intake.list(desk, {
          site: 'north',
          type: 'referral-letter',
          minConfidence: 0.9,
          state: ['proposed-for-filing'],
        })
      ).items;
      assert.ok(item?.patient?.id);
      const png = await intake.pageImage(desk, item?.id ?? '', 0);
      assert.deepEqual(png, tinyPng);
      await assert.rejects(intake.pageImage(admin, item?.id ?? '', 0), { code: 'NOT_FOUND' });
      const { rows } = await db.query<{ n: number }>(
        `select count(*)::int as n from audit_log where event = 'phi.read' and entry like '%page-image%' and entry like $1 and $2 = any(patient_ids)`,
        [`%${item?.id ?? 'none'}%`, item?.patient?.id],
      );
      assert.ok((rows[0]?.n ?? 0) >= 1);
    });

    it('picks up a complete file from a watched folder and moves a bad one to failed/ with the reason', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'intake-folder-'));
      try {
        const bytes = pdf('folder');
        reader.script(bytes, result(doc()));
        await writeFile(join(dir, 'fax-001.pdf'), bytes);
        await writeFile(join(dir, 'fax-001.pdf.done'), '');
        await writeFile(join(dir, 'notes.txt'), 'hello');
        await writeFile(join(dir, 'notes.txt.done'), '');
        await writeFile(join(dir, 'partial.pdf'), pdf('partial'));
        const folder = new WatchedFolder({
          dir,
          settleMs: 60_000,
          ingest: async (b, name) => {
            const a = await intake.receive(desk, {
              site: 'north',
              source: 'folder',
              file: checkArrivingFile(b, undefined, name),
            });
            return a.outcome;
          },
        });
        const picked = await folder.scan();
        assert.deepEqual(
          picked.map((p) => [p.name, p.outcome]),
          [
            ['fax-001.pdf', 'processed'],
            ['notes.txt', 'failed'],
          ],
        );
        assert.deepEqual(await readdir(join(dir, 'processed')), ['fax-001.pdf']);
        assert.match(await readFile(join(dir, 'failed', 'notes.txt.reason.txt'), 'utf8'), /unsupported file/);
        assert.ok((await readdir(dir)).includes('partial.pdf'), 'a file still being written stays');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('takes a document from an HL7 MDM^T02 message (OBX-5 ED, base64)', async () => {
      const bytes = pdf('mdm');
      reader.script(bytes, result(doc({ type: 'consult-note', bestType: 'consult-note' })));
      const b64 = bytes.toString('base64');
      const raw = [
        'MSH|^~\\&|EPIC|NORTH|STEWARD|NORTH|20261207103000||MDM^T02^MDM_T02|MSG00042|P|2.5.1',
        'EVN|T02|20261207103000',
        'PID|1||MR-4471^^^NORTH^MR||Rivera^Ana||19840309|F',
        'PV1|1|O',
        'TXA|1|CN|AP|20261207||||||||DOC-889^EPIC|||||AU',
        `OBX|1|ED|18842-5^Consult note^LN||EPIC^AP^PDF^Base64^${b64}||||||F`,
      ].join('\r');
      const file = mdmDocument(raw);
      assert.equal(file.mediaType, 'application/pdf');
      assert.equal(file.reference, 'MDM:DOC-889');
      const arrival = await intake.receive(desk, { site: 'north', source: 'hl7-mdm', file });
      assert.equal(arrival.documents[0]?.state, 'proposed-for-filing');
      assert.throws(() => mdmDocument(raw.replace('Base64', 'A')), { code: 'VALIDATION_FAILED' });
    });

    it('takes a document from a FHIR DocumentReference with inline data, and refuses one only by url', async () => {
      const bytes = pdf('fhir');
      reader.script(bytes, result(doc({ type: 'consent', bestType: 'consent' })));
      const file = fhirDocument({
        resourceType: 'DocumentReference',
        id: 'dr-7',
        status: 'current',
        content: [{ attachment: { contentType: 'application/pdf', data: bytes.toString('base64') } }],
      });
      assert.equal(file.reference, 'DocumentReference/dr-7');
      const arrival = await intake.receive(desk, { site: 'north', source: 'fhir', file });
      assert.equal(arrival.outcome, 'accepted');
      assert.throws(
        () => fhirDocument({ resourceType: 'DocumentReference', content: [{ attachment: { url: 'Binary/1' } }] }),
        (e: { details: { path: string; message: string }[] }) =>
          e.details[0]?.path === 'content/0/attachment/data' && /not fetched/.test(e.details[0].message),
      );
    });

    it('clears expired content by retention, keeping what a legal hold names and what arrived', async () => {
      const purger = new IntakeRetention();
      const count = await db.transaction((tx) =>
        purger.purge(tx, { before: new Date(Date.now() + 60_000), held: [{ stewardId: ana }], limit: 1000 }),
      );
      assert.ok(count.deleted > 0);
      assert.ok(count.kept > 0, 'files naming the held patient are kept');
      const { rows } = await db.query<{ purged: number; kept: number }>(
        `select count(*) filter (where purged_at is not null)::int as purged,
                count(*) filter (where purged_at is null and content_enc is not null)::int as kept from intake_files`,
      );
      assert.equal(rows[0]?.purged, count.deleted);
      const [twin] = (await intake.list(desk, { site: 'north', state: ['proposed-for-filing'] })).items.filter(
        (i) => i.patient?.id === twinA,
      );
      await assert.rejects(intake.pageImage(desk, twin?.id ?? '', 0), { code: 'INTAKE_PURGED' });
      const { rows: arrivals } = await db.query<{ n: number }>('select count(*)::int as n from intake_arrivals');
      assert.ok((arrivals[0]?.n ?? 0) > 0, 'arrivals stay');
    });

    it('refuses a webhook with a bad signature and accepts a signed one', async () => {
      const hooks = new IntakeWebhooks(deps, intake);
      await assert.rejects(hooks.register(admin, { name: 'efax', site: 'north', destination: 'nobody' }), {
        code: 'VALIDATION_FAILED',
      });
      const { secret } = await hooks.register(admin, { name: 'efax', site: 'north', destination: 'fax-provider' });
      const bytes = pdf('webhook');
      reader.script(bytes, result(doc()));
      const body = Buffer.from(
        JSON.stringify({ messageId: 'fx-1', mediaType: 'application/pdf', data: bytes.toString('base64') }),
      );
      const ts = Math.floor(Date.now() / 1000);
      await assert.rejects(
        hooks.receive(
          'efax',
          {
            id: 'msg_1',
            timestamp: String(ts),
            signature: signWebhook('whsec_' + Buffer.alloc(32).toString('base64'), 'msg_1', ts, body),
          },
          body,
        ),
        { code: 'WEBHOOK_SIGNATURE_INVALID' },
      );
      const arrival = await hooks.receive(
        'efax',
        { id: 'msg_1', timestamp: String(ts), signature: signWebhook(secret, 'msg_1', ts, body) },
        body,
      );
      assert.equal(arrival.source, 'webhook');
      assert.equal(arrival.outcome, 'accepted');
    });
    it('links a consult note to the referral it answers, or waits for a person to link it', async () => {
      const referral = (n: number, organization: string, stage = 'attended'): ReferralCandidate => ({
        id: `00000000-0000-4000-8000-00000000000${n}`,
        site: 'north',
        connectionId: CONNECTION,
        serviceRequest: `ServiceRequest/sr-${n}`,
        stage,
        ended: false,
        service: 'Cardiology consult',
        destination: { name: null, organization, service: 'Cardiology' },
      });
      referralsOf = (patientId) =>
        patientId === ana
          ? [
              referral(1, 'Lakeshore Heart Specialists'),
              referral(2, 'Summit Valley Health', 'scheduled'),
              referral(3, 'Harborview Medical Group', 'sent'),
            ]
          : [];
      const consult = (tag: string, fromOrganization: string) => {
        const bytes = pdf(tag);
        reader.script(
          bytes,
          result(
            doc({ type: 'consult-note', bestType: 'consult-note', fields: { ...doc().fields, fromOrganization } }),
          ),
        );
        return bytes;
      };
      const reviewer = await kit.as('rev-2', 'coordinator', 'north');
      const opened = async (id: string) =>
        (await kit.desk.get(reviewer, id)) as unknown as { action: string; payload: Record<string, unknown> };

      // Two await their report: the sender read on the page names one of them.
      const named = await upload(consult('consult-named', 'Summit Valley Health'));
      const linked = await intake.show(desk, named.documents[0]?.id ?? '');
      assert.deepEqual(
        [linked.state, linked.referralId, linked.referralReason, linked.referral?.words],
        [
          'proposed-for-filing',
          referral(2, '').id,
          'sender-named-destination',
          'referral to Summit Valley Health (Cardiology consult), scheduled',
        ],
      );
      const filing = await opened(linked.proposalId ?? '');
      assert.deepEqual(filing.payload['context'], { related: [{ reference: 'ServiceRequest/sr-2' }] });
      const completionId = /referral completion proposal (\S+)/.exec(linked.trail.at(-1)?.note ?? '')?.[1] ?? '';
      const completion = await opened(completionId);
      assert.equal(completion.action, 'service-request.status');
      assert.deepEqual(
        [completion.payload['id'], completion.payload['status']],
        ['sr-2', 'completed'],
        'the request completed, on the version read',
      );

      // None named: it waits for a person, who is offered the open ones first.
      const unnamed = await upload(consult('consult-unnamed', 'Elsewhere Clinic'));
      const waiting = await intake.show(desk, unnamed.documents[0]?.id ?? '');
      assert.deepEqual([waiting.state, waiting.referralReason], ['needs-referral', 'several-open-referrals']);
      assert.deepEqual(
        waiting.referralChoices?.map((c) => c.stage),
        ['attended', 'scheduled', 'sent'],
      );
      assert.equal(handoffs.of('intake.link-referral').at(-1)?.subject.id, waiting.id);
      await assert.rejects(intake.linkReferral(desk, waiting.id, '00000000-0000-4000-8000-000000000009'), {
        code: 'INTAKE_REFERRAL_MISMATCH',
      });
      const done = await intake.linkReferral(desk, waiting.id, referral(1, '').id);
      assert.deepEqual([done.state, done.referralReason], ['proposed-for-filing', 'person']);
      assert.deepEqual((await opened(done.proposalId ?? '')).payload['context'], {
        related: [{ reference: 'ServiceRequest/sr-1' }],
      });

      // "Not for a referral": filed as it is, nothing completed.
      const other = await upload(consult('consult-none', 'Elsewhere Clinic'));
      const none = await intake.linkReferral(desk, other.documents[0]?.id ?? '', null);
      assert.deepEqual(
        [none.state, none.referralId, none.referralReason],
        ['proposed-for-filing', null, 'not-for-a-referral'],
      );
      assert.equal((await opened(none.proposalId ?? '')).payload['context'], undefined);
      referralsOf = () => [];
    });
  });
}

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, OperationalError, type RequestContext } from '@steward/core';
import { notify } from '@steward/store';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import { openProposalKit, type ProposalKit } from '@steward/proposals/testing';
import { PatientIndex, PatientLabels } from '@steward/clinic';
import type { DocumentReader, ReadDocument, ReadResult } from '../model/intake-model.js';
import { ScriptedReader, tinyPng } from '../testing/scripted-reader.js';
import { untilRead } from '../testing/until-read.js';
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
import type { ArrivalView } from './intake-views.js';
import type { ReadingWorker } from '../worker/reading-worker.js';
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

const bareLetter: ReadResult = {
  pages: [
    {
      index: 0,
      source: 'ocr',
      text: 'Dear colleague',
      textConfidence: 0.9,
      blank: false,
      coverSheet: false,
      barcodes: [],
      image: tinyPng,
    },
  ],
  documents: [
    {
      pages: [0],
      type: 'referral-letter',
      bestType: 'referral-letter',
      confidence: 0.95,
      fields: {},
      completeness: { complete: true, missing: [] },
    },
  ],
  modelVersion: 'test-1',
};
const timeout = (): OperationalError =>
  new OperationalError('INTAKE_TOOL_FAILED', 'tesseract ran past its 120000 ms limit (ocr pages 1-4)');

for (const target of storeTargets()) {
  describe(`intake arrival, storage, matching and filing (${target.name})`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let kit: ProposalKit;
    let intake: IntakeService;
    let worker: ReadingWorker;
    let deps: IntakeDeps;
    const reader = new ScriptedReader();
    const handoffs = new InMemoryHandoffs();
    let desk: RequestContext;
    let admin: RequestContext;
    let ana: string;
    let twinA: string;
    let chartDown = false;
    // The EHR's encounters of a patient by date: one, several, or the search failing.
    const encountersOn = new Map<string, readonly string[] | Error>();
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
        encounterOf: (_ctx, chart, date) => {
          const found = encountersOn.get(`${chart.ehrId}@${date}`) ?? [];
          if (found instanceof Error) return Promise.reject(found);
          return Promise.resolve(found.length === 1 ? found[0] : undefined);
        },
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
      worker = intake.readingWorker();
    });
    after(async () => {
      await kit.close();
    });

    /** The arrival once the reading worker has read its file and routed the documents. */
    const settled = async (arrival: ArrivalView, ctx = desk): Promise<ArrivalView> => {
      await worker.drain();
      return intake.arrival(ctx, arrival.arrivalId);
    };
    const upload = async (bytes: Buffer, ctx = desk) =>
      settled(
        await intake.receive(ctx, {
          site: 'north',
          source: 'upload',
          file: checkArrivingFile(bytes, 'application/pdf', 'scan.pdf'),
        }),
        ctx,
      );

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

    it('finds the patient of a name OCR misread by a letter through the birth date, and says so', async () => {
      const bytes = pdf('misread-name');
      reader.script(
        bytes,
        result(doc({ fields: { patientFamily: 'Rivcra', patientGiven: 'Ana', birthDate: '1984-03-09' } })),
      );
      const arrival = await upload(bytes);
      assert.equal(arrival.documents[0]?.state, 'proposed-for-filing');
      const shown = await intake.show(desk, arrival.documents[0]?.id ?? '');
      assert.deepEqual([shown.patient?.id, shown.matchReason], [ana, 'near-name-and-birth-date']);
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

    it("files a document under the patient's one encounter on its date, and says on the trail when there is none", async () => {
      const reviewer = await kit.as('rev-enc', 'coordinator', 'north');
      const ehrId = `ehr-${ana.slice(0, 8)}`;
      encountersOn.set(`${ehrId}@2026-02-02`, ['enc-1']);
      encountersOn.set(`${ehrId}@2026-02-03`, ['enc-2', 'enc-3']);
      encountersOn.set(`${ehrId}@2026-02-04`, new OperationalError('SERVER_UNAVAILABLE', 'the EHR is down'));
      const filed = async (date: string) => {
        const bytes = pdf(`consult-${date}`);
        reader.script(
          bytes,
          result(
            doc({ type: 'consult-note', bestType: 'consult-note', fields: { ...doc().fields, documentDate: date } }),
          ),
        );
        const arrival = await upload(bytes);
        const id = arrival.documents[0]?.id ?? '';
        const detail = await intake.show(desk, id);
        const proposal = await kit.desk.get(reviewer, detail.proposalId ?? '');
        const payload = (proposal as unknown as { payload: { context?: { encounter?: { reference: string }[] } } })
          .payload;
        return { encounter: payload.context?.encounter?.[0]?.reference, trail: detail.trail.map((t) => t.note ?? '') };
      };
      const one = await filed('2026-02-02');
      assert.equal(one.encounter, 'Encounter/enc-1');
      assert.ok(
        one.trail.some((n) => n.includes('encounter enc-1 of 2026-02-02')),
        one.trail.join(' | '),
      );
      const two = await filed('2026-02-03');
      assert.equal(two.encounter, undefined, 'two encounters that day: none is guessed');
      assert.ok(
        two.trail.some((n) => n.includes('no single encounter on 2026-02-03')),
        two.trail.join(' | '),
      );
      const down = await filed('2026-02-04');
      assert.equal(down.encounter, undefined, 'the lookup failed: filed without one, not held back');
      assert.ok(
        down.trail.some((n) => n.includes('encounter not looked up (SERVER_UNAVAILABLE)')),
        down.trail.join(' | '),
      );
    });

    it('says what became of a filing: approved, rejected in review, edited (followed to the new revision)', async () => {
      const reviewer = await kit.as('rev-follow', 'coordinator', 'north');
      const filing = async (tag: string) => {
        const bytes = pdf(`follow-${tag}`);
        reader.script(bytes, result(doc({ type: 'consent', bestType: 'consent' })));
        const id = (await upload(bytes)).documents[0]?.id ?? '';
        const detail = await intake.show(desk, id);
        assert.equal(detail.state, 'proposed-for-filing');
        return { id, proposalId: detail.proposalId ?? '' };
      };
      const approved = await filing('approve');
      const rejected = await filing('reject');
      const edited = await filing('edit');
      const opened = await kit.desk.get(reviewer, approved.proposalId);
      await kit.desk.approve(reviewer, approved.proposalId, { contentHash: opened.contentHash });
      await kit.desk.reject(reviewer, rejected.proposalId, 'not for this chart');
      const toEdit = (await kit.desk.get(reviewer, edited.proposalId)) as unknown as {
        payload: Record<string, unknown>;
      };
      const revision = await kit.desk.edit(reviewer, edited.proposalId, {
        ...toEdit.payload,
        description: 'Consent (signed)',
      });

      // Every open filing is followed, however many pages of them there are.
      for (let round = 0; round < 20; round++) await intake.followFilings(2);
      const a = await intake.show(desk, approved.id);
      assert.equal(a.state, 'proposed-for-filing', 'approved, not yet written: still on its way');
      assert.equal(a.outcomeDetail, 'approved in review: being written to the EHR');
      const r = await intake.show(desk, rejected.id);
      assert.equal(r.state, 'rejected');
      assert.equal(r.outcomeDetail, 'filing rejected in review');
      assert.ok(r.trail.some((t) => t.note === 'filing rejected in review'));
      const e = await intake.show(desk, edited.id);
      assert.equal(e.proposalId, revision.id, 'the edited revision is the one followed now');
      assert.equal(e.state, 'proposed-for-filing');
      assert.equal(await intake.followFilings(100), 0, 'nothing moves when nothing changed');
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
        await worker.drain();
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
      const arrival = await settled(await intake.receive(desk, { site: 'north', source: 'hl7-mdm', file }));
      assert.equal(arrival.documents[0]?.state, 'proposed-for-filing');
      assert.throws(() => mdmDocument(raw.replace('Base64', 'A')), { code: 'VALIDATION_FAILED' });
    });

    it('takes a document from a FHIR DocumentReference with inline data, and asks for the connection of one only by url', async () => {
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
      assert.equal(arrival.reading, 'received', 'read off the arrival call');
      assert.equal((await settled(arrival)).documents[0]?.state, 'proposed-for-filing');
      assert.throws(
        () => fhirDocument({ resourceType: 'DocumentReference', content: [{ attachment: { url: 'Binary/1' } }] }),
        (e: { details: { path: string; message: string }[] }) =>
          e.details[0]?.path === 'connection' && /Binary\/1/.test(e.details[0].message),
        'an attachment by url needs the connection to read it from',
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
      assert.equal((await settled(arrival)).reading, 'read');
    });

    /**
     * The reading worker over the same store: a file is `received` when `receive` returns and read by
     * a worker woken by the arrival; a file whose reader died is read again once its lease has passed,
     * not before; two workers (two processes) read each file once; a transient failure is retried
     * after a back-off and, when it keeps failing, ends `unreadable` naming the cause and the attempts;
     * a file received before a restart, or given back by a worker stopping mid-read, is read after it.
     */
    describe('the reading worker', () => {
      const scripted = new ScriptedReader();
      /** Reads wait for `gate` (a reader taking its time, or one that never finishes). */
      let gate: Promise<void> = Promise.resolve();
      const gated: DocumentReader = { read: (f) => gate.then(() => scripted.read(f)) };
      const clock = new ManualClock(new Date());
      /** A service as another process runs it: the same store, its own worker. */
      const service = (): IntakeService => new IntakeService({ ...deps, clock, reader: gated });

      const receive = (intake: IntakeService, bytes: Buffer) =>
        intake.receive(desk, { site: 'north', source: 'upload', file: checkArrivingFile(bytes, 'application/pdf') });
      const fileRow = async (id: string) =>
        (
          await db.query<{ state: string; read_attempts: number; lease_owner: string | null }>(
            'select state, read_attempts, lease_owner from intake_files where id = $1',
            [id],
          )
        ).rows[0];
      const readsOf = (bytes: Buffer): number =>
        scripted.calls.filter((c) => Buffer.from(c.bytes).equals(bytes)).length;

      it('returns the file received, and a running worker woken by the arrival reads and routes it', async () => {
        const intake = service();
        // Polling far apart: only the arrival's wake-up can have it read within the test.
        const worker = intake.readingWorker({ pollMs: 60_000 });
        worker.start();
        try {
          const bytes = pdf('woken');
          scripted.script(bytes, bareLetter);
          const arrival = await receive(intake, bytes);
          assert.equal(arrival.outcome, 'accepted');
          assert.equal(arrival.reading, 'received');
          assert.equal(arrival.readingNote, 'received, waiting to be read');
          assert.equal(arrival.documents.length, 0, 'nothing read on the arrival call');
          const read = await untilRead(intake, desk, arrival.arrivalId, 5_000);
          assert.equal(read.reading, 'read');
          assert.equal(read.readingNote, 'read: 1 page(s)');
          assert.deepEqual(
            read.documents.map((d) => d.state),
            ['needs-match'],
          );
          assert.equal(readsOf(bytes), 1);
          const row = await fileRow(arrival.fileId);
          assert.deepEqual(row, { state: 'read', read_attempts: 1, lease_owner: null }, 'the lease ended');
        } finally {
          await worker.stop();
        }
      });

      it(
        "a file received by another process wakes this one's worker (PostgreSQL NOTIFY)",
        { skip: target.name === 'postgres' ? undefined : 'PostgreSQL only: the embedded store is one process' },
        async () => {
          const receiving = service();
          const reading = service();
          // Only the store's NOTIFY can reach this worker: it shares no listener with `receiving`.
          const worker = reading.readingWorker({ pollMs: 60_000 });
          worker.start();
          try {
            // The listening connection is up once a probe sent after the worker's LISTEN comes back.
            let heard = false;
            const stop = db.listen?.('steward_test_probe', () => (heard = true));
            for (let i = 0; i < 200 && !heard; i++) {
              await notify(db, db, 'steward_test_probe');
              await new Promise((r) => setTimeout(r, 20));
            }
            stop?.();
            assert.ok(heard, 'the listening connection is up');
            const bytes = pdf('woken-elsewhere');
            scripted.script(bytes, bareLetter);
            const arrival = await receive(receiving, bytes);
            const read = await untilRead(reading, desk, arrival.arrivalId, 5_000);
            assert.equal(read.reading, 'read');
            assert.equal(readsOf(bytes), 1);
          } finally {
            await worker.stop();
          }
        },
      );

      it('reads a file whose reader died only after its lease has passed', async () => {
        const intake = service();
        const bytes = pdf('dead-reader');
        scripted.script(bytes, bareLetter);
        const arrival = await receive(intake, bytes);
        assert.equal(arrival.readingNote, 'received, waiting to be read');
        // Another process claimed it and died mid-read: its lease runs a minute more.
        await db.query(
          `update intake_files set lease_owner = 'dead-process', lease_until = $2, read_attempts = 1 where id = $1`,
          [arrival.fileId, new Date(clock.now().getTime() + 60_000)],
        );
        assert.equal((await intake.arrival(desk, arrival.arrivalId)).reading, 'reading');
        const worker = intake.readingWorker();
        await worker.drain();
        assert.equal(readsOf(bytes), 0, 'not while the lease holds');
        assert.equal((await fileRow(arrival.fileId))?.state, 'received');
        clock.advance(60_001);
        await worker.drain();
        assert.equal(readsOf(bytes), 1);
        assert.deepEqual(await fileRow(arrival.fileId), { state: 'read', read_attempts: 2, lease_owner: null });
        assert.equal((await intake.arrival(desk, arrival.arrivalId)).documents.length, 1);
      });

      it('has two workers (two processes) read each file once', async () => {
        const one = service();
        const two = service();
        const files = [1, 2, 3, 4, 5].map((n) => pdf(`pair-${n}`));
        for (const f of files) scripted.script(f, bareLetter);
        const arrivals = [];
        for (const f of files) arrivals.push(await receive(one, f));
        let open!: () => void;
        gate = new Promise((resolve) => (open = resolve));
        const a = one.readingWorker({ concurrency: 1 });
        const b = two.readingWorker({ concurrency: 1 });
        const draining = Promise.all([a.drain(), b.drain()]);
        setTimeout(() => open(), 20);
        await draining;
        gate = Promise.resolve();
        assert.deepEqual(
          files.map((f) => readsOf(f)),
          [1, 1, 1, 1, 1],
        );
        assert.equal(a.outcomes.length + b.outcomes.length, 5);
        assert.ok(a.outcomes.length > 0 && b.outcomes.length > 0, 'both read while the other held its file');
        const { rows } = await db.query<{ n: number }>(
          'select count(*)::int as n from intake_documents where file_id = any($1::uuid[])',
          [arrivals.map((x) => x.fileId)],
        );
        assert.equal(rows[0]?.n, 5, 'one document per file, recorded once');
      });

      it('retries a transient failure after a back-off, then ends it unreadable naming the cause and attempts', async () => {
        const intake = service();
        const worker = intake.readingWorker({ maxAttempts: 3, backoffMs: 1_000 });
        const failing = pdf('always-times-out');
        scripted.script(failing, timeout());
        const once = pdf('times-out-once');
        scripted.script(once, timeout());
        const a = await receive(intake, failing);
        const b = await receive(intake, once);
        await worker.drain();
        const waiting = await intake.arrival(desk, a.arrivalId);
        assert.equal(waiting.reading, 'received');
        assert.equal(waiting.outcome, 'accepted');
        assert.match(
          waiting.readingNote,
          /^received, waiting to be read again after a transient failure: INTAKE_TOOL_FAILED: tesseract ran past .* \(attempt 1 of 3\)$/,
        );
        await worker.drain();
        assert.equal(readsOf(failing), 1, 'not before its back-off');
        scripted.script(once, bareLetter);
        clock.advance(1_000);
        await worker.drain();
        assert.equal((await intake.arrival(desk, b.arrivalId)).reading, 'read', 'the second try read it');
        assert.equal(readsOf(failing), 2);
        clock.advance(1_999);
        await worker.drain();
        assert.equal(readsOf(failing), 2, 'the back-off doubles');
        clock.advance(1);
        await worker.drain();
        assert.equal(readsOf(failing), 3);
        const ended = await intake.arrival(desk, a.arrivalId);
        assert.equal(ended.reading, 'unreadable');
        assert.equal(ended.outcome, 'unreadable');
        assert.match(
          ended.detail ?? '',
          /^INTAKE_TOOL_FAILED: tesseract ran past its 120000 ms limit .*\(after 3 attempts\)$/,
        );
        clock.advance(60_000);
        await worker.drain();
        assert.equal(readsOf(failing), 3, 'never read again by itself');
      });

      it('reads after a restart what was received before it, and what a stopping worker gave back', async () => {
        const before = service();
        const bytes = pdf('before-restart');
        scripted.script(bytes, bareLetter);
        const received = await receive(before, bytes);
        // A worker stopping while it reads gives the file back: due at once, the claim not counted.
        gate = new Promise(() => undefined);
        const stopping = before.readingWorker({ stopGraceMs: 0, pollMs: 60_000 });
        stopping.start();
        while ((await fileRow(received.fileId))?.lease_owner !== stopping.owner)
          await new Promise((r) => setTimeout(r, 5));
        await stopping.stop();
        gate = Promise.resolve();
        assert.deepEqual(stopping.outcomes, [{ fileId: received.fileId, outcome: 'released' }]);
        assert.deepEqual(await fileRow(received.fileId), { state: 'received', read_attempts: 0, lease_owner: null });
        // The process restarts: a new service and worker over the same store, no lease to wait for.
        const after = service();
        const worker = after.readingWorker({ pollMs: 60_000 });
        worker.start();
        try {
          assert.equal((await untilRead(after, desk, received.arrivalId, 5_000)).reading, 'read');
        } finally {
          await worker.stop();
        }
        assert.equal(readsOf(bytes), 1);
        assert.deepEqual(await fileRow(received.fileId), { state: 'read', read_attempts: 1, lease_owner: null });
      });
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

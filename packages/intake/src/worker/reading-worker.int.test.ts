/**
 * The reading worker over a real store (PGlite and PostgreSQL): a file is `received` when `receive`
 * returns and read by a worker woken by the arrival; a file whose reader died is read again once its
 * lease has passed, not before; two workers read each file once; a transient failure is retried
 * after a back-off and, when it keeps failing, ends `unreadable` naming the cause and the attempts;
 * a file received before a restart, or given back by a worker stopping mid-read, is read after it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock, OperationalError, type RequestContext } from '@steward/core';
import { storeTargets, type TestDatabase } from '@steward/store/testing';
import { openProposalKit, type ProposalKit } from '@steward/proposals/testing';
import type { DocumentReader, ReadResult } from '../model/intake-model.js';
import { ScriptedReader, tinyPng } from '../testing/scripted-reader.js';
import { untilRead } from '../testing/until-read.js';
import { InMemoryHandoffs } from '../filing/handoff-sink.js';
import { checkArrivingFile } from '../arrival/arrival-file.js';
import { IntakeService } from '../service/intake-service.js';
import type { IntakeDeps } from '../service/intake-deps.js';

const pdf = (tag: string): Buffer => Buffer.from(`%PDF-1.4\n% ${tag}\n%%EOF\n`);
const letter: ReadResult = {
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
  describe(`intake's reading worker (${target.name})`, { skip: target.skip }, () => {
    let db: TestDatabase;
    let kit: ProposalKit;
    let deps: IntakeDeps;
    let desk: RequestContext;
    const scripted = new ScriptedReader();
    /** Reads wait for `gate` (a reader taking its time, or one that never finishes). */
    let gate: Promise<void> = Promise.resolve();
    const reader: DocumentReader = { read: (f) => gate.then(() => scripted.read(f)) };
    const clock = new ManualClock(new Date());
    const service = (): IntakeService => new IntakeService(deps);

    before(async () => {
      db = await target.open();
      kit = await openProposalKit(db);
      const pipeline = await kit.as('steward-intake', 'automation', '*');
      desk = await kit.as('desk', 'front_desk', 'north');
      deps = {
        db,
        cipher: kit.deps.cipher,
        policy: kit.deps.policy,
        audit: kit.audit,
        clock,
        reader,
        patients: { byValue: () => Promise.resolve([]), byNameAndBirthDate: () => Promise.resolve([]) },
        handoffs: new InMemoryHandoffs(),
        proposals: kit.desk,
        pipeline: () => Promise.resolve(pipeline),
        chartOf: () => Promise.resolve(undefined),
      };
    });
    after(async () => {
      await kit.close();
    });

    const receive = (intake: IntakeService, bytes: Buffer) =>
      intake.receive(desk, { site: 'north', source: 'upload', file: checkArrivingFile(bytes, 'application/pdf') });
    const fileRow = async (id: string) =>
      (
        await db.query<{ state: string; read_attempts: number; lease_owner: string | null }>(
          'select state, read_attempts, lease_owner from intake_files where id = $1',
          [id],
        )
      ).rows[0];
    const readsOf = (bytes: Buffer): number => scripted.calls.filter((c) => Buffer.from(c.bytes).equals(bytes)).length;

    it('returns the file received, and a running worker woken by the arrival reads and routes it', async () => {
      const intake = service();
      // Polling far apart: only the arrival's wake-up can have it read within the test.
      const worker = intake.readingWorker({ pollMs: 60_000 });
      worker.start();
      try {
        const bytes = pdf('woken');
        scripted.script(bytes, letter);
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

    it('reads a file whose reader died only after its lease has passed', async () => {
      const intake = service();
      const bytes = pdf('dead-reader');
      scripted.script(bytes, letter);
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
      for (const f of files) scripted.script(f, letter);
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
      scripted.script(once, letter);
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
      scripted.script(bytes, letter);
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
}

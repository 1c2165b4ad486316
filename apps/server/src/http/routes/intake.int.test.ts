/**
 * /intake over HTTP, with a scripted document reader: an upload is answered 202, its file received
 * and waiting to be read (`Location` the arrival to poll), and the reading worker reads it; the
 * arrival says where it is. An upload the classifier abstains on waits in
 * the queue for a person, who sorts it (audited) and it goes on; the page image is a PNG for the
 * front desk and NOT_FOUND for an administrator; a file that cannot be read ends `unreadable` with
 * the reason; bad input is a 400 naming the field (a file over the size limit is a 413:
 * arrival-file.test.ts); the intake policy is the
 * administrator's; a provider's webhook with a bad signature is refused 401 and a signed one arrives.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { flowTargets } from '@steward/store/testing';
import { InMemoryHandoffs, signWebhook, type ReadResult } from '@steward/intake';
import { ScriptedReader, tinyPng } from '@steward/intake/testing';
import {
  bearer,
  openTestApp,
  principalWith,
  untilIntakeRead,
  type TestApp,
  type TestPrincipal,
} from '../../testing.js';

const pdf = (tag: string): Buffer => Buffer.from(`%PDF-1.4\n% ${tag}\n%%EOF\n`);
const abstained: ReadResult = {
  pages: [
    {
      index: 0,
      source: 'ocr',
      text: 'cover',
      textConfidence: 0.9,
      blank: false,
      coverSheet: true,
      barcodes: [],
      image: tinyPng,
    },
    {
      index: 1,
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
      pages: [1],
      type: null,
      bestType: 'referral-letter',
      confidence: 0.61,
      fields: { fromName: 'Dr. Okafor' },
      completeness: { complete: true, missing: [] },
    },
  ],
  modelVersion: 'test-1',
};

for (const target of flowTargets()) {
  describe(`intake over HTTP on ${target.name}`, { skip: target.skip }, () => {
    let t: TestApp;
    let desk: TestPrincipal;
    let admin: TestPrincipal;
    const reader = new ScriptedReader();
    const handoffs = new InMemoryHandoffs();

    before(async () => {
      t = await openTestApp(await target.open(), { intake: { reader, handoffs } });
      desk = await principalWith(t.kernel, 'north-desk', { role: 'front_desk', site: 'north' });
      admin = await principalWith(t.kernel, 'admin-1', { role: 'admin', site: 'north' });
    });
    after(() => t.close());

    const upload = (who: TestPrincipal, body: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: '/intake/uploads', headers: bearer(who), payload: body });

    it('queues an abstained upload for a person, who sorts it; the page image is audited PHI', async () => {
      const bytes = pdf('http-abstain');
      reader.script(bytes, abstained);
      const res = await upload(desk, {
        site: 'north',
        mediaType: 'application/pdf',
        fileName: 'fax.pdf',
        data: bytes.toString('base64'),
      });
      assert.equal(res.statusCode, 202, res.body);
      const received = res.json<{ arrivalId: string; outcome: string; reading: string; readingNote: string }>();
      assert.equal(received.outcome, 'accepted');
      assert.equal(received.reading, 'received');
      assert.equal(received.readingNote, 'received, waiting to be read');
      assert.equal(res.headers['location'], `/intake/arrivals/${received.arrivalId}`);
      await untilIntakeRead(t, received.arrivalId);
      const polled = await t.app.inject({ url: `/intake/arrivals/${received.arrivalId}`, headers: bearer(desk) });
      assert.equal(polled.statusCode, 200, polled.body);
      const arrival = polled.json<{ outcome: string; reading: string; documents: { id: string; state: string }[] }>();
      assert.equal(arrival.reading, 'read');
      const hiddenArrival = await t.app.inject({
        url: `/intake/arrivals/${received.arrivalId}`,
        headers: bearer(admin),
      });
      assert.equal(hiddenArrival.statusCode, 404, 'an administrator does not bring files: not found');
      const id = arrival.documents[0]?.id ?? '';
      assert.equal(arrival.documents[0]?.state, 'needs-sorting');
      assert.equal(handoffs.of('intake.sort').length, 1);

      const queue = await t.app.inject({
        url: '/intake/documents?site=north&state=needs-sorting&maxConfidence=0.7',
        headers: bearer(desk),
      });
      assert.equal(queue.statusCode, 200, queue.body);
      assert.deepEqual(
        queue.json<{ items: { id: string }[] }>().items.map((i) => i.id),
        [id],
      );
      const shown = await t.app.inject({ url: `/intake/documents/${id}`, headers: bearer(desk) });
      assert.equal(shown.statusCode, 200, shown.body);
      const detail = shown.json<{
        fields: { fromName: string };
        pages: { index: number; text: string }[];
        arrivals: { reference: string }[];
      }>();
      assert.equal(detail.fields.fromName, 'Dr. Okafor');
      assert.deepEqual(
        detail.pages.map((p) => p.index),
        [1],
        'the cover sheet is not a page of the document',
      );
      assert.equal(detail.arrivals[0]?.reference, 'fax.pdf');

      const image = await t.app.inject({ url: `/intake/documents/${id}/pages/1`, headers: bearer(desk) });
      assert.equal(image.statusCode, 200);
      assert.equal(image.headers['content-type'], 'image/png');
      assert.equal(image.headers['cache-control'], 'no-store');
      assert.deepEqual(image.rawPayload, tinyPng);
      const hidden = await t.app.inject({ url: `/intake/documents/${id}/pages/1`, headers: bearer(admin) });
      assert.equal(hidden.statusCode, 404);
      const cover = await t.app.inject({ url: `/intake/documents/${id}/pages/0`, headers: bearer(desk) });
      assert.equal(cover.statusCode, 404);

      const badType = await t.app.inject({
        method: 'POST',
        url: `/intake/documents/${id}/sort`,
        headers: bearer(desk),
        payload: { type: 'letter' },
      });
      assert.equal(badType.statusCode, 400);
      const sorted = await t.app.inject({
        method: 'POST',
        url: `/intake/documents/${id}/sort`,
        headers: bearer(desk),
        payload: { type: 'referral-letter' },
      });
      assert.equal(sorted.statusCode, 200, sorted.body);
      // Nothing on the page names a patient: it waits for a person to find one.
      assert.equal(sorted.json<{ state: string; typeSetBy: string }>().state, 'needs-match');
      assert.match(handoffs.of('intake.match')[0]?.ask ?? '', /no identifiers/);
      const rejected = await t.app.inject({
        method: 'POST',
        url: `/intake/documents/${id}/reject`,
        headers: bearer(desk),
        payload: { reason: 'wrong-recipient' },
      });
      assert.equal(rejected.json<{ state: string }>().state, 'rejected');
    });

    it('ends an unreadable file visibly, and refuses bad input naming the problem', async () => {
      const unread = await upload(desk, { site: 'north', data: pdf('never-scripted').toString('base64') });
      assert.equal(unread.statusCode, 202, unread.body);
      const ended = await untilIntakeRead(t, unread.json<{ arrivalId: string }>().arrivalId);
      assert.equal(ended.outcome, 'unreadable');
      assert.match(ended.detail ?? '', /cannot be read/);
      const again = await upload(desk, { site: 'north', data: pdf('http-abstain').toString('base64') });
      assert.equal(again.statusCode, 200, 'a duplicate of a file read already is answered at once');
      assert.equal(again.json<{ outcome: string; reading: string }>().outcome, 'duplicate');

      const notPdf = await upload(desk, {
        site: 'north',
        mediaType: 'application/pdf',
        data: Buffer.from('hello').toString('base64'),
      });
      assert.equal(notPdf.statusCode, 400);
      assert.equal(notPdf.json<{ details: { path: string }[] }>().details[0]?.path, 'mediaType');
      const badB64 = await upload(desk, { site: 'north', data: '!!!!' });
      assert.equal(badB64.statusCode, 400);
      assert.equal(badB64.json<{ details: { path: string }[] }>().details[0]?.path, 'data');
      const other = await upload(admin, { site: 'north', data: pdf('x').toString('base64') });
      assert.equal(other.statusCode, 403);
    });

    it("keeps the intake policy the administrator's, and refuses a webhook with a bad signature", async () => {
      const put = (who: TestPrincipal, body: Record<string, unknown>) =>
        t.app.inject({ method: 'PUT', url: '/intake/policies/north', headers: bearer(who), payload: body });
      assert.equal((await put(desk, { autoFileTypes: ['result'], confidenceFloor: 0.95 })).statusCode, 403);
      const set = await put(admin, { autoFileTypes: ['result'], confidenceFloor: 0.95 });
      assert.equal(set.statusCode, 200, set.body);
      const got = await t.app.inject({ url: '/intake/policies/north', headers: bearer(desk) });
      assert.deepEqual(got.json<{ autoFileTypes: string[]; version: number }>().autoFileTypes, ['result']);

      await t.kernel.egress.register(
        { kind: 'user', id: 'a0000000-0000-4000-8000-000000000001', name: 'admin-1', authMethod: 'session' },
        {
          name: 'efax-provider',
          kind: 'other',
          baseUrl: 'https://efax.example.com',
          baaOnRecord: true,
          baaReference: 'BAA-7',
        },
      );
      const reg = await t.app.inject({
        method: 'POST',
        url: '/intake/webhook-sources',
        headers: bearer(admin),
        payload: { name: 'efax', site: 'north', destination: 'efax-provider' },
      });
      assert.equal(reg.statusCode, 200, reg.body);
      const secret = reg.json<{ secret: string }>().secret;
      const bytes = pdf('http-webhook');
      reader.script(bytes, abstained);
      const body = JSON.stringify({ messageId: 'fx-9', mediaType: 'application/pdf', data: bytes.toString('base64') });
      const ts = Math.floor(t.clock.now().getTime() / 1000);
      const deliver = (signature: string) =>
        t.app.inject({
          method: 'POST',
          url: '/intake/webhooks/efax',
          headers: {
            'content-type': 'application/json',
            'webhook-id': 'msg_9',
            'webhook-timestamp': String(ts),
            'webhook-signature': signature,
          },
          payload: body,
        });
      const forged = await deliver(signWebhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`, 'msg_9', ts, body));
      assert.equal(forged.statusCode, 401);
      assert.equal(forged.json<{ code: string }>().code, 'WEBHOOK_SIGNATURE_INVALID');
      const ok = await deliver(signWebhook(secret, 'msg_9', ts, body));
      assert.equal(ok.statusCode, 202, ok.body);
      assert.equal(ok.json<{ source: string; outcome: string }>().source, 'webhook');
      assert.equal((await untilIntakeRead(t, ok.json<{ arrivalId: string }>().arrivalId)).reading, 'read');
    });
  });
}

/**
 * Intake as the server runs it, no stand-ins: a generated referral letter uploaded as a PDF is read
 * by the local reader (the PDF's text layer, the committed classifier), finds no patient at the site,
 * and lands as a handoff in the site's intake pool through the handoff service — in the pool's queue
 * and in a pool member's "my work", by name, with what is asked; the document names the handoff.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { flowTargets } from '@steward/store/testing';
import { generateFiles, localToolsSkip, renderPdf } from '@steward/intake/testing';
import {
  bearer,
  openTestApp,
  principalWith,
  untilIntakeRead,
  type TestApp,
  type TestPrincipal,
} from '../../testing.js';

for (const target of flowTargets()) {
  describe(
    `intake with the local reader and the handoff service on ${target.name}`,
    { skip: target.skip || localToolsSkip() },
    () => {
      let t: TestApp;
      let desk: TestPrincipal;
      let admin: TestPrincipal;

      before(async () => {
        t = await openTestApp(await target.open());
        admin = await principalWith(t.kernel, 'admin-1', { role: 'admin' });
        desk = await principalWith(t.kernel, 'north-desk', { role: 'front_desk', site: 'north' });
        const staffed = await t.app.inject({
          method: 'PUT',
          url: `/staff/${desk.id}`,
          headers: bearer(admin),
          payload: { displayName: 'Dee Desk', sites: ['north'], pools: [{ pool: 'intake', site: 'north' }] },
        });
        assert.equal(staffed.statusCode, 200, staffed.body);
      });
      after(() => t.close());

      it('reads a referral letter, finds no patient, and hands it to the intake pool', async () => {
        // The first single-document, complete referral letter of a seeded set.
        const file = [...generateFiles({ seed: 19, documents: 40, multiDocumentShare: 0 })].find(
          (f) =>
            f.truth.documents.length === 1 &&
            f.truth.documents[0]?.type === 'referral-letter' &&
            f.truth.documents[0].complete &&
            f.truth.separators.length === 0,
        );
        assert.ok(file !== undefined, 'the seeded set has a lone complete referral letter');
        const pdf = await renderPdf(file.pages);
        const res = await t.app.inject({
          method: 'POST',
          url: '/intake/uploads',
          headers: bearer(desk),
          payload: {
            site: 'north',
            mediaType: 'application/pdf',
            fileName: 'referral.pdf',
            data: Buffer.from(pdf).toString('base64'),
          },
        });
        assert.equal(res.statusCode, 202, res.body);
        const arrival = await untilIntakeRead(t, res.json<{ arrivalId: string }>().arrivalId, 60_000);
        assert.equal(arrival.outcome, 'accepted', arrival.detail);
        assert.equal(arrival.documents.length, 1);
        const id = arrival.documents[0]?.id ?? '';
        assert.equal(arrival.documents[0]?.state, 'needs-match', 'sorted by the classifier, then no patient');

        const doc = await t.app.inject({ url: `/intake/documents/${id}`, headers: bearer(desk) });
        assert.equal(doc.statusCode, 200, doc.body);
        const detail = doc.json<{ type: string | null; fields: { patientFamily?: string } }>();
        assert.equal(detail.type, 'referral-letter');
        assert.equal(detail.fields.patientFamily, file.truth.documents[0]?.fields.patientFamily);

        const pool = await t.app.inject({ url: '/handoffs/pools/intake', headers: bearer(desk) });
        assert.equal(pool.statusCode, 200, pool.body);
        type Item = { kind: string; subject: { kind: string; id: string }; ask?: string; to: { name: string } };
        const items = pool.json<{ items: Item[] }>().items;
        const handoff = items.find((h) => h.subject.kind === 'document' && h.subject.id === id);
        assert.ok(handoff !== undefined, `the pool's queue has the document's handoff: ${pool.body}`);
        assert.equal(handoff.kind, 'intake.match');
        const mine = await t.app.inject({ url: '/handoffs/mine', headers: bearer(desk) });
        assert.equal(mine.statusCode, 200, mine.body);
        assert.ok(
          mine.json<{ items: Item[] }>().items.some((h) => h.subject.id === id),
          "in the pool member's work",
        );
      });
    },
  );
}

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isStewardError } from '@steward/core';
import { clinician, patient, randomDay } from '../generator/people.js';
import { Rng } from '../generator/random.js';
import { renderPdf } from '../generator/render.js';
import { degradeToFax } from '../generator/degrade.js';
import { templates } from '../generator/templates.js';
import type { PagePlan } from '../generator/layout.js';
import { LocalDocumentReader, loadClassifier } from './local-document-reader.js';
import { Tools } from './tools.js';
import { localToolsSkip } from '../testing/index.js';

/** A four-page fax: cover sheet, a hand-signed referral letter, a separator sheet, an unsigned consent with its type barcode. */
async function sampleFile(): Promise<Uint8Array> {
  const rng = new Rng(4242);
  const referral = templates.find((t) => t.name === 'referral-letter/see-for-evaluation');
  const consent = templates.find((t) => t.name === 'consent/procedure');
  assert.ok(referral !== undefined && consent !== undefined);
  const ctx = (omit: 'signature' | undefined) => ({
    rng,
    patient: patient(rng),
    from: clinician(rng),
    to: clinician(rng),
    date: randomDay(rng, 2026, 2026),
    dateStyle: 0,
    omit,
    esign: false,
  });
  const pages: PagePlan[] = [
    {
      font: 'Helvetica',
      blocks: [
        { k: 'title', text: 'FAX COVER SHEET' },
        { k: 'field', label: 'Pages including cover:', value: '4' },
      ],
    },
    { font: 'Helvetica', blocks: referral.build(ctx(undefined))[0] ?? [], footer: 'Page 1 of 1' },
    { font: 'Helvetica', blocks: [{ k: 'barcode', value: 'STEWARD-SEP' }] },
    {
      font: 'Helvetica',
      blocks: [{ k: 'barcode', value: 'STEWARD-DOC:consent' }, ...(consent.build(ctx('signature'))[0] ?? [])],
      footer: 'Page 1 of 1',
    },
  ];
  return renderPdf(pages);
}

describe('LocalDocumentReader (tesseract, poppler, zbar, ImageMagick)', { skip: localToolsSkip() }, () => {
  const tools = new Tools(2);
  const reader = new LocalDocumentReader({ tools });
  let pdf: Uint8Array;

  it('reads a PDF by its text layer: cover sheet and separator dropped, barcode type taken, signature ink seen', async () => {
    pdf = await sampleFile();
    const result = await reader.read({ bytes: pdf, mediaType: 'application/pdf' });
    assert.equal(result.modelVersion, loadClassifier().version);
    assert.equal(result.pages.length, 4);
    assert.equal(result.pages[0]?.coverSheet, true);
    assert.equal(result.pages[1]?.source, 'text-layer');
    assert.deepEqual(result.pages[2]?.barcodes, ['STEWARD-SEP']);
    assert.deepEqual(
      result.documents.map((d) => d.pages),
      [[1], [3]],
    );
    const [letter, consent] = result.documents;
    assert.equal(letter?.bestType, 'referral-letter');
    assert.equal(letter?.fields.signed, true);
    assert.equal(consent?.type, 'consent');
    assert.equal(consent?.confidence, 1);
    assert.deepEqual(consent?.completeness, { complete: false, missing: ['signature'] });
    // The viewer's page image: a PNG.
    assert.deepEqual([...(result.pages[1]?.image.subarray(0, 4) ?? [])], [0x89, 0x50, 0x4e, 0x47]);
  });

  it('reads the same file faxed (G4 TIFF, 204×98) by OCR to the same documents', async () => {
    const tiff = await degradeToFax(tools, pdf, { seed: 7, normal: true });
    const result = await reader.read({ bytes: tiff, mediaType: 'image/tiff' });
    assert.equal(result.pages[1]?.source, 'ocr');
    assert.ok((result.pages[1]?.textConfidence ?? 0) > 0.5);
    assert.deepEqual(
      result.documents.map((d) => d.pages),
      [[1], [3]],
    );
    assert.equal(result.documents[0]?.bestType, 'referral-letter');
    assert.equal(result.documents[0]?.fields.signed, true);
    assert.equal(result.documents[1]?.type, 'consent');
    assert.ok(result.documents[1]?.completeness.missing.includes('signature'));
  });

  it('refuses a file that is not what its media type says, without naming its content', async () => {
    await assert.rejects(
      reader.read({ bytes: new TextEncoder().encode('Patient: Avery Abernathy'), mediaType: 'application/pdf' }),
      (e: unknown) => isStewardError(e) && e.code === 'DOCUMENT_UNREADABLE' && !e.message.includes('Abernathy'),
    );
    await assert.rejects(
      reader.read({ bytes: new Uint8Array(), mediaType: 'image/tiff' }),
      (e: unknown) => isStewardError(e) && e.code === 'DOCUMENT_UNREADABLE',
    );
  });
});

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
import { Tools, withTempDir } from './tools.js';
import { ocrBands, rasterize } from './raster.js';
import { cropBand, decodePgm, footerBand } from './page-image.js';
import { pageMarker } from './splitting.js';
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

  it('reads a page number from the footer band alone when the page text has none (fax, normal resolution)', async () => {
    const pdf = await renderPdf([
      {
        font: 'Times-Roman',
        blocks: [{ k: 'para', text: 'Continued from the previous page.' }],
        footer: 'Page 2 of 3',
      },
    ]);
    const tiff = await degradeToFax(tools, pdf, { seed: 11, normal: true });
    const [raster] = await withTempDir((dir) => rasterize(tools, dir, tiff, 'image/tiff', 5));
    assert.ok(raster !== undefined);
    const image = decodePgm(raster.pgm);
    // Stretched square: a letter page at 200 dpi.
    assert.deepEqual([image.width, image.height], [1700, 2200]);
    const [text] = await withTempDir((dir) => ocrBands(tools, dir, [cropBand(image, footerBand)]));
    assert.deepEqual(pageMarker(text ?? ''), { page: 2, of: 3 });
    // The reader asks the band when the page's own OCR read no marker but ink sits at its foot.
    const page = {
      index: 0,
      source: 'ocr',
      text: '',
      textConfidence: 0,
      blank: false,
      coverSheet: false,
      barcodes: [],
      image: raster.png,
    } as const;
    assert.deepEqual(await reader.pageMarkers([{ page, words: [], image }]), [{ page: 2, of: 3 }]);
  });
});

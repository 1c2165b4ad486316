import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { barcodeType, isCoverSheet, pageMarker, parseZbarXml, splitPages, type PageSignals } from './splitting.js';

const page = (over: Partial<PageSignals> = {}): PageSignals => ({
  blank: false,
  coverSheet: false,
  barcodes: [],
  marker: undefined,
  ...over,
});

describe('splitting a file into documents', () => {
  it('drops cover sheets, blank pages and separator sheets, and splits on each', () => {
    const docs = splitPages([
      page({ coverSheet: true }),
      page(),
      page(),
      page({ barcodes: ['STEWARD-SEP'] }),
      page(),
      page({ blank: true }),
      page(),
      page({ coverSheet: true }),
      page(),
    ]);
    assert.deepEqual(
      docs.map((d) => d.pages),
      [[1, 2], [4], [6], [8]],
    );
  });

  it('starts a document at a document-type barcode and takes its type', () => {
    const docs = splitPages([page(), page({ barcodes: ['STEWARD-DOC:consent'] }), page()]);
    assert.deepEqual(docs, [{ pages: [0] }, { pages: [1, 2], barcodeType: 'consent' }]);
  });

  it('starts a document when the numbering restarts at page 1, and keeps numbered pages together', () => {
    const docs = splitPages([
      page({ marker: { page: 1, of: 2 } }),
      page({ marker: { page: 2, of: 2 } }),
      page({ marker: { page: 1, of: 1 } }),
      page({ marker: { page: 1, of: 2 } }),
    ]);
    assert.deepEqual(
      docs.map((d) => d.pages),
      [[0, 1], [2], [3]],
    );
  });

  it('skips the blank back of a sheet when the next page continues the numbering', () => {
    const docs = splitPages([
      page({ marker: { page: 1, of: 2 } }),
      page({ blank: true }),
      page({ marker: { page: 2, of: 2 } }),
      page({ blank: true }),
      page({ marker: { page: 1, of: 1 } }),
    ]);
    assert.deepEqual(
      docs.map((d) => d.pages),
      [[0, 2], [4]],
    );
  });

  it('finds nothing in a file of separators only', () => {
    assert.deepEqual(splitPages([page({ blank: true }), page({ coverSheet: true })]), []);
  });
});

describe('page cues', () => {
  it('recognises cover sheets by their wording, not by a fax number in a letterhead', () => {
    assert.equal(isCoverSheet('FAX COVER SHEET\nTo: Riverbend'), true);
    assert.equal(isCoverSheet('Facsimile Transmittal'), true);
    assert.equal(isCoverSheet('Pages including cover: 3'), true);
    assert.equal(isCoverSheet('Number of pages (including cover): 4'), true);
    assert.equal(isCoverSheet('Riverbend Clinic  Phone (555) 200-1000  Fax (555) 200-1001\nDear Dr. Novak'), false);
  });

  it('reads "Page k of N" as OCR gives it off a fax, and refuses nonsense', () => {
    assert.deepEqual(pageMarker('… Page 2 of 3'), { page: 2, of: 3 });
    assert.deepEqual(pageMarker('Bage l of 2'), { page: 1, of: 2 });
    assert.deepEqual(pageMarker('Page 1. of 2'), { page: 1, of: 2 });
    assert.deepEqual(pageMarker('PAGE 1/1'), { page: 1, of: 1 });
    assert.deepEqual(pageMarker('Page lof 2'), { page: 1, of: 2 });
    assert.deepEqual(pageMarker('Page:1.0f.1'), { page: 1, of: 1 });
    assert.deepEqual(pageMarker('Page | of 1'), { page: 1, of: 1 });
    assert.deepEqual(pageMarker('Page i of 2'), { page: 1, of: 2 });
    assert.deepEqual(pageMarker('Page 1 of -2'), { page: 1, of: 2 });
    assert.deepEqual(pageMarker('Page J‘of |'), { page: 1, of: 1 });
    assert.deepEqual(pageMarker("Page'l of 1"), { page: 1, of: 1 });
    for (const [read, page, of] of [
      ['Page l-of 2', 1, 2],
      ['Page-1 of 1', 1, 1],
      ['Page 2;0f 2', 2, 2],
      ['Paget of 1', 1, 1],
      ['Page Lof 1', 1, 1],
      ['Page lef 1', 1, 1],
      ['Page 1 oft', 1, 1],
      ['Page 1 of (1', 1, 1],
      ['Page 1 of]', 1, 1],
    ] as const)
      assert.deepEqual(pageMarker(read), { page, of }, read);
    // A page number OCR could not read at all is not guessed.
    assert.equal(pageMarker('Page ? of 2'), undefined);
    assert.equal(pageMarker('Page. of 1'), undefined);
    assert.equal(pageMarker('Page 3 of 2'), undefined);
    assert.equal(pageMarker('no numbering here'), undefined);
  });

  it('takes a document type only from a known type barcode', () => {
    assert.equal(barcodeType(['STEWARD-DOC:intake-form']), 'intake-form');
    assert.equal(barcodeType(['STEWARD-DOC:invoice', 'X']), undefined);
  });

  it("parses zbarimg's XML per image, images without symbols included", () => {
    const xml = `<barcodes xmlns='http://zbar.sourceforge.net/2008/barcode'>
<source href='/t/p-0.png'>
</source>
<source href='/t/p-1.png'>
<index num='0'>
<symbol type='CODE-128' quality='1' orientation='UP'><data><![CDATA[STEWARD-SEP]]></data></symbol>
</index>
</source>
</barcodes>`;
    assert.deepEqual(parseZbarXml(xml, 2), [[], ['STEWARD-SEP']]);
  });
});

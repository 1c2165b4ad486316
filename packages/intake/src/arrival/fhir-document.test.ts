import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { binaryFile, fhirDocumentSource } from './fhir-document.js';

const pdf = Buffer.from('%PDF-1.4\n% fhir\n%%EOF\n');
const byUrl = (url: string, contentType?: string) => ({
  resourceType: 'DocumentReference',
  id: 'dr-1',
  content: [{ attachment: { url, ...(contentType !== undefined ? { contentType } : {}) } }],
});

describe('a FHIR document arrival', () => {
  it('takes the Binary an attachment points at, relative, absolute or versioned', () => {
    for (const url of [
      'Binary/b-1',
      'https://ehr.example/fhir/R4/Binary/b-1',
      'https://ehr.example/fhir/R4/Binary/b-1/_history/3',
      'Binary/b-1?_format=json',
    ]) {
      const source = fhirDocumentSource(byUrl(url, 'application/pdf'));
      assert.deepEqual(
        source,
        { kind: 'binary', binaryId: 'b-1', contentType: 'application/pdf', reference: 'DocumentReference/dr-1' },
        url,
      );
    }
  });

  it('refuses a url that is not a Binary, naming the field', () => {
    for (const url of ['https://elsewhere.example/file.pdf', 'DocumentReference/dr-2', 'Binary/', 'Binary/a b']) {
      assert.throws(
        () => fhirDocumentSource(byUrl(url)),
        (e: { code: string; details: { path: string }[] }) =>
          e.code === 'VALIDATION_FAILED' && e.details[0]?.path === 'content/0/attachment/url',
        url,
      );
    }
  });

  it('reads the fetched Binary as the file, named by the DocumentReference, typed by the Binary first', () => {
    const file = binaryFile(
      { resourceType: 'Binary', id: 'b-1', contentType: 'application/pdf', data: pdf.toString('base64') },
      { contentType: 'image/tiff', reference: 'DocumentReference/dr-1' },
    );
    assert.equal(file.reference, 'DocumentReference/dr-1');
    assert.equal(file.mediaType, 'application/pdf');
    assert.deepEqual(Buffer.from(file.bytes), pdf);
    assert.throws(() => binaryFile({ resourceType: 'Binary', id: 'b-2' }), { code: 'VALIDATION_FAILED' });
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { extractFields, parseDate, parseName, validNpi } from './fields.js';

describe('field extraction', () => {
  it('parses the three date styles and refuses impossible dates', () => {
    assert.equal(parseDate('03/14/2026'), '2026-03-14');
    assert.equal(parseDate('March 4, 2026'), '2026-03-04');
    assert.equal(parseDate('2026-03-14'), '2026-03-14');
    assert.equal(parseDate('02/30/2026'), undefined);
    assert.equal(parseDate('13/01/2026'), undefined);
  });

  it("checks an NPI's check digit", () => {
    assert.equal(validNpi('1234567893'), true);
    assert.equal(validNpi('1234567890'), false);
  });

  it('parses names in both orders and refuses what is not a name', () => {
    assert.deepEqual(parseName('Montague, Rowan'), { family: 'Montague', given: 'Rowan' });
    assert.deepEqual(parseName('Rowan. Montague'), { given: 'Rowan', family: 'Montague' });
    assert.equal(parseName('evaluation of chest pain'), undefined);
  });

  it('reads labelled fields through OCR debris', () => {
    const text = [
      'Re: Rowan. Montague',
      'Birth Date:> March 25, .1974',
      'MRN: 0012345',
      'Date of visit: 2026-10-24 : ‘',
      'NPI: 1234567893',
      'Reason: evaluation of chest pain',
      'ElecLronically signed “by De. Parah Duarte',
    ].join('\n');
    assert.deepEqual(extractFields(text), {
      patientFamily: 'Montague',
      patientGiven: 'Rowan',
      birthDate: '1974-03-25',
      documentDate: '2026-10-24',
      mrn: '0012345',
      fromNpi: '1234567893',
      subject: 'evaluation of chest pain',
      signed: true,
    });
  });

  it('never takes an unlabelled or birth date as the document date, nor a bad NPI', () => {
    const f = extractFields('Patient: Avery Abernathy\nDate of Birth: 01/02/1970\nMarch 3, 2026\nNPI: 1234567890');
    assert.equal(f.birthDate, '1970-01-02');
    assert.equal(f.documentDate, undefined);
    assert.equal(f.fromNpi, undefined);
    assert.equal(f.signed, undefined);
  });

  it('reads a member ID and a member name off an insurance card', () => {
    const f = extractFields('Bluewater Health Plan\nMember: Kenji: Pemberton\nMember ID: DHS559687109');
    assert.equal(f.memberId, 'DHS559687109');
    assert.equal(f.patientFamily, 'Pemberton');
  });
});

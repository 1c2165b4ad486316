import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { extractFields, ocrDigits, parseDate, parseName, validNpi } from './fields.js';

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

  it('parses more date styles, US order, and never a two-digit year', () => {
    assert.equal(parseDate('03-14-2026'), '2026-03-14');
    assert.equal(parseDate('03.14.2026'), '2026-03-14');
    assert.equal(parseDate('14 March 2026'), '2026-03-14');
    assert.equal(parseDate('Sept. 4 2026'), '2026-09-04');
    assert.equal(parseDate('03/14/26'), undefined);
    assert.equal(parseDate('03-14/2026'), undefined);
  });

  it("undoes OCR's letter-for-digit confusions only inside numbers", () => {
    assert.equal(ocrDigits('l0/lO/2O26'), '10/10/2026');
    assert.equal(ocrDigits('O3/l4/2026'), '03/14/2026');
    assert.equal(ocrDigits('October 1O, 2026'), 'October 10, 2026');
    assert.equal(ocrDigits('July 4, 2026'), 'July 4, 2026');
  });

  it('reads dates off a fax: ";" for a comma, debris after the month, accents, O and l for digits', () => {
    assert.equal(extractFields('Date of request: August 16; 2026').documentDate, '2026-08-16');
    assert.equal(extractFields('Date: Octoker:9,..2026').documentDate, '2026-10-09');
    assert.equal(extractFields('Date of Birth: Septembér 24; 1952 :').birthDate, '1952-09-24');
    assert.equal(extractFields('DOB: O7/l2/1981').birthDate, '1981-07-12');
    assert.equal(extractFields('D.O.B.: 14 March 1967').birthDate, '1967-03-14');
  });

  it('reads the misreads found on the calibration seed: "Birth Data", "Date!", a hyphen, a plus, a split day', () => {
    assert.equal(extractFields('Birth Data: 11/12/1974').birthDate, '1974-11-12');
    assert.equal(extractFields('Date of Birth: December 1,-1994').birthDate, '1994-12-01');
    assert.equal(extractFields('D.O.B.: 1946-05+16').birthDate, '1946-05-16');
    assert.equal(extractFields('Date: April-13, 2026').documentDate, '2026-04-13');
    assert.equal(extractFields('Date! December 11; 2026').documentDate, '2026-12-11');
    assert.equal(extractFields('Date? 06/17/2026').documentDate, '2026-06-17');
    assert.equal(extractFields('Dated:.05/1 1/2026').documentDate, '2026-05-11');
    // Still never a guess: a plus that is not between digits, a question that is not a label.
    assert.equal(extractFields('DOB: +1946-05-16x').birthDate, '1946-05-16');
    assert.equal(extractFields('What date? Call us.').documentDate, undefined);
    assert.equal(extractFields('Birth Data: unknown').birthDate, undefined);
  });

  it("reads the birth date labels and dates OCR made of the calibration seed's faxes", () => {
    for (const [written, date] of [
      ['D.O.B.i 05/18/2004', '2004-05-18'],
      ['1.0.B.: 01/18/2009', '2009-01-18'],
      ['D.0.B.: May:9, 1964', '1964-05-09'],
      ['D:0.B.: 08/19/1950', '1950-08-19'],
      ['Date of Birth: April 2,/1999', '1999-04-02'],
      ["DOB: March'13, 2004", '2004-03-13'],
    ] as const)
      assert.equal(extractFields(written).birthDate, date, written);
    assert.equal(extractFields('Daté: April 14, 2026').documentDate, '2026-04-14');
    // Still never a date that is not labelled as a birth date.
    assert.equal(extractFields('1.0 B 05/18/2004').birthDate, undefined);
  });

  it('reads name label variants as OCR gives them', () => {
    const natie = extractFields('Patient\nPatient Natie: Oskar Rasmussen');
    assert.deepEqual([natie.patientGiven, natie.patientFamily], ['Oskar', 'Rasmussen']);
    const hyphen = extractFields('Patient: Jablonski,-Emerson');
    assert.deepEqual([hyphen.patientGiven, hyphen.patientFamily], ['Emerson', 'Jablonski']);
    const of = extractFields('Name of patient: Rowan Montague');
    assert.equal(of.patientFamily, 'Montague');
    assert.equal(extractFields('Patient Notes: follow up in two weeks').patientFamily, undefined);
    const nama = extractFields('Meinbar Nama: Casey Bellweather');
    assert.deepEqual([nama.patientGiven, nama.patientFamily], ['Casey', 'Bellweather']);
    const accented = extractFields('Subscriber: Lindqvist, Celéste');
    assert.deepEqual([accented.patientGiven, accented.patientFamily], ['Celeste', 'Lindqvist']);
    assert.equal(extractFields('Ra: Dorian Eastwood').patientFamily, 'Eastwood');
    assert.equal(extractFields('Data: 02/20/2026').documentDate, '2026-02-20');
    // "Family; Given": OCR's semicolon for the comma keeps the order; "?" for a colon; "Patiant".
    const semi = extractFields('Patient Name: Coldwell; Esme');
    assert.deepEqual([semi.patientGiven, semi.patientFamily], ['Esme', 'Coldwell']);
    assert.equal(extractFields('Patient? Drummond, Harper').patientFamily, 'Drummond');
    assert.equal(extractFields('Patiant Name: Kowalczyk, Jordan').patientFamily, 'Kowalczyk');
  });

  it('reads member IDs and MRNs through OCR: "1D", a space in the digits, O and l for digits', () => {
    assert.equal(extractFields('Member 1D: UJD757598887').memberId, 'UJD757598887');
    assert.equal(extractFields('Member. ID: WHF084 127006').memberId, 'WHF084127006');
    assert.equal(extractFields('Member ID: DHS55968710l').memberId, 'DHS559687101');
    assert.equal(extractFields('Member ID: DHS12').memberId, undefined);
    // A speck OCR put between the letters and the digits.
    assert.equal(extractFields('ID CDV.687887340').memberId, 'CDV687887340');
    assert.equal(extractFields('Member ID: NRE&853739632').memberId, 'NRE853739632');
    // Found on the calibration seed: a prefix partly in lower case, a yen sign for a Y, a space after the first digit.
    assert.equal(extractFields('ID Dwv568504611').memberId, 'DWV568504611');
    assert.equal(extractFields('ID ¥PD837269328').memberId, 'YPD837269328');
    assert.equal(extractFields('Member ID: LRW8 14144124').memberId, 'LRW814144124');
    // A Z OCR read twice, once as a 2, is one Z; another digit inside the letters is not guessed away.
    assert.equal(extractFields('ID. #: Z2GE913422714').memberId, 'ZGE913422714');
    assert.equal(extractFields('ID. P2ZA066700014').memberId, 'PZA066700014');
    assert.equal(extractFields('ID A3GE913422714').memberId, undefined);
    assert.equal(extractFields('Member ID: .7GE335744777').memberId, undefined);
    // Labels as OCR read them off the calibration seed's faxes; "Member services" and a payer ID are not one.
    assert.equal(extractFields('Subscriber. 11): PLA208933648').memberId, 'PLA208933648');
    assert.equal(extractFields('Subseriber IN: AML908020385 —').memberId, 'AML908020385');
    assert.equal(extractFields('Member !D: UTC041 118745').memberId, 'UTC041118745');
    assert.equal(extractFields('Member services 1-800-555-0134').memberId, undefined);
    assert.equal(extractFields('Member ‘ID: FWV710024256').memberId, 'FWV710024256', 'a speck between label words');
    assert.equal(extractFields('Send claims electronically, payer ID 55123').memberId, undefined);
    assert.equal(extractFields('MR #: OO12345').mrn, '0012345');
    assert.equal(extractFields('Med. Rec. No: A-99812').mrn, 'A-99812');
  });

  it("reads the sender's practice from a label or the letterhead, never from a person's name", () => {
    assert.equal(
      extractFields('Cardiology Consultation\nLakeshore Heart Specialists\nPatient: Rowan Montague').fromOrganization,
      'Lakeshore Heart Specialists',
    );
    assert.equal(
      extractFields('Riverbend Family Medicine\nPhone (555) 201-1234   Fax (555) 201-9999').fromOrganization,
      'Riverbend Family Medicine',
    );
    assert.equal(extractFields('Practice: Summit Valley Health   Fax 555\n').fromOrganization, 'Summit Valley Health');
    assert.equal(extractFields('From: Dr. Farah Duarte\nSeen today.').fromOrganization, undefined);
    assert.equal(extractFields('Seen in consultation for chest pain.').fromOrganization, undefined);
  });
});

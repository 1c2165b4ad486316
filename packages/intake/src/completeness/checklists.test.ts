import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { documentTypes } from '../model/intake-model.js';
import { assessCompleteness, checklists, missingPages, unreadablePageCount } from './checklists.js';

const referral = {
  patientFamily: 'Abernathy',
  patientGiven: 'Avery',
  birthDate: '1970-01-02',
  documentDate: '2026-03-04',
  fromNpi: '1234567893',
  subject: 'chest pain',
  signed: true,
};

describe('completeness checklists', () => {
  it('has a checklist for every document type', () => {
    for (const type of documentTypes) assert.ok(Array.isArray(checklists[type]), type);
  });

  it('calls a referral with everything complete', () => {
    assert.deepEqual(assessCompleteness('referral-letter', referral, [{ page: 1, of: 1 }]), {
      complete: true,
      missing: [],
    });
  });

  it('names what is missing in words a person understands', () => {
    const { patientFamily, patientGiven, documentDate, fromNpi, subject } = referral;
    const verdict = assessCompleteness(
      'referral-letter',
      { patientFamily, patientGiven, documentDate, fromNpi, subject, signed: false },
      [{ page: 1, of: 2 }],
    );
    assert.equal(verdict.complete, false);
    assert.deepEqual(verdict.missing, ["patient's date of birth", 'signature', 'page 2 of 2']);
  });

  it('requires a member ID on an insurance card but no signature or date', () => {
    assert.deepEqual(assessCompleteness('insurance-card', { patientFamily: 'A', patientGiven: 'B' }, []).missing, [
      'insurance member ID',
    ]);
    assert.equal(
      assessCompleteness('insurance-card', { patientFamily: 'A', patientGiven: 'B', memberId: 'XJK1' }, []).complete,
      true,
    );
  });

  it('finds pages missing from the numbering, taking the largest total read', () => {
    assert.deepEqual(missingPages([{ page: 1, of: 3 }, undefined, { page: 3, of: 3 }]), ['page 2 of 3']);
    assert.deepEqual(
      missingPages([
        { page: 1, of: 2 },
        { page: 2, of: 2 },
      ]),
      [],
    );
    assert.deepEqual(missingPages([undefined, undefined]), []);
  });

  it('calls a numbered document whose page numbers cannot be read at all "page count unreadable"', () => {
    // Page 1 of 2 whose footer OCR could not read, page 2 lost: nothing says a page is missing but the footer's ink.
    const verdict = assessCompleteness('other', {}, ['unreadable']);
    assert.deepEqual(verdict, { complete: false, missing: [unreadablePageCount] });
    assert.deepEqual(missingPages([undefined, 'unreadable']), [unreadablePageCount]);
    // A page without any footer has no numbering to check: taken as whole.
    assert.deepEqual(assessCompleteness('other', {}, [undefined]), { complete: true, missing: [] });
  });

  it('checks the numbering that was read when only some footers are unreadable', () => {
    assert.deepEqual(missingPages([{ page: 1, of: 2 }, 'unreadable']), ['page 2 of 2']);
    assert.deepEqual(missingPages(['unreadable', { page: 2, of: 2 }]), ['page 1 of 2']);
    assert.deepEqual(
      missingPages([
        { page: 1, of: 2 },
        { page: 2, of: 2 },
      ]),
      [],
    );
  });
});

// A list item's patient and actors as the console words them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { actorName, patientLine } from '../src/ui/patient-label.js';

const id = '1a2b3c4d-0000-4000-8000-000000000000';

describe('patientLine', () => {
  it('shows name, birth date and masked MRN when the server sent them', () => {
    assert.equal(
      patientLine({ id, name: 'Quill, Ada', birthDate: '1970-04-05', mrn: '••••7123' }),
      'Quill, Ada · born 1970-04-05 · MRN ••••7123',
    );
    assert.equal(patientLine({ id, name: 'Quill, Ada' }), 'Quill, Ada');
  });
  it('falls back to the short Steward id for a reader who may not see demographics, and to nothing without a patient', () => {
    assert.equal(patientLine({ id }), 'Patient 1a2b3c4d');
    assert.equal(patientLine(undefined), undefined);
  });
});

describe('actorName', () => {
  it('names an actor, says "me" for the reader, and keeps kind and short id when unnamed', () => {
    assert.equal(actorName({ kind: 'service', id, name: 'referral-flow' }), 'referral-flow');
    assert.equal(actorName({ kind: 'user', id, name: 'coord' }, id), 'me');
    assert.equal(actorName({ kind: 'service', id }), 'service 1a2b3c4d');
  });
});

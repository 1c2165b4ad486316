import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestContext } from '@steward/core';
import { matchPatient, type CandidatePatient, type PatientCandidates } from './patient-match.js';

const ctx: RequestContext = { actor: { kind: 'service', id: 'intake', name: 'intake', authMethod: 'local-operator' } };
const ana: CandidatePatient = { id: 'p-ana', family: 'Rivera', given: ['Ana'], birthDate: '1984-03-09' };
const other: CandidatePatient = { id: 'p-other', family: 'Rivera', given: ['Ana'], birthDate: '1984-03-09' };

function index(
  byValue: Record<string, CandidatePatient[]>,
  byName: CandidatePatient[] = [],
  byNearName?: CandidatePatient[],
): PatientCandidates {
  return {
    byValue: (_c, value) => Promise.resolve(byValue[value] ?? []),
    byNameAndBirthDate: () => Promise.resolve(byName),
    ...(byNearName !== undefined ? { byNearNameAndBirthDate: () => Promise.resolve(byNearName) } : {}),
  };
}

describe('matching a document to its patient', () => {
  it('matches an MRN hit whose name and birth date agree, accents and case aside', async () => {
    const r = await matchPatient(index({ 'MR-1': [ana] }), ctx, {
      mrn: 'MR-1',
      patientFamily: 'RIVERÁ',
      patientGiven: 'A',
      birthDate: '1984-03-09',
    });
    assert.deepEqual(r, { kind: 'matched', patientId: 'p-ana', reason: 'mrn-and-demographics' });
  });

  it('never guesses: an MRN alone, an MRN that disagrees, an unknown MRN, several, none, a member id naming another', async () => {
    const reasons = await Promise.all([
      matchPatient(index({ 'MR-1': [ana] }), ctx, { mrn: 'MR-1' }),
      matchPatient(index({ 'MR-1': [ana] }), ctx, { mrn: 'MR-1', patientFamily: 'Lee', birthDate: '1984-03-09' }),
      matchPatient(index({ 'MR-1': [ana] }), ctx, { mrn: 'MR-1', patientFamily: 'Rivera', birthDate: '1984-03-10' }),
      matchPatient(index({}, [ana]), ctx, { mrn: 'MR-2', patientFamily: 'Rivera', birthDate: '1984-03-09' }),
      matchPatient(index({ 'MR-1': [ana, other] }), ctx, { mrn: 'MR-1', patientFamily: 'Rivera' }),
      matchPatient(index({}, [ana, other]), ctx, { patientFamily: 'Rivera', birthDate: '1984-03-09' }),
      matchPatient(index({}, []), ctx, { patientFamily: 'Rivera', birthDate: '1984-03-09' }),
      matchPatient(index({ 'M-9': [other] }, [ana]), ctx, {
        patientFamily: 'Rivera',
        birthDate: '1984-03-09',
        memberId: 'M-9',
      }),
      matchPatient(index({}, [ana]), ctx, { patientFamily: 'Rivera' }),
    ]);
    assert.deepEqual(
      reasons.map((r) => (r.kind === 'needs-match' ? r.reason : r.kind)),
      [
        'mrn-without-name-or-birth-date',
        'mrn-disagrees',
        'mrn-disagrees',
        'mrn-unknown',
        'mrn-several',
        'several',
        'none',
        'member-id-conflict',
        'no-identifiers',
      ],
    );
  });

  it('matches a unique name and birth date when no identifier disagrees', async () => {
    const r = await matchPatient(index({ 'M-1': [ana] }, [ana]), ctx, {
      patientFamily: 'Rivera',
      patientGiven: 'Ana',
      birthDate: '1984-03-09',
      memberId: 'M-1',
    });
    assert.deepEqual(r, { kind: 'matched', patientId: 'p-ana', reason: 'name-and-birth-date' });
  });

  it('takes the single patient whose name is one letter off only when the name as read finds nobody', async () => {
    const read = { patientFamily: 'Rivcra', patientGiven: 'Ana', birthDate: '1984-03-09' };
    const reasons = await Promise.all([
      matchPatient(index({}, [], [ana]), ctx, read),
      matchPatient(index({}, [], [ana, other]), ctx, read),
      matchPatient(index({}, [], []), ctx, read),
      matchPatient(index({ 'M-9': [other] }, [], [ana]), ctx, { ...read, memberId: 'M-9' }),
      // An exact find wins; the near search is never asked then.
      matchPatient(index({}, [other], [ana]), ctx, read),
    ]);
    assert.deepEqual(
      reasons.map((r) => (r.kind === 'needs-match' ? r.reason : `${r.reason}:${r.patientId}`)),
      ['near-name-and-birth-date:p-ana', 'near-several', 'none', 'member-id-conflict', 'name-and-birth-date:p-other'],
    );
  });
});

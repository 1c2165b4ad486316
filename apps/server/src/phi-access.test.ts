// What counts as a PHI read or write for "every PHI access names its patients" (issue 15).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isPhiAccess } from './phi-access.js';

describe('PHI access rule', () => {
  it('counts governed reads and writes of patient data, EHR receipts and chart writes', () => {
    for (const event of ['phi.read', 'phi.search', 'phi.update', 'phi.export', 'ehr.received', 'ehr.written'])
      assert.equal(isPhiAccess({ event, outcome: 'success', entity: { kind: 'Referral' } }), true, event);
    assert.equal(isPhiAccess({ event: 'phi.search', outcome: 'success', reason: 'referrals:3' }), true);
  });

  it('leaves out decisions, failures, staff and places, site figures, and searches that showed nobody', () => {
    const cases: [string, Parameters<typeof isPhiAccess>[0]][] = [
      ['a decision', { event: 'proposal.approved', outcome: 'success' }],
      ['a denial', { event: 'phi.read', outcome: 'denied', entity: { kind: 'Referral' } }],
      ['a practitioner read', { event: 'phi.read', outcome: 'success', entity: { kind: 'Practitioner' } }],
      ['site figures', { event: 'phi.search', outcome: 'success', entity: { kind: 'OperationsReport' } }],
      ['an empty list', { event: 'phi.search', outcome: 'success', reason: 'followups:0' }],
      ['a login', { event: 'auth.login', outcome: 'success' }],
    ];
    for (const [what, entry] of cases) assert.equal(isPhiAccess(entry), false, what);
    assert.equal(
      isPhiAccess({ event: 'ehr.received', outcome: 'success', reason: 'events:0' }),
      true,
      'a receipt that filed no event still read a patient’s resource',
    );
  });
});

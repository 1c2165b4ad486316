import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isPhiAccess } from './phi-access.js';

describe('isPhiAccess: the entries that must name a patient', () => {
  it('counts reads, searches that showed something, and EHR receipts; not a search that found nothing', () => {
    const search = (reason?: string) => ({
      event: 'phi.search',
      outcome: 'success',
      entity: { kind: 'Followup' },
      ...(reason !== undefined ? { reason } : {}),
    });
    assert.equal(isPhiAccess(search('followups:3')), true);
    assert.equal(isPhiAccess(search()), true, 'a search that does not say what it found counts');
    assert.equal(isPhiAccess(search('followups:0')), false);
    assert.equal(isPhiAccess(search('proposals:0')), false);
    assert.equal(isPhiAccess({ ...search('proposals:0'), event: 'phi.read' }), true, 'only searches');
    assert.equal(
      isPhiAccess({ event: 'ehr.received', outcome: 'success', entity: { kind: 'ehr:fhir-poll' }, reason: 'events:0' }),
      true,
    );
    assert.equal(isPhiAccess({ event: 'phi.read', outcome: 'success', entity: { kind: 'Practitioner' } }), false);
    assert.equal(isPhiAccess({ event: 'phi.read', outcome: 'failure', entity: { kind: 'Referral' } }), false);
  });
});

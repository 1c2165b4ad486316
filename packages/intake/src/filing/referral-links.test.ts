import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chooseReferral, referralWords, type ReferralCandidate } from './referral-links.js';

const referral = (id: string, stage: string, organization: string | null, name: string | null = null) =>
  ({
    id,
    site: 'north',
    connectionId: 'c',
    serviceRequest: `ServiceRequest/${id}`,
    stage,
    ended: false,
    service: 'Cardiology consult',
    destination: { name, organization, service: 'Cardiology' },
  }) satisfies ReferralCandidate;

describe('which referral a document answers', () => {
  it('takes the one open referral awaiting a report, and none when none awaits one', () => {
    const sent = referral('a', 'sent', 'Lakeshore Heart');
    const attended = referral('b', 'attended', 'Summit Valley Health');
    assert.deepEqual(chooseReferral([sent, attended], {}), { referral: attended, reason: 'only-open-referral' });
    assert.deepEqual(chooseReferral([sent, { ...attended, ended: true }], {}), { reason: 'no-open-referral' });
    assert.deepEqual(chooseReferral([], { fromOrganization: 'Summit Valley Health' }), { reason: 'no-open-referral' });
  });

  it('among several, the one whose practice or performer the sender names; else none', () => {
    const heart = referral('a', 'scheduled', 'Lakeshore Heart Specialists');
    const summit = referral('b', 'accepted', 'Summit Valley Health', 'Dr Ines Valve');
    assert.equal(chooseReferral([heart, summit], { fromOrganization: 'SUMMIT VALLEY HEALTH' }).referral?.id, 'b');
    assert.equal(chooseReferral([heart, summit], { fromName: 'Dr. Ines Valve' }).referral?.id, 'b');
    assert.deepEqual(chooseReferral([heart, summit], { fromOrganization: 'Summit Clinic' }), {
      reason: 'several-open-referrals',
    });
    assert.deepEqual(chooseReferral([heart, summit], {}), { reason: 'several-open-referrals' });
  });

  it('says a referral in words', () => {
    assert.equal(
      referralWords(referral('a', 'attended', 'Lakeshore Heart')),
      'referral to Lakeshore Heart (Cardiology consult), attended',
    );
    assert.equal(
      referralWords({ ...referral('a', 'sent', null), destination: null, service: null }),
      'referral to a specialist, sent',
    );
  });
});

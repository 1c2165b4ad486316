// A referral's requester and destination in words: by name from the directory, or the raw reference, unresolved.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { networkLabel, participantLabel, type ReferralParticipant } from '../src/screens/referrals/referral-types.js';

const view = (over: Partial<ReferralParticipant>): ReferralParticipant => ({
  kind: 'PractitionerRole',
  reference: 'PractitionerRole/r1',
  status: 'resolved',
  entryId: null,
  name: 'Dr Ada Heart',
  service: 'Cardiology',
  organization: 'Springfield Heart Partners',
  network: 'out',
  ...over,
});

describe('referral participants', () => {
  it('names the destination with its service and practice', () => {
    assert.deepEqual(participantLabel(view({})), {
      text: 'Dr Ada Heart',
      detail: 'Cardiology, Springfield Heart Partners',
      unresolved: false,
    });
    assert.equal(participantLabel(view({ service: null, organization: 'Dr Ada Heart' })).detail, null);
  });

  it('shows an unresolved participant by its raw reference, and says so', () => {
    const l = participantLabel(view({ name: null, status: 'unresolved', reference: 'Practitioner/3971be72' }));
    assert.deepEqual(l, { text: 'Practitioner/3971be72', detail: 'not in the directory yet', unresolved: true });
    assert.equal(participantLabel(null).text, 'none recorded');
  });

  it('says the network in words', () => {
    assert.equal(networkLabel('out'), 'out of network');
    assert.equal(networkLabel('in'), 'in network');
    assert.equal(networkLabel(null), 'network not known');
  });
});

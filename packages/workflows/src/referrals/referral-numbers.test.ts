import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { crossChannelReferral, numberLink, referralNumbers } from './referral-numbers.js';

describe('referral numbers across channels', () => {
  it('tells an HL7-local system from an explicit one, once per kind and value', () => {
    assert.deepEqual(
      referralNumbers([
        'urn:steward:hl7v2:aa:SANDBOX#originating-referral|REF-9',
        'urn:steward:hl7v2:aa:SANDBOX#external-referral|REF-9',
        'urn:steward:hl7v2:6f1c2b7e:type:RF|REF-8',
        'https://ehr.example.org/referral-id|REF-9',
        'urn:oid:1.2.840.114350|REF-9',
        'urn:oid:1.2.840.114350|',
      ]),
      [
        { cls: 'hl7', value: 'REF-9' },
        { cls: 'hl7', value: 'REF-8' },
        { cls: 'uri', value: 'REF-9' },
      ],
    );
  });

  it('links a number per person without its value', () => {
    const link = numberLink('hl7', 'P1', 'REF-9');
    assert.match(link, /^ReferralNumber\/hl7\/[0-9a-f]{40}$/);
    assert.ok(!link.includes('REF-9'));
    assert.notEqual(link, numberLink('hl7', 'P2', 'REF-9'), 'another patient, another link');
    assert.notEqual(link, numberLink('uri', 'P1', 'REF-9'));
  });

  it('finds the other kind for any id of the person, searching the given connections', async () => {
    const held = new Map([[numberLink('uri', 'P1-old', 'REF-9'), 'referral:c1:sr9']]);
    const asked: (readonly string[] | undefined)[] = [];
    const links = (ref: string, across?: readonly string[]): Promise<string | undefined> => {
      asked.push(across);
      return Promise.resolve(held.get(ref));
    };
    const hl7 = [{ cls: 'hl7' as const, value: 'REF-9' }];
    assert.equal(await crossChannelReferral(hl7, ['P1', 'P1-old'], links, ['c1', 'c2']), 'referral:c1:sr9');
    assert.ok(asked.every((a) => a?.join() === 'c1,c2'));
    assert.equal(await crossChannelReferral(hl7, ['P2'], links, ['c1']), undefined, 'another person');
    assert.equal(
      await crossChannelReferral([{ cls: 'uri', value: 'REF-9' }], ['P1-old'], links, ['c1']),
      undefined,
      'the same kind is never matched (and here it is taken: ambiguous)',
    );
  });
});

// In or out of network from the clinic directory: the route notes what the directory says of each
// participant (with its identifier, so an HL7 one can be named), and the workflow's rule reads it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EhrEvent, ParticipantRef, ReferralFacts } from '@steward/core';
import { defaultNetworkRule, inNetwork, type ParticipantNote } from './referral-model.js';
import { createReferralRoute } from './referral-route.js';

const note = (over: Partial<ParticipantNote>): ParticipantNote => ({
  kind: 'Organization',
  ref: 'Organization/o1',
  systems: [],
  ...over,
});

describe('the network from the directory', () => {
  it('decides by the directory when it was asked: in when any is in, out when one is out, else unknown', () => {
    assert.equal(inNetwork(defaultNetworkRule, [note({ network: 'out' }), note({ network: 'in' })]), true);
    assert.equal(inNetwork(defaultNetworkRule, [note({ network: 'out' }), note({ network: null })]), false);
    // An EHR reference alone is no longer taken for "in network" once the directory was asked.
    assert.equal(inNetwork(defaultNetworkRule, [note({ network: null })]), null);
    // Without the directory (older workflows, routes without it) the declared rule decides as before.
    assert.equal(inNetwork(defaultNetworkRule, [note({})]), true);
  });

  it('the route asks the directory for each performer and notes the requester with its identifier', async () => {
    const asked: (readonly ParticipantRef[])[] = [];
    const route = createReferralRoute({
      networkOf: (connectionId, parts) => {
        assert.equal(connectionId, 'c1');
        asked.push(parts);
        return Promise.resolve(parts.map((p) => (p.kind === 'Organization' ? 'out' : null)));
      },
    });
    const npi = { system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' };
    const facts: ReferralFacts = {
      kind: 'Referral',
      ehrId: 'sr1',
      identifiers: [],
      status: 'active',
      categoryCodes: [{ system: 'http://snomed.info/sct', code: '3457005' }],
      requester: { kind: 'Practitioner', identifiers: [npi], display: 'Dr Paula Primary' },
      performers: [
        { kind: 'PractitionerRole', ehrId: 'r1', identifiers: [] },
        { kind: 'Organization', ehrId: 'o1', identifiers: [] },
      ],
    };
    const event: EhrEvent = {
      id: 'e1',
      seq: 1,
      recordedAt: new Date(),
      type: 'referral.created',
      connectionId: 'c1',
      channel: 'fhir-poll',
      dedupKey: 'k1',
      occurredAt: '2026-03-02T14:00:00Z',
      patient: { identifiers: [] },
      facts,
      sourceRef: 'ServiceRequest/sr1/_history/1',
    };
    const [start] = await route(event, () => Promise.resolve(undefined));
    assert.equal(start?.kind, 'start');
    const payload = (start as unknown as { payload: { performers: ParticipantNote[]; requesterNote: ParticipantNote } })
      .payload;
    assert.deepEqual(
      payload.performers.map((p) => [p.ref, p.network]),
      [
        ['PractitionerRole/r1', null],
        ['Organization/o1', 'out'],
      ],
    );
    assert.equal(payload.requesterNote.identifier, `${npi.system}|${npi.value}`);
    assert.equal(inNetwork(defaultNetworkRule, payload.performers), false);
    assert.equal(asked.length, 2, 'once for the performers, once for the requester');
  });
});

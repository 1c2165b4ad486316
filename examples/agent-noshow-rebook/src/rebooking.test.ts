import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Appointment, Patient } from '@medplum/fhirtypes';
import { decide, type NoShowContext } from './rebooking.js';

const patient: Patient = {
  resourceType: 'Patient',
  id: 'p1',
  identifier: [
    { system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN-1' },
    { system: 'urn:oid:2.16.840.1.113883.19.9', value: 'E-1' },
  ],
};
const visit = (id: string, status: Appointment['status'], service: string, start: string): Appointment => ({
  resourceType: 'Appointment',
  id,
  status,
  serviceType: [{ text: service }],
  start,
  participant: [{ actor: { reference: 'Patient/p1' }, status: 'accepted' }],
});
const context = (over: Partial<NoShowContext> = {}): NoShowContext => ({
  eventId: 'e1',
  connectionId: 'c1',
  site: 'north',
  workflow: 'no-show-rebooking',
  missed: visit('a1', 'noshow', 'Recheck', '2026-12-07T09:00:00Z'),
  patient,
  upcoming: [],
  ...over,
});

describe('the rebooking decision', () => {
  it('proposes a call to rebook, keyed by the missed visit, with the evidence and reasoning a reviewer checks', () => {
    const d = decide(context({ upcoming: [visit('a2', 'booked', 'Dermatology', '2026-12-20T09:00:00Z')] }));
    assert.equal(d.kind, 'propose');
    if (d.kind !== 'propose') return;
    assert.equal(d.draft.action, 'task.create');
    assert.equal(d.draft.draftKey, 'noshow:a1');
    assert.deepEqual(d.draft.patient, { ehrId: 'p1', identifiers: patient.identifier });
    assert.deepEqual(d.draft.evidence, {
      eventIds: ['e1'],
      resources: ['Appointment/a1', 'Appointment/a2'],
      reasonCode: 'no-show-rebooking',
    });
    assert.match(
      d.draft.rationale,
      /Recheck visit on 2026-12-07 at 09:00 \(UTC\) was marked a no-show.*\(Dermatology\)/,
    );
    assert.equal((d.draft.payload as { focus: { reference: string } }).focus.reference, 'Appointment/a1');
  });

  it('skips, saying why, when the visit is rebooked already, no longer a no-show, or the chart cannot be matched', () => {
    const rebooked = decide(context({ upcoming: [visit('a3', 'booked', 'Recheck', '2026-12-21T09:00:00Z')] }));
    assert.deepEqual(rebooked, { kind: 'skip', reason: 'already rebooked: Appointment/a3 for the same service' });
    const moved = decide(context({ missed: visit('a1', 'booked', 'Recheck', '2026-12-07T09:00:00Z') }));
    assert.deepEqual(moved, { kind: 'skip', reason: 'the appointment is booked now, not a no-show' });
    const oneId = decide(context({ patient: { ...patient, identifier: patient.identifier!.slice(0, 1) } }));
    assert.equal(oneId.kind, 'skip');
  });

  it('takes a model-written rationale when given one', () => {
    const d = decide(context(), 'A reviewer-facing reason.');
    assert.equal(d.kind === 'propose' && d.draft.rationale, 'A reviewer-facing reason.');
  });
});

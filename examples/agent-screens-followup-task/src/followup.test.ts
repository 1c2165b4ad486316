import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Appointment, Patient } from '@medplum/fhirtypes';
import { followup, workingDaysAfter, type MissedVisit } from './followup.js';

const patient: Patient = {
  resourceType: 'Patient',
  id: 'p1',
  identifier: [
    { system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN-1' },
    { system: 'urn:oid:2.16.840.1.113883.19.9', value: 'E-1' },
  ],
};
const missed: Appointment = {
  resourceType: 'Appointment',
  id: 'a1',
  status: 'noshow',
  serviceType: [{ text: 'Recheck' }],
  start: '2026-12-04T09:00:00Z',
  participant: [{ actor: { reference: 'Patient/p1' }, status: 'accepted' }],
};
const visit = (over: Partial<MissedVisit> = {}): MissedVisit => ({
  eventId: 'e1',
  site: 'sandbox',
  workflow: 'no-show-rebooking',
  screensConnectionId: '00000000-0000-4000-8000-00000000005c',
  missed,
  patient,
  today: '2026-12-04',
  ...over,
});

describe('the screens follow-up decision', () => {
  it('proposes on the screens connection a task holding only what the clinic’s form can enter, keyed by the visit', () => {
    const d = followup(visit());
    assert.equal(d.kind, 'propose');
    if (d.kind !== 'propose') return;
    assert.equal(d.draft.connectionId, '00000000-0000-4000-8000-00000000005c');
    assert.equal(d.draft.draftKey, 'noshow-screens:a1');
    assert.deepEqual(d.draft.patient, { ehrId: 'p1', identifiers: patient.identifier });
    const task = d.draft.payload as Record<string, unknown>;
    // The Lakeside task form: description, urgency, complete-by, comments (status and intent implied).
    assert.deepEqual(Object.keys(task).sort(), [
      'description',
      'for',
      'intent',
      'note',
      'priority',
      'resourceType',
      'restriction',
      'status',
    ]);
    assert.equal(task['description'], 'Call the patient about the missed Recheck on 2026-12-04');
    assert.deepEqual(task['restriction'], { period: { end: '2026-12-08' } }, 'Friday + two working days');
    assert.match(d.draft.rationale ?? '', /no-show.*types it into the task form/s);
  });

  it('skips, saying why, a visit that is no longer a no-show or a patient the chart cannot be matched on', () => {
    assert.deepEqual(followup(visit({ missed: { ...missed, status: 'booked' } })), {
      kind: 'skip',
      reason: 'the appointment is booked now, not a no-show',
    });
    const oneId = followup(visit({ patient: { ...patient, identifier: patient.identifier!.slice(0, 1) } }));
    assert.equal(oneId.kind, 'skip');
    assert.throws(() => workingDaysAfter('soon', 2), /not a date: soon/);
  });
});

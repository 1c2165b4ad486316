/**
 * @module The agent's decision, pure: given a missed appointment and its patient, the follow-up task
 * to put on the clinic's work list — through the EHR's screens, so the task carries only what the
 * clinic's task form can hold (what it says, how urgent, by when, a comment) — or why not. No
 * clinical judgment: a person decides whether the task is created, and the front desk does it.
 */
import type { Appointment, Patient, Task } from '@medplum/fhirtypes';
import type { ProposalDraft } from '@steward/sdk';

export interface MissedVisit {
  readonly eventId: string;
  readonly site: string;
  readonly workflow: string;
  /** The id of the connection that writes through the EHR's screens. */
  readonly screensConnectionId: string;
  readonly missed: Appointment;
  readonly patient: Patient;
  /** Today in the clinic's calendar (YYYY-MM-DD): the task is due two working days on. */
  readonly today: string;
}

export type FollowupDecision =
  { readonly kind: 'propose'; readonly draft: ProposalDraft } | { readonly kind: 'skip'; readonly reason: string };

/** What the visit was for, in words (the facade removes clinical content for operations). */
export function serviceOf(a: Appointment): string {
  return a.serviceType?.[0]?.text ?? a.serviceType?.[0]?.coding?.[0]?.display ?? a.appointmentType?.text ?? 'visit';
}

export function followup(c: MissedVisit): FollowupDecision {
  const missedId = c.missed.id;
  if (missedId === undefined) return { kind: 'skip', reason: 'the missed appointment has no id' };
  if (c.missed.status !== 'noshow')
    return { kind: 'skip', reason: `the appointment is ${c.missed.status} now, not a no-show` };
  const patientId = c.patient.id;
  if (patientId === undefined) return { kind: 'skip', reason: 'the patient has no id' };
  const identifiers = (c.patient.identifier ?? []).flatMap((i) =>
    i.system !== undefined && i.value !== undefined ? [{ system: i.system, value: i.value }] : [],
  );
  // The executor opens the chart by one identifier and checks the banner against another before it types.
  if (identifiers.length < 2)
    return { kind: 'skip', reason: 'the patient has fewer than two identifiers to match the chart on' };
  const service = serviceOf(c.missed);
  const day = c.missed.start?.slice(0, 10);
  const due = workingDaysAfter(c.today, 2);
  // Only what the clinic's task form holds: a field it has no place for would refuse the write.
  const task: Task = {
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    priority: 'routine',
    description: `Call the patient about the missed ${service}${day !== undefined ? ` on ${day}` : ''}`,
    for: { reference: `Patient/${patientId}` },
    restriction: { period: { end: due } },
    note: [{ text: `No-show follow-up; reference Appointment/${missedId}` }],
  };
  return {
    kind: 'propose',
    draft: {
      action: 'task.create',
      connectionId: c.screensConnectionId,
      site: c.site,
      workflow: c.workflow,
      patient: { ehrId: patientId, identifiers },
      target: { resourceType: 'Task' },
      payload: task as unknown as ProposalDraft['payload'],
      evidence: { eventIds: [c.eventId], resources: [`Appointment/${missedId}`], reasonCode: 'no-show-follow-up' },
      rationale:
        `The ${service} visit${day !== undefined ? ` on ${day}` : ''} was marked a no-show. Proposed: a follow-up task ` +
        `on the clinic's work list, due ${due}, for the front desk to call the patient. This EHR takes tasks through ` +
        `its screens only: once approved, Steward types it into the task form and reads it back.`,
      // One proposal per missed appointment, however often the event is delivered.
      draftKey: `noshow-screens:${missedId}`,
    },
  };
}

/** `days` working days (Monday to Friday) after `date` (YYYY-MM-DD). */
export function workingDaysAfter(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) throw new Error(`not a date: ${date}`);
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const weekday = d.getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return d.toISOString().slice(0, 10);
}

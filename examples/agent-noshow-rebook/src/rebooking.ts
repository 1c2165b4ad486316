/**
 * @module The agent's decision, pure: given the missed appointment, the patient and their upcoming
 * appointments, either a rebooking task to propose (with the reasoning a reviewer reads) or why not.
 * No clinical judgment: it proposes a phone call to rebook; a person decides whether it happens.
 */
import type { Appointment, Patient, Task } from '@medplum/fhirtypes';
import type { ProposalDraft } from '@steward/sdk';

export interface NoShowContext {
  readonly eventId: string;
  readonly connectionId: string;
  readonly site: string;
  readonly workflow: string;
  readonly missed: Appointment;
  readonly patient: Patient;
  /** The patient's appointments from now on, as the facade answered them. */
  readonly upcoming: readonly Appointment[];
}

export type Decision =
  { readonly kind: 'propose'; readonly draft: ProposalDraft } | { readonly kind: 'skip'; readonly reason: string };

const active = new Set(['proposed', 'pending', 'booked', 'arrived', 'checked-in', 'waitlist']);

/** The service a visit was for, in words (never its reason: the facade removes clinical content for operations). */
export function serviceOf(a: Appointment): string {
  return a.serviceType?.[0]?.text ?? a.serviceType?.[0]?.coding?.[0]?.display ?? a.appointmentType?.text ?? 'visit';
}

export function decide(c: NoShowContext, rationale?: string): Decision {
  if (c.missed.id === undefined) return { kind: 'skip', reason: 'the missed appointment has no id' };
  if (c.missed.status !== 'noshow')
    return { kind: 'skip', reason: `the appointment is ${c.missed.status} now, not a no-show` };
  const patientId = c.patient.id;
  if (patientId === undefined) return { kind: 'skip', reason: 'the patient has no id' };
  const identifiers = (c.patient.identifier ?? []).flatMap((i) =>
    i.system !== undefined && i.value !== undefined ? [{ system: i.system, value: i.value }] : [],
  );
  // Steward's wrong-chart guard matches the chart on two identifiers before it writes.
  if (identifiers.length < 2)
    return { kind: 'skip', reason: 'the patient has fewer than two identifiers to match the chart on' };
  const service = serviceOf(c.missed);
  const rebooked = c.upcoming.find((a) => a.id !== c.missed.id && active.has(a.status) && serviceOf(a) === service);
  if (rebooked !== undefined)
    return { kind: 'skip', reason: `already rebooked: Appointment/${rebooked.id ?? '?'} for the same service` };
  const task: Task = {
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    priority: 'routine',
    code: { text: 'Rebook missed appointment' },
    description: `Call the patient to rebook the missed ${service}`,
    for: { reference: `Patient/${patientId}` },
    focus: { reference: `Appointment/${c.missed.id}` },
  };
  const others = c.upcoming.filter((a) => active.has(a.status));
  return {
    kind: 'propose',
    draft: {
      action: 'task.create',
      connectionId: c.connectionId,
      site: c.site,
      workflow: c.workflow,
      patient: { ehrId: patientId, identifiers },
      target: { resourceType: 'Task' },
      payload: task as unknown as ProposalDraft['payload'],
      evidence: {
        eventIds: [c.eventId],
        resources: [
          `Appointment/${c.missed.id}`,
          ...others.flatMap((a) => (a.id !== undefined ? [`Appointment/${a.id}`] : [])),
        ],
        reasonCode: 'no-show-rebooking',
      },
      rationale: rationale ?? ruleRationale(c, service, others),
      // One proposal per missed appointment, however often the event is delivered.
      draftKey: `noshow:${c.missed.id}`,
    },
  };
}

/** The reasoning in words a reviewer can check against the evidence, without clinical content. */
export function ruleRationale(c: NoShowContext, service: string, others: readonly Appointment[]): string {
  const when = c.missed.start !== undefined ? `on ${readable(c.missed.start)}` : 'at an unknown time';
  const upcoming =
    others.length === 0
      ? 'The patient has no upcoming appointment.'
      : `The patient's upcoming appointments are for other services (${[...new Set(others.map(serviceOf))].join(', ')}), none for the missed ${service}.`;
  return `The ${service} visit ${when} was marked a no-show. ${upcoming} Proposed: the front desk calls the patient to rebook it.`;
}

/** `2026-12-01T08:00:00-05:00` as `2026-12-01 at 08:00 (UTC-05:00)`: the EHR's own wall clock, said plainly. */
export function readable(instant: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(instant);
  if (m === null) return instant;
  const zone = m[3] === undefined ? '' : m[3] === 'Z' ? ' (UTC)' : ` (UTC${m[3]})`;
  return `${m[1]} at ${m[2]}${zone}`;
}

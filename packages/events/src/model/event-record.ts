/**
 * @module The events Steward publishes (issue 18, ADR 0019): a normalised record made from an EHR
 * journal event (appointments, referrals, tasks, encounters, documents) or a proposal's outcome.
 * It has two parts. The references — event id, type, site, time, the resource and proposal it is
 * about — go to every subscriber the event's site is granted to. The PHI part — the patient (Steward
 * id, EHR id, identifiers) and the event's facts — goes only where a BAA covers it, and is sealed
 * at rest. What a receiver gets is `toPayload`: the Standard Webhooks shape `{ type, timestamp, data }`.
 */
import type { EhrEvent, EhrEventFacts, EhrEventType, EhrIdentifier } from '@steward/core';
import type { ProposalChange } from '@steward/proposals';
import { proposalOutcomeOf, proposalOutcomes, type ProposalOutcome } from './proposal-outcome.js';

/** The EHR journal's event types that are published (patients' merges, orders and results are not). */
export const publishedEhrTypes = [
  'appointment.booked',
  'appointment.rescheduled',
  'appointment.cancelled',
  'appointment.no-show',
  'appointment.checked-in',
  'appointment.fulfilled',
  'referral.created',
  'referral.updated',
  'task.created',
  'task.updated',
  'encounter.started',
  'encounter.discharged',
  'document.received',
] as const satisfies readonly EhrEventType[];

/** Every event type a subscriber may choose. */
export const eventTypes: readonly string[] = [...publishedEhrTypes, ...proposalOutcomes.map((o) => `proposal.${o}`)];

const published: ReadonlySet<string> = new Set(publishedEhrTypes);

/** What the event is about, without patient data. */
export interface EventReferences {
  /** The EHR resource (FHIR type and id on its connection), when the source named one. */
  readonly resource?: { readonly type: string; readonly id: string };
  readonly connectionId?: string;
  readonly proposalId?: string;
  /** A proposal's action type (`task.create`). */
  readonly action?: string;
  /** A proposal move's machine reason (`rebased`, `exhausted`), never text. */
  readonly reason?: string;
}

/** The PHI part: who, and what the EHR said. Sealed at rest; sent only under a BAA. */
export interface EventPhi {
  readonly patient: {
    readonly id: string | null;
    readonly ehrId?: string;
    readonly identifiers: readonly EhrIdentifier[];
  };
  readonly facts?: EhrEventFacts;
  /** A proposal's previous outcome (a retry goes failed → approved). */
  readonly previous?: ProposalOutcome;
}

/** An event as the capture makes it, before it has a position. */
export interface NewEvent {
  readonly type: string;
  readonly site: string;
  readonly patientId: string | undefined;
  readonly occurredAt: Date;
  /** Unique per source row (`ehr:<event id>`, `proposal:<history seq>`): a capture repeated files nothing twice. */
  readonly sourceKey: string;
  readonly references: EventReferences;
  readonly phi: EventPhi;
}

/** An event in the outbox. */
export interface StewardEvent extends NewEvent {
  readonly id: string;
  readonly position: number;
  readonly recordedAt: Date;
}

const resourceTypeOf: Readonly<Record<EhrEventFacts['kind'], string | undefined>> = {
  Appointment: 'Appointment',
  Referral: 'ServiceRequest',
  Task: 'Task',
  Encounter: 'Encounter',
  Document: 'DocumentReference',
  Order: 'ServiceRequest',
  Result: undefined,
  Patient: undefined,
  Merge: undefined,
};

/** The event published for a journal event, or undefined for a type that is not published. */
export function fromEhrEvent(event: EhrEvent, site: string): NewEvent | undefined {
  if (!published.has(event.type)) return undefined;
  const type = resourceTypeOf[event.facts.kind];
  const ehrId = 'ehrId' in event.facts ? event.facts.ehrId : undefined;
  return {
    type: event.type,
    site,
    patientId: event.patientId,
    occurredAt: new Date(event.occurredAt),
    sourceKey: `ehr:${event.id}`,
    references: {
      ...(type !== undefined && ehrId !== undefined ? { resource: { type, id: ehrId } } : {}),
      connectionId: event.connectionId,
    },
    phi: {
      patient: {
        id: event.patientId ?? null,
        ...(event.patient.ehrId !== undefined ? { ehrId: event.patient.ehrId } : {}),
        identifiers: event.patient.identifiers,
      },
      facts: event.facts,
    },
  };
}

/** The event published for a proposal's move, or undefined for a move to no outcome. */
export function fromProposalChange(change: ProposalChange): NewEvent | undefined {
  const outcome = proposalOutcomeOf(change.to);
  if (outcome === undefined) return undefined;
  const previous = change.from === undefined ? undefined : proposalOutcomeOf(change.from);
  return {
    type: `proposal.${outcome}`,
    site: change.site,
    patientId: change.patientId,
    occurredAt: change.at,
    sourceKey: `proposal:${change.seq}`,
    references: {
      ...(change.targetId !== undefined ? { resource: { type: change.targetType, id: change.targetId } } : {}),
      ...(change.connectionId !== undefined ? { connectionId: change.connectionId } : {}),
      proposalId: change.proposalId,
      action: change.actionType,
      ...(change.reasonCode !== undefined ? { reason: change.reasonCode } : {}),
    },
    phi: {
      patient: { id: change.patientId ?? null, identifiers: [] },
      ...(previous !== undefined ? { previous } : {}),
    },
  };
}

/** What a receiver gets: references always, the PHI part only when `withPhi`. */
export interface EventPayload {
  readonly type: string;
  readonly timestamp: string;
  readonly data: {
    readonly id: string;
    readonly site: string;
    readonly occurredAt: string;
    readonly references: EventReferences;
    readonly phi: boolean;
    readonly patient?: EventPhi['patient'];
    readonly facts?: EhrEventFacts;
    readonly previous?: ProposalOutcome;
  };
}

export function toPayload(event: StewardEvent, withPhi: boolean): EventPayload {
  return {
    type: event.type,
    timestamp: event.recordedAt.toISOString(),
    data: {
      id: event.id,
      site: event.site,
      occurredAt: event.occurredAt.toISOString(),
      references: event.references,
      phi: withPhi,
      ...(withPhi ? event.phi : {}),
    },
  };
}

/**
 * @module How EHR events reach workflows: each workflow module exports a `Route` that looks at one
 * normalized event and says which workflows to start, which to signal, and which EHR references
 * to link to a workflow (so a later event that names only an appointment or an encounter still
 * finds the referral it belongs to). The router applies them; routes do no I/O but the link lookup.
 *
 * Payloads carry references and codes (event id, `Appointment/123`, statuses, times), never
 * demographics or identifiers' values: workflow state is stored unsealed. Whoever needs the
 * patient (an effect drafting a proposal) reads the sealed event by its id.
 */
import type { EhrEvent } from '@steward/core';
import type { Json } from '../engine/index.js';

export type RouteAction =
  | {
      readonly kind: 'start';
      readonly type: string;
      readonly correlationKey: string;
      readonly payload: Json;
    }
  | {
      readonly kind: 'signal';
      /** Only workflows of this type (optional). */
      readonly type?: string;
      readonly correlationKey: string;
      readonly name: string;
      readonly payload: Json;
    }
  | {
      /** From now on, an event naming `ref` (e.g. `Appointment/123`) on this connection belongs to `correlationKey`. */
      readonly kind: 'link';
      readonly ref: string;
      readonly correlationKey: string;
    };

/**
 * Finds the workflow correlation key an EHR reference was linked to on this event's connection, or,
 * with `across`, on any of those connections too (the connections of one site: an EHR's FHIR API
 * and its HL7 interface registered as two). This connection's own link wins.
 */
export type LinkLookup = (ref: string, across?: readonly string[]) => Promise<string | undefined>;

export type Route = (event: EhrEvent, links: LinkLookup) => Promise<readonly RouteAction[]>;

/** The minimum a workflow needs of an event: references, codes and times, no PHI. */
export interface EventRef {
  readonly eventId: string;
  readonly type: string;
  readonly connectionId: string;
  readonly occurredAt: string;
  /** The source's reference, e.g. `Appointment/123/_history/4` or `SIU^S12`. */
  readonly sourceRef: string;
}

export function eventRef(e: EhrEvent): EventRef {
  return {
    eventId: e.id,
    type: e.type,
    connectionId: e.connectionId,
    occurredAt: e.occurredAt,
    sourceRef: e.sourceRef,
  };
}

/** `Type/id` of the resource an event is about, when the facts carry its EHR id. */
export function resourceRefOf(e: EhrEvent): string | undefined {
  const f = e.facts as { kind: string; ehrId?: string };
  const type = {
    Appointment: 'Appointment',
    Referral: 'ServiceRequest',
    Task: 'Task',
    Encounter: 'Encounter',
    Document: 'DocumentReference',
  }[f.kind];
  return type !== undefined && f.ehrId !== undefined ? `${type}/${f.ehrId}` : undefined;
}

/**
 * @module From "this resource changed" to Steward's normalized events. Given the version Steward
 * now sees and (optionally) the previous version it saw, decides which `EhrEventInput`s happened.
 * The same decision serves subscription notifications and `_lastUpdated` polling, so a workflow
 * cannot tell which channel delivered a change.
 *
 * Known limits: without the previous version, only the current state is known (a booked
 * appointment with no previous version is "booked", never "rescheduled"); a server that skips
 * versions (poll interval longer than two edits) shows only the net change.
 */
import type { Appointment, DocumentReference, Encounter, Patient, Resource } from '@medplum/fhirtypes';
import type { EhrEventChannel, EhrEventFacts, EhrEventInput, EhrEventType, PatientRef } from '@steward/core';
import { appointmentPatient, mapAppointment } from './map-appointment.js';
import { documentReferencePatient, mapDocumentReference } from './map-document-reference.js';
import { dischargeDisposition, encounterPatient, mapEncounter } from './map-encounter.js';
import { mapPatient, patientLinks } from './map-patient.js';
import { mapServiceRequest, serviceRequestPatient } from './map-service-request.js';
import { mapTask, taskPatient } from './map-task.js';
import { checkResource } from './parse-resource.js';
import { resolveContainedPatients } from './map-reference.js';
import { fhirInvalid, isObject, opt, optObject, optString, reqString, elementsOf } from './read-elements.js';
import { checkModifierExtensions, settleZone, zoneFlag, type ZoneRule } from './strict-elements.js';

/** The resource types that become events. */
export const eventResourceTypes = [
  'Appointment',
  'ServiceRequest',
  'Task',
  'Encounter',
  'DocumentReference',
  'Patient',
] as const;
export type EventResourceType = (typeof eventResourceTypes)[number];

export interface ChangeContext {
  readonly connectionId: string;
  readonly channel: EhrEventChannel;
  /**
   * When Steward received the change (ISO-8601 with offset). Used as `occurredAt` only when the
   * resource has no `meta.lastUpdated`; then the event time is the receipt time, not the EHR's.
   */
  readonly receivedAt?: string;
  /** The connection's declared IANA zone, for date-times sent without an offset. */
  readonly timeZone?: string;
  /** Date-times without an offset: `infer` (default) in `timeZone`, flagged; `refuse`: FHIR_UNSUPPORTED. */
  readonly zonelessTimes?: 'infer' | 'refuse';
  /** Modifier extension urls Steward may process (the vendor profile's allow-list); others are refused. */
  readonly knownModifierExtensions?: readonly string[];
}

type Decision = { readonly type: EhrEventType; readonly previousStart?: string };

const appointmentStatusEvents: Partial<Record<string, EhrEventType>> = {
  booked: 'appointment.booked',
  cancelled: 'appointment.cancelled',
  noshow: 'appointment.no-show',
  arrived: 'appointment.checked-in',
  'checked-in': 'appointment.checked-in',
  fulfilled: 'appointment.fulfilled',
};

/** The event types (and reschedule details) a change amounts to; [] when nothing Steward tracks changed. */
export function decideEventTypes(current: Resource, previous?: Resource): Decision[] {
  const cur = checkResource(current, {}, 'current');
  if (previous !== undefined) {
    const prev = checkResource(previous, {}, 'previous');
    if (prev.resourceType !== cur.resourceType || prev.id !== cur.id) {
      throw fhirInvalid('previous', 'is not an earlier version of the same resource');
    }
    const pv = versionOf(prev);
    if (pv !== undefined && pv === versionOf(cur)) return []; // a redelivery of the version already seen
  }
  // if-chains, not a switch: Resource is a union of ~180 types and only six become events.
  if (cur.resourceType === 'Appointment') return decideAppointment(cur, previous as Appointment | undefined);
  if (cur.resourceType === 'ServiceRequest') {
    mapServiceRequest(cur);
    return [{ type: previous ? 'referral.updated' : 'referral.created' }];
  }
  if (cur.resourceType === 'Task') {
    mapTask(cur);
    return [{ type: previous ? 'task.updated' : 'task.created' }];
  }
  if (cur.resourceType === 'Encounter') return decideEncounter(cur, previous as Encounter | undefined);
  if (cur.resourceType === 'DocumentReference') return decideDocument(cur, previous as DocumentReference | undefined);
  if (cur.resourceType === 'Patient') return decidePatient(cur, previous as Patient | undefined);
  return [];
}

function decideAppointment(cur: Appointment, prev: Appointment | undefined): Decision[] {
  const now = mapAppointment(cur);
  const statusEvent = appointmentStatusEvents[now.status];
  if (!prev) return statusEvent ? [{ type: statusEvent }] : [];
  const before = mapAppointment(prev);
  if (before.status !== now.status) {
    // arrived ↔ checked-in are the same fact in Steward's model: no second event.
    if (statusEvent && statusEvent !== appointmentStatusEvents[before.status]) return [{ type: statusEvent }];
    return [];
  }
  if (now.status === 'booked' && before.start !== undefined && now.start !== before.start) {
    return [{ type: 'appointment.rescheduled', previousStart: before.start }];
  }
  return [];
}

const startedStatuses = ['arrived', 'triaged', 'in-progress', 'onleave'];

function decideEncounter(cur: Encounter, prev: Encounter | undefined): Decision[] {
  const now = mapEncounter(cur);
  const before = prev ? mapEncounter(prev) : undefined;
  const discharged = now.status === 'finished' || dischargeDisposition(cur) !== undefined;
  const wasDischarged = before
    ? before.status === 'finished' || dischargeDisposition(prev as Encounter) !== undefined
    : false;
  if (discharged && !wasDischarged) return [{ type: 'encounter.discharged' }];
  const started = now.status === 'in-progress' || now.status === 'arrived';
  if (started && !(before && startedStatuses.includes(before.status))) return [{ type: 'encounter.started' }];
  return [];
}

function decideDocument(cur: DocumentReference, prev: DocumentReference | undefined): Decision[] {
  const now = mapDocumentReference(cur);
  if (now.status !== 'current') return [];
  if (prev && mapDocumentReference(prev).status === 'current') return [];
  return [{ type: 'document.received' }];
}

function decidePatient(cur: Patient, prev: Patient | undefined): Decision[] {
  mapPatient(cur);
  const isMerge = (l: { type: string }): boolean => l.type === 'replaced-by' || l.type === 'replaces';
  const merged = patientLinks(cur).some(isMerge);
  const wasMerged = prev ? patientLinks(prev).some(isMerge) : false;
  return [{ type: merged && !wasMerged ? 'patient.merged' : 'patient.updated' }];
}

/**
 * The complete normalized events for a change. Throws only `UserError` naming the element:
 * `FHIR_INVALID` for a resource it cannot map, `FHIR_UNSUPPORTED` for an unknown modifier
 * extension or a zone-less date-time the connection refuses (strict-elements.ts); returns [] for
 * types that are not events. Zone-less date-times read in the connection's zone flag the event.
 */
export function changeEvents(
  current: Resource,
  previous: Resource | undefined,
  context: ChangeContext,
): EhrEventInput[] {
  checkModifierExtensions(checkResource(current, {}, 'current'), context.knownModifierExtensions);
  // Contained Patients (`#p1`) become logical references every mapper can match (or a refusal).
  current = resolveContainedPatients(current);
  if (previous !== undefined) previous = resolveContainedPatients(checkResource(previous, {}, 'previous'));
  const decisions = decideEventTypes(current, previous);
  if (decisions.length === 0) return [];
  const r = elementsOf(current);
  const type = current.resourceType;
  const id = reqString(r, 'id', type);
  const version = versionOf(current);
  const meta = optObject(r, 'meta', type);
  const lastUpdated = meta ? optString(meta, 'lastUpdated', `${type}.meta`) : undefined;
  const occurredAt = lastUpdated ?? context.receivedAt;
  if (occurredAt === undefined || !hasOffset(occurredAt)) {
    throw fhirInvalid(`${type}.meta.lastUpdated`, 'is required, as an instant with a time zone offset');
  }
  // Without a versionId the instant stands in for it, so redelivery of the same state still dedups.
  const versionKey = version ?? `@${occurredAt}`;
  const sourceRef = version === undefined ? `${type}/${id}` : `${type}/${id}/_history/${version}`;
  const { facts, patient } = factsAndPatient(current);
  const rule: ZoneRule = {
    ...opt('timeZone', context.timeZone),
    ...opt('zoneless', context.zonelessTimes),
  };
  return decisions.map((d) => {
    const inferred = new Set<string>();
    const settled = settleZones(
      withDecision(d.type === 'patient.merged' ? mergeFacts(current as Patient) : facts, d),
      rule,
      inferred,
    );
    const flag = zoneFlag(inferred, rule);
    return {
      type: d.type,
      connectionId: context.connectionId,
      channel: context.channel,
      dedupKey: `fhir:${type}/${id}/_history/${versionKey}${decisions.length > 1 ? `#${d.type}` : ''}`,
      occurredAt,
      patient: d.type === 'patient.merged' ? mergeSurvivor(current as Patient) : patient,
      facts: settled,
      sourceRef,
      ...(flag !== undefined ? { flags: [flag] } : {}),
    };
  });
}

/** The facts' date-times with explicit offsets (see strict-elements.ts), each named by its FHIR element. */
function settleZones(facts: EhrEventFacts, rule: ZoneRule, inferred: Set<string>): EhrEventFacts {
  const at = (v: string | undefined, path: string): string | undefined =>
    v === undefined ? undefined : settleZone(v, path, rule, inferred);
  switch (facts.kind) {
    case 'Appointment':
      return {
        ...facts,
        ...opt('start', at(facts.start, 'Appointment.start')),
        ...opt('end', at(facts.end, 'Appointment.end')),
        ...opt('previousStart', at(facts.previousStart, 'Appointment.start (previous version)')),
      };
    case 'Referral':
      return {
        ...facts,
        ...opt('authoredOn', at(facts.authoredOn, 'ServiceRequest.authoredOn')),
        ...opt(
          'occurrence',
          facts.occurrence === undefined
            ? undefined
            : {
                ...opt('start', at(facts.occurrence.start, 'ServiceRequest.occurrence[x].start')),
                ...opt('end', at(facts.occurrence.end, 'ServiceRequest.occurrence[x].end')),
              },
        ),
      };
    case 'Task':
      return { ...facts, ...opt('dueDate', at(facts.dueDate, 'Task.restriction.period.end')) };
    case 'Encounter':
      return {
        ...facts,
        ...opt('start', at(facts.start, 'Encounter.period.start')),
        ...opt('end', at(facts.end, 'Encounter.period.end')),
      };
    case 'Document':
      return { ...facts, ...opt('date', at(facts.date, 'DocumentReference.date')) };
    case 'Order':
    case 'Result':
    case 'Patient':
    case 'Merge':
      return facts;
  }
}

function factsAndPatient(resource: Resource): { facts: EhrEventFacts; patient: PatientRef } {
  const r = resource;
  if (r.resourceType === 'Appointment') return { facts: mapAppointment(r), patient: appointmentPatient(r) };
  if (r.resourceType === 'ServiceRequest') return { facts: mapServiceRequest(r), patient: serviceRequestPatient(r) };
  if (r.resourceType === 'Task') return { facts: mapTask(r), patient: taskPatient(r) };
  if (r.resourceType === 'Encounter') return { facts: mapEncounter(r), patient: encounterPatient(r) };
  if (r.resourceType === 'DocumentReference') {
    return { facts: mapDocumentReference(r), patient: documentReferencePatient(r) };
  }
  if (r.resourceType === 'Patient') return { facts: { kind: 'Patient' }, patient: mapPatient(r) };
  throw fhirInvalid(r.resourceType, 'is not a resource type Steward maps to events');
}

function withDecision(facts: EhrEventFacts, d: Decision): EhrEventFacts {
  if (facts.kind === 'Appointment' && d.previousStart !== undefined)
    return { ...facts, previousStart: d.previousStart };
  return facts;
}

/**
 * `replaced-by` on this Patient: this one is retired and the link target survives.
 * `replaces` on this Patient: this one survives and the link target is retired.
 */
function mergeSurvivor(p: Patient): PatientRef {
  const link = patientLinks(p).find((l) => l.type === 'replaced-by');
  return link ? link.other : mapPatient(p);
}

function mergeFacts(p: Patient): EhrEventFacts {
  const links = patientLinks(p);
  const replacedBy = links.find((l) => l.type === 'replaced-by');
  if (replacedBy) return { kind: 'Merge', scope: 'patient', retired: mapPatient(p) };
  const replaces = links.find((l) => l.type === 'replaces');
  return { kind: 'Merge', scope: 'patient', retired: replaces ? replaces.other : mapPatient(p) };
}

function versionOf(resource: Resource): string | undefined {
  const meta = elementsOf(resource)['meta'];
  if (!isObject(meta)) return undefined;
  const v = optString(meta, 'versionId', `${resource.resourceType}.meta`);
  if (v !== undefined && !/^[A-Za-z0-9\-.]{1,64}$/.test(v)) {
    throw fhirInvalid(`${resource.resourceType}.meta.versionId`, 'must be 1-64 letters, digits, - or .');
  }
  return v;
}

/** An instant or dateTime with an explicit offset (Z or ±hh:mm): Steward never guesses a zone. */
function hasOffset(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(value);
}

/**
 * @module What every HL7 v2 mapper shares: the mapping context, identifiers (CX, EI, XCN) as
 * system URIs, the patient from PID, times, and the event envelope.
 *
 * Identifier systems (CX-4 assigning authority, CX-5 identifier type), first match wins:
 * 1. `identifierSystems[<CX-4.1 namespace>]` or `identifierSystems[<CX-4.2 universal id>]` from the
 *    connection config: how an operator says "BCBS on this feed is the EHR's MRN system".
 * 2. CX-4.2 universal id by CX-4.3 type: ISO → `urn:oid:<id>`, UUID → `urn:uuid:<id>`,
 *    URI/URL → the id as given.
 * 3. CX-4.1 namespace → `urn:steward:hl7v2:aa:<namespace>`.
 * 4. No authority, CX-5 type only → `urn:steward:hl7v2:<connectionId>:type:<type>` (the value space
 *    is the sending system's, so it is scoped to the connection).
 * 5. Neither → `urn:steward:hl7v2:<connectionId>:id`.
 * Minimum necessary: social security numbers (CX-5 `SS`, or authority `USSSA`) are never taken.
 * Namespaces and types are percent-encoded into the URN.
 */
import type { Hl7Segment } from '@medplum/core';
import {
  UserError,
  type EhrEventFacts,
  type EhrEventFlag,
  type EhrEventInput,
  type EhrEventType,
  type EhrIdentifier,
  type MinimumDemographics,
  type ParticipantRef,
  type PatientRef,
} from '@steward/core';
import { hl7InstantToIso, hl7TimeToIso, type Hl7TimeOptions } from './hl7-time.js';
import { component, repetitions, subcomponent, type ParsedHl7 } from './parse.js';

/** Per-connection settings the mappers need. */
export interface Hl7MapContext {
  readonly connectionId: string;
  /** IANA zone for zone-less HL7 times, e.g. `America/New_York`. */
  readonly facilityTimeZone: string;
  /** Assigning authority (CX-4.1 namespace or CX-4.2 universal id) → identifier system URI. */
  readonly identifierSystems?: Readonly<Record<string, string>>;
  /**
   * Where this feed puts an appointment's previous start on SIU^S13 (standard SIU has no such
   * field; vendors use a Z-segment or a spare field), as `SEG-n` or `SEG-n.c`, e.g. `ZSC-2`.
   */
  readonly previousStartField?: string;
  /**
   * Times without a UTC offset: `infer` (default) reads them in `facilityTimeZone` and flags the
   * event `zone-inferred`; `refuse` refuses the message (AR, dead-letter) naming the field.
   */
  readonly zonelessTimes?: 'infer' | 'refuse';
  /** Filled while one message is mapped (by `mapHl7`): what the events must be flagged with. */
  readonly notes?: MapNotes;
}

/** What mapping one message noticed, for the events' flags. */
export interface MapNotes {
  /** Fields whose time had no offset and was read in the facility zone. */
  readonly zoneInferred: Set<string>;
  readonly flags: EhrEventFlag[];
}

export function newMapNotes(): MapNotes {
  return { zoneInferred: new Set(), flags: [] };
}

/** The flags the notes amount to (none: undefined). */
export function flagsOf(ctx: Hl7MapContext): EhrEventFlag[] | undefined {
  const notes = ctx.notes;
  if (notes === undefined) return undefined;
  const flags = [...notes.flags];
  if (notes.zoneInferred.size > 0)
    flags.push({
      code: 'zone-inferred',
      detail: `${[...notes.zoneInferred].join(', ')} had no UTC offset: read in ${ctx.facilityTimeZone}`,
    });
  return flags.length === 0 ? undefined : flags;
}

/** The time options every mapper uses for this connection (zone, zone-less rule, inference noted). */
export function timeOptions(ctx: Hl7MapContext, field: string): Hl7TimeOptions {
  const notes = ctx.notes;
  return {
    zone: ctx.facilityTimeZone,
    field,
    ...(ctx.zonelessTimes !== undefined ? { zoneless: ctx.zonelessTimes } : {}),
    ...(notes !== undefined ? { onZoneInferred: (f: string) => notes.zoneInferred.add(f) } : {}),
  };
}

export function invalid(reason: string): UserError {
  return new UserError('HL7_INVALID', reason);
}

const excludedTypes = new Set(['SS']);
const excludedAuthorities = new Set(['USSSA', 'SSA']);

function systemFor(
  ctx: Hl7MapContext,
  namespace: string,
  universalId: string,
  universalType: string,
  idType: string,
): string {
  const configured = ctx.identifierSystems?.[namespace] ?? ctx.identifierSystems?.[universalId];
  if (configured !== undefined && (namespace !== '' || universalId !== '')) return configured;
  const type = universalType.toUpperCase();
  if (universalId !== '') {
    if (type === 'ISO' && /^\d+(\.\d+)+$/.test(universalId)) return `urn:oid:${universalId}`;
    if (type === 'UUID') return `urn:uuid:${universalId.toLowerCase()}`;
    if ((type === 'URI' || type === 'URL') && /^[a-z][a-z0-9+.-]*:/i.test(universalId)) return universalId;
  }
  if (namespace !== '') return `urn:steward:hl7v2:aa:${encodeURIComponent(namespace)}`;
  if (universalId !== '') return `urn:steward:hl7v2:aa:${encodeURIComponent(universalId)}`;
  const conn = encodeURIComponent(ctx.connectionId);
  if (idType !== '') return `urn:steward:hl7v2:${conn}:type:${encodeURIComponent(idType)}`;
  return `urn:steward:hl7v2:${conn}:id`;
}

/** Every repetition of a CX field (PID-3, MRG-1, PV1-19) as identifiers, SSNs left out. */
export function cxIdentifiers(ctx: Hl7MapContext, segment: Hl7Segment | undefined, field: number): EhrIdentifier[] {
  const out: EhrIdentifier[] = [];
  const count = repetitions(segment, field);
  for (let rep = 0; rep < count; rep++) {
    const value = component(segment, field, 1, rep).trim();
    if (value === '') continue;
    const idType = component(segment, field, 5, rep).trim();
    const namespace = subcomponent(segment, field, 4, 1, rep).trim();
    if (excludedTypes.has(idType.toUpperCase()) || excludedAuthorities.has(namespace.toUpperCase())) continue;
    const universalId = subcomponent(segment, field, 4, 2, rep).trim();
    const universalType = subcomponent(segment, field, 4, 3, rep).trim();
    const system = systemFor(ctx, namespace, universalId, universalType, idType);
    if (!out.some((i) => i.system === system && i.value === value)) out.push({ system, value });
  }
  return out;
}

/**
 * An EI (entity identifier: id^namespace^universal id^type) as an identifier. `role` names what it
 * is when the EI has no assigner (`placer-appointment`, `filler-order` …), so that placer and
 * filler numbers never share a system.
 */
export function eiIdentifier(
  ctx: Hl7MapContext,
  segment: Hl7Segment | undefined,
  field: number,
  role: string,
  rep = 0,
): EhrIdentifier | undefined {
  const value = component(segment, field, 1, rep).trim();
  if (value === '') return undefined;
  const namespace = component(segment, field, 2, rep).trim();
  const universalId = component(segment, field, 3, rep).trim();
  const universalType = component(segment, field, 4, rep).trim();
  const base = systemFor(ctx, namespace, universalId, universalType, role);
  const system = namespace === '' && universalId === '' ? base : `${base}#${role}`;
  return { system, value };
}

/** An XCN (id^family^given^…^assigning authority at 9) as a practitioner reference. */
export function xcnParticipant(
  ctx: Hl7MapContext,
  segment: Hl7Segment | undefined,
  field: number,
  kind: ParticipantRef['kind'] = 'Practitioner',
  rep = 0,
): ParticipantRef | undefined {
  const id = component(segment, field, 1, rep).trim();
  const family = subcomponent(segment, field, 2, 1, rep).trim();
  const given = component(segment, field, 3, rep).trim();
  const display = [given, family].filter((s) => s !== '').join(' ');
  if (id === '' && display === '') return undefined;
  const identifiers: EhrIdentifier[] = [];
  if (id !== '') {
    const namespace = subcomponent(segment, field, 9, 1, rep).trim();
    const universalId = subcomponent(segment, field, 9, 2, rep).trim();
    const universalType = subcomponent(segment, field, 9, 3, rep).trim();
    identifiers.push({ system: systemFor(ctx, namespace, universalId, universalType, 'practitioner'), value: id });
  }
  return display === '' ? { kind, identifiers } : { kind, identifiers, display };
}

/** A PL (point of care^room^bed^facility…) as a location reference, by its display text. */
export function plLocation(segment: Hl7Segment | undefined, field: number): ParticipantRef | undefined {
  const parts = [
    component(segment, field, 1),
    component(segment, field, 2),
    component(segment, field, 3),
    subcomponent(segment, field, 4, 1),
  ]
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length === 0) return undefined;
  return { kind: 'Location', identifiers: [], display: parts.join(' / ') };
}

/** `system|value`, the form `basedOn` and `related` use for identifiers. */
export function identifierToken(id: EhrIdentifier): string {
  return `${id.system}|${id.value}`;
}

/** The patient from PID-3 (PID-2 when PID-3 is empty, as some v2.3 feeds do). */
export function patientFrom(ctx: Hl7MapContext, pid: Hl7Segment | undefined): PatientRef {
  if (pid === undefined) throw invalid('PID segment is missing');
  let identifiers = cxIdentifiers(ctx, pid, 3);
  if (identifiers.length === 0) identifiers = cxIdentifiers(ctx, pid, 2);
  if (identifiers.length === 0) throw invalid('PID-3 (patient identifier list) has no usable identifier');
  const demographics = pidDemographics(pid);
  return demographics === undefined ? { identifiers } : { identifiers, demographics };
}

const hl7Sex: Readonly<Record<string, MinimumDemographics['gender']>> = {
  F: 'female',
  M: 'male',
  O: 'other',
  A: 'other',
  U: 'unknown',
  N: 'unknown',
};

/**
 * PID-5 (first repetition: family surname, first given name, middle names), PID-7 (the date part)
 * and PID-8, when PID-5 has a family name and PID-7 a full date; otherwise none (never a guess).
 */
function pidDemographics(pid: Hl7Segment): MinimumDemographics | undefined {
  const family = subcomponent(pid, 5, 1, 1).trim();
  const birth = /^(\d{4})(\d{2})(\d{2})/.exec(component(pid, 7, 1).trim());
  if (family === '' || birth === null) return undefined;
  const given = [component(pid, 5, 2), component(pid, 5, 3)].map((g) => g.trim()).filter((g) => g !== '');
  const gender = hl7Sex[component(pid, 8, 1).trim().toUpperCase()];
  return {
    name: { family, given },
    birthDate: `${birth[1]}-${birth[2]}-${birth[3]}`,
    ...(gender !== undefined ? { gender } : {}),
  };
}

export function timeOf(
  ctx: Hl7MapContext,
  segment: Hl7Segment | undefined,
  field: number,
  name: string,
  comp = 1,
): string | undefined {
  return hl7TimeToIso(component(segment, field, comp), timeOptions(ctx, name));
}

export function instantOf(
  ctx: Hl7MapContext,
  segment: Hl7Segment | undefined,
  field: number,
  name: string,
  comp = 1,
): string | undefined {
  return hl7InstantToIso(component(segment, field, comp), timeOptions(ctx, name));
}

/** MSH-7, the time the message was created: the fallback for `occurredAt`. Required then. */
export function messageTime(ctx: Hl7MapContext, parsed: ParsedHl7): string {
  const at = instantOf(ctx, parsed.message.header, 7, 'MSH-7');
  if (at === undefined) throw invalid('MSH-7 (date/time of message) is missing');
  return at;
}

/** EVN-2 (recorded date/time) when present, else MSH-7. */
export function eventTime(ctx: Hl7MapContext, parsed: ParsedHl7): string {
  return instantOf(ctx, parsed.message.getSegment('EVN'), 2, 'EVN-2') ?? messageTime(ctx, parsed);
}

/**
 * The event envelope. A message with several events (two merges, three orders) keys them
 * `hl7:<MSH-10>`, `hl7:<MSH-10>:2`, `hl7:<MSH-10>:3` so each is unique and a redelivery matches.
 */
export function envelope(
  ctx: Hl7MapContext,
  parsed: ParsedHl7,
  index: number,
  type: EhrEventType,
  occurredAt: string,
  patient: PatientRef,
  facts: EhrEventFacts,
): EhrEventInput {
  return {
    type,
    connectionId: ctx.connectionId,
    channel: 'hl7v2',
    dedupKey: index === 0 ? `hl7:${parsed.controlId}` : `hl7:${parsed.controlId}:${index + 1}`,
    occurredAt,
    patient,
    facts,
    sourceRef: parsed.type,
  };
}

/** Adds a key only when the value is defined (exactOptionalPropertyTypes forbids `key: undefined`). */
export function withOptional<T extends object>(base: T, optional: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined && v !== '') out[k] = v;
  return out as T;
}

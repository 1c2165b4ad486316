/**
 * @module Minimum necessary for the FHIR facade: per HL7 v3 PurposeOfUse (the purpose of the grant
 * that allowed the read) and per resource type, which top-level elements a caller receives. The one
 * table this is decided in; the governed reader applies it before it audits, so the audit entry's
 * `fields` are what was disclosed.
 *
 * Rules of the table:
 * - Treatment (TREAT, and ETREAT under break-glass) receives the whole resource.
 * - Every other purpose receives the elements listed for it; a type not listed receives only the
 *   mandatory elements. Directory types (Practitioner, Location, Organization) are not PHI and are
 *   whole for every purpose.
 * - Mandatory elements always stay: `resourceType`, `id`, `meta`, `modifierExtension` (FHIR forbids
 *   dropping what changes a resource's meaning) and each type's required status-like elements
 *   (`status`, `intent`, `class`, an Appointment's `participant`).
 * - A resource that lost elements carries `meta.tag` SUBSETTED (v3-ObservationValue), as FHIR marks
 *   a `_summary`/`_elements` answer: it may lack elements that are mandatory for the type (a
 *   DocumentReference's `content`, the document itself, is never disclosed outside treatment).
 * - Choice elements are named `x[x]` (`occurrence[x]` keeps `occurrenceDateTime`, `occurrencePeriod`, …).
 * Known limit: the table narrows top-level elements only; an element kept is kept whole.
 */
import type { PurposeOfUse } from '@steward/core';
import type { EhrResource } from '../channel/ehr-channel.js';

/** How FHIR marks a resource with elements left out (`_summary`, `_elements`, minimum necessary). */
export const subsettedTag = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  code: 'SUBSETTED',
  display: 'subsetted',
} as const;

type ElementTable = Readonly<Partial<Record<string, readonly string[] | 'all'>>>;

const always = ['resourceType', 'id', 'meta', 'modifierExtension'] as const;

/** Elements a type keeps whatever the purpose (FHIR 1..1 status-like elements a reader needs to read it right). */
export const mandatoryElements: Readonly<Record<string, readonly string[]>> = {
  Patient: [],
  Appointment: ['status', 'participant'],
  ServiceRequest: ['status', 'intent', 'subject'],
  Task: ['status', 'intent'],
  Encounter: ['status', 'class'],
  DocumentReference: ['status'],
};

const directory: ElementTable = { Practitioner: 'all', PractitionerRole: 'all', Location: 'all', Organization: 'all' };

/**
 * Health care operations (scheduling, care coordination, follow-up): who, when, where and what
 * was ordered, without the clinical content (reasons, notes, diagnoses, documents).
 */
const operations: ElementTable = {
  ...directory,
  Patient: [
    'identifier',
    'active',
    'name',
    'telecom',
    'gender',
    'birthDate',
    'deceased[x]',
    'address',
    'communication',
    'generalPractitioner',
    'managingOrganization',
    'link',
  ],
  Appointment: [
    'identifier',
    'cancelationReason',
    'serviceCategory',
    'serviceType',
    'specialty',
    'appointmentType',
    'priority',
    'start',
    'end',
    'minutesDuration',
    'slot',
    'created',
    'basedOn',
    'requestedPeriod',
    'patientInstruction',
  ],
  ServiceRequest: [
    'identifier',
    'basedOn',
    'replaces',
    'requisition',
    'category',
    'priority',
    'doNotPerform',
    'code',
    'encounter',
    'occurrence[x]',
    'authoredOn',
    'requester',
    'performerType',
    'performer',
    'locationReference',
    'insurance',
  ],
  Task: [
    'identifier',
    'basedOn',
    'partOf',
    'statusReason',
    'businessStatus',
    'priority',
    'code',
    'focus',
    'for',
    'encounter',
    'executionPeriod',
    'authoredOn',
    'lastModified',
    'requester',
    'performerType',
    'owner',
    'location',
    'restriction',
  ],
  Encounter: [
    'identifier',
    'type',
    'serviceType',
    'priority',
    'subject',
    'episodeOfCare',
    'basedOn',
    'participant',
    'appointment',
    'period',
    'length',
    'location',
    'serviceProvider',
  ],
  DocumentReference: ['identifier', 'docStatus', 'type', 'category', 'subject', 'date', 'author', 'custodian'],
};

/** Payment: enough to bill and to match a claim — identity, what was done, when, by whom, for which coverage. */
const payment: ElementTable = {
  ...directory,
  Patient: ['identifier', 'active', 'name', 'gender', 'birthDate', 'address', 'managingOrganization'],
  Appointment: ['identifier', 'serviceType', 'appointmentType', 'start', 'end'],
  ServiceRequest: ['identifier', 'code', 'occurrence[x]', 'authoredOn', 'requester', 'performer', 'insurance'],
  Task: ['identifier', 'code', 'focus', 'for', 'authoredOn', 'lastModified'],
  Encounter: ['identifier', 'type', 'serviceType', 'subject', 'participant', 'period', 'diagnosis', 'account'],
  DocumentReference: ['identifier', 'type', 'category', 'subject', 'date'],
};

/** System administration and compliance: which records exist and in what state, no content. */
const records: ElementTable = {
  ...directory,
  Patient: ['identifier', 'active'],
  Appointment: ['identifier'],
  ServiceRequest: ['identifier'],
  Task: ['identifier'],
  Encounter: ['identifier'],
  DocumentReference: ['identifier'],
};

/** Per purpose: every type whole (`all`), or the table of what each type keeps. */
export const purposeElements: Readonly<Record<PurposeOfUse, ElementTable | 'all'>> = {
  TREAT: 'all',
  ETREAT: 'all',
  HOPERAT: operations,
  HPAYMT: payment,
  HSYSADMIN: records,
  HCOMPL: records,
};

/** The top-level elements of `resourceType` a caller reading for `purpose` receives ('all' or a list). */
export function elementsFor(purpose: PurposeOfUse, resourceType: string): readonly string[] | 'all' {
  const table = purposeElements[purpose];
  if (table === 'all') return 'all';
  const listed = table[resourceType];
  if (listed === 'all') return 'all';
  return [...always, ...(mandatoryElements[resourceType] ?? []), ...(listed ?? [])];
}

/** Whether a JSON key is the element named (`occurrence[x]` names `occurrenceDateTime`). */
function keeps(allowed: readonly string[], key: string): boolean {
  return allowed.some((name) =>
    name.endsWith('[x]')
      ? key.startsWith(name.slice(0, -3)) && /^[A-Z]/.test(key.slice(name.length - 3))
      : key === name,
  );
}

/**
 * The resource as a caller reading for `purpose` may receive it: elements outside the table
 * removed, and tagged SUBSETTED when any was. Primitive extensions (`_birthDate`) follow their element.
 */
export function minimumNecessary(found: EhrResource, purpose: PurposeOfUse): EhrResource {
  const resource = found.resource;
  const allowed = elementsFor(purpose, String(resource['resourceType']));
  if (allowed === 'all') return found;
  const kept: Record<string, unknown> = {};
  let removed = false;
  for (const [key, value] of Object.entries(resource)) {
    if (keeps(allowed, key.startsWith('_') ? key.slice(1) : key)) kept[key] = value;
    else removed = true;
  }
  if (!removed) return found;
  const meta = (typeof kept['meta'] === 'object' && kept['meta'] !== null ? kept['meta'] : {}) as Record<
    string,
    unknown
  >;
  const tags = Array.isArray(meta['tag']) ? (meta['tag'] as { system?: unknown; code?: unknown }[]) : [];
  const tagged = tags.some((t) => t.system === subsettedTag.system && t.code === subsettedTag.code);
  kept['meta'] = { ...meta, tag: tagged ? tags : [...tags, { ...subsettedTag }] };
  return { resource: kept, versionId: found.versionId };
}

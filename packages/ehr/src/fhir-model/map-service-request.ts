/**
 * @module FHIR R4 ServiceRequest → `ReferralFacts` and its patient. Minimum necessary: reasonCode,
 * note, patientInstruction, supportingInfo and orderDetail are not read. `service` is the code
 * of what is asked for (e.g. a SNOMED "referral to cardiology"), a label not clinical detail.
 * Every ServiceRequest maps to ReferralFacts (lab and imaging orders included) with its category,
 * code and performerType codings: which are referrals is decided by the connection's referral
 * rules (`referral-rules/`), not here.
 */
import type { ServiceRequest } from '@medplum/fhirtypes';
import type { ParticipantRef, PatientRef, ReferralFacts, ReferralStatus } from '@steward/core';
import { toParticipant, toPatientRef } from './map-reference.js';
import {
  conceptLabel,
  firstConceptLabel,
  opt,
  optArray,
  optCode,
  optObject,
  optString,
  readIdentifiers,
  reqCode,
  elementsOf,
} from './read-elements.js';
import type { JsonObject } from './read-elements.js';
import { conceptCodings, conceptsCodings } from './read-codings.js';

export const referralStatuses = [
  'draft',
  'active',
  'on-hold',
  'revoked',
  'completed',
  'entered-in-error',
  'unknown',
] as const satisfies readonly ReferralStatus[];

const priorities = ['routine', 'urgent', 'asap', 'stat'] as const;

export function mapServiceRequest(resource: ServiceRequest): ReferralFacts {
  const r = elementsOf(resource);
  const path = 'ServiceRequest';
  const performers: ParticipantRef[] = [];
  optArray(r, 'performer', path).forEach((p, i) => {
    const one = toParticipant(p, `${path}.performer[${i}]`);
    if (one) performers.push(one);
  });
  const requester = toParticipant(r['requester'], `${path}.requester`);
  return {
    kind: 'Referral',
    ...opt('ehrId', optString(r, 'id', path)),
    identifiers: readIdentifiers(r, 'identifier', path),
    status: reqCode(r, 'status', path, referralStatuses),
    ...opt('intent', optString(r, 'intent', path)),
    ...opt('service', conceptLabel(optObject(r, 'code', path), `${path}.code`)),
    ...opt('priority', optCode(r, 'priority', path, priorities)),
    ...opt('authoredOn', optString(r, 'authoredOn', path)),
    ...opt('requester', requester),
    performers,
    ...opt('category', firstConceptLabel(r, 'category', path)),
    ...opt('occurrence', occurrenceOf(r, path)),
    categoryCodes: conceptsCodings(r, 'category', path),
    serviceCodes: conceptCodings(optObject(r, 'code', path), `${path}.code`),
    performerTypes: conceptCodings(optObject(r, 'performerType', path), `${path}.performerType`),
  };
}

/** occurrenceDateTime, or occurrencePeriod's bounds (occurrenceTiming is not read: a known limit). */
function occurrenceOf(r: JsonObject, path: string): { start?: string; end?: string } | undefined {
  const at = optString(r, 'occurrenceDateTime', path);
  if (at !== undefined) return { start: at };
  const period = optObject(r, 'occurrencePeriod', path);
  if (period === undefined) return undefined;
  const bounds = {
    ...opt('start', optString(period, 'start', `${path}.occurrencePeriod`)),
    ...opt('end', optString(period, 'end', `${path}.occurrencePeriod`)),
  };
  return Object.keys(bounds).length > 0 ? bounds : undefined;
}

export function serviceRequestPatient(resource: ServiceRequest): PatientRef {
  return toPatientRef(elementsOf(resource)['subject'], 'ServiceRequest.subject');
}

/**
 * @module athenahealth (athenaOne FHIR R4 API). Evidence, all in
 * ../shared/fixtures/third-party/vendor-sandbox/athenahealth/ (from athenahealth's own
 * aone-fhir-subscriptions repository):
 * - topic-based subscriptions, R4 backport, rest-hook, `id-only` payload
 *   (subscription-create-request.json); topics Appointment.create, Appointment.schedule,
 *   Order.signoff, Patient.update (the notification recordings);
 * - the status entry is an R4B-style `SubscriptionStatus` resource, not the R4 backport
 *   `Parameters` (the shared parser accepts both);
 * - each event's focus may be an identifier only (`urn:athenahealth:athenanet:<kind>:<practiceId>`),
 *   and an `AuditEvent` entry (same id as the event) names the patient in the R5 cross-version
 *   extension `extension-AuditEvent.patient` and the department in `ah-department`;
 * - FHIR ids are practice-scoped: Patient `a-<practiceId>.E-<patientId>` (the patient recording
 *   gives the id and the identifier side by side);
 * - searches and subscriptions are scoped to a practice with `ah-practice` (the request's filter).
 * Assumed (athenahealth's developer documentation, recalled, not verified): read/search of the
 * six workflow types, no FHIR writes of them (athenaOne's proprietary REST API books and checks
 * in), `_lastUpdated` on Appointment and Patient searches, 100 per page; `Order.*` topics are
 * about orders that R4 models as ServiceRequest.
 */
import type { EhrIdentifier } from '@steward/core';
import type { NotificationEvent, NotificationFocus, SubscriptionNotification } from '../fhir-model/index.js';
import type { ResourceSupport, VendorProfile } from './vendor-profile.js';
import { dropNarrative } from './normalize.js';
import { defaultReferralRules } from '../referral-rules/default-rules.js';

const auditPatientExtension = 'https://hl7.org/fhir/5.0/StructureDefinition/extension-AuditEvent.patient';
const topicBase = 'https://api.platform.athenahealth.com/fhir/r4/SubscriptionTopic/';

const readSearch = (search: readonly string[]): ResourceSupport => ({
  read: true,
  search: ['_id', 'ah-practice', ...search],
  create: false,
  update: false,
  requiredSearch: ['ah-practice'],
});

export function athenahealthProfile(): VendorProfile {
  return {
    id: 'athenahealth',
    name: 'athenahealth (athenaOne)',
    fhirVersion: '4.0.1',
    resources: {
      Patient: readSearch(['identifier', 'name', 'family', 'given', 'birthdate', 'gender', '_lastUpdated']),
      Appointment: readSearch(['patient', 'date', 'status', 'identifier', '_lastUpdated']),
      ServiceRequest: readSearch(['patient', 'status', 'category']),
      Task: readSearch(['patient', 'status']),
      Encounter: readSearch(['patient', 'date', 'status', 'identifier']),
      DocumentReference: readSearch(['patient', 'date', 'category', 'type', 'encounter']),
      Practitioner: readSearch(['identifier', 'name']),
      Location: readSearch([]),
      Organization: readSearch([]),
    },
    identifierSystems: {
      patient: 'urn:athenahealth:athenanet:patient:{practiceId}',
      appointment: 'urn:athenahealth:athenanet:appointment:{practiceId}',
      order: 'urn:athenahealth:athenanet:order:{practiceId}',
    },
    paging: 'next-link',
    maxPageSize: 100,
    subscriptions: 'r4b-backport',
    subscriptionTopics: ['Appointment.create', 'Appointment.schedule', 'Order.signoff', 'Patient.update'].map(
      (t) => topicBase + t,
    ),
    payloadContent: 'id-only',
    pollingParameter: '_lastUpdated',
    extensions: [
      {
        url: 'https://fhir.athena.io/StructureDefinition/ah-department',
        on: 'AuditEvent',
        meaning: 'the department (Organization) of the event',
      },
      { url: auditPatientExtension, on: 'AuditEvent', meaning: 'the patient the event is about' },
      {
        url: 'https://fhir.athena.io/StructureDefinition/ah-chart-sharing-group',
        on: 'AuditEvent',
        meaning: 'the chart-sharing group',
      },
    ],
    referralRules: defaultReferralRules,
    sources: [
      'vendor-sandbox/athenahealth/fhir-subscription-notification-*.json and subscription-create-request.json (athenahealth/aone-fhir-subscriptions, Apache-2.0)',
      'Assumed from athenahealth developer documentation (recalled): search parameters, no FHIR writes, _lastUpdated, page size 100',
    ],
    normalize: dropNarrative,
    normalizeNotification: normalizeAthenaNotification,
  };
}

/**
 * Fills in what athenahealth leaves implicit: the focus type from the topic (`Patient.update` →
 * Patient, `Order.*` → ServiceRequest), the Patient reference from its athenaNet identifier, and
 * the event's patient from its AuditEvent context entry.
 */
export function normalizeAthenaNotification(n: SubscriptionNotification): SubscriptionNotification {
  const topicType = focusTypeOfTopic(n.topic);
  return { ...n, events: n.events.map((e) => normalizeEvent(e, topicType)) };
}

function normalizeEvent(e: NotificationEvent, topicType: string | undefined): NotificationEvent {
  let focus: NotificationFocus | undefined = e.focus;
  if (focus && focus.type === undefined && topicType !== undefined) focus = { ...focus, type: topicType };
  if (focus && focus.relative === undefined && focus.type === 'Patient' && focus.identifier) {
    const id = patientIdFromIdentifier(focus.identifier);
    if (id) focus = { ...focus, id, relative: `Patient/${id}` };
  }
  const patient = e.patient ?? (focus?.type === 'Patient' ? focus.relative : undefined) ?? patientFromContext(e);
  return { ...e, ...(focus ? { focus } : {}), ...(patient ? { patient } : {}) };
}

function focusTypeOfTopic(topic: string | undefined): string | undefined {
  const code = topic?.split('/').pop()?.split('.')[0];
  if (code === 'Order') return 'ServiceRequest';
  return code && /^[A-Z][A-Za-z]+$/.test(code) ? code : undefined;
}

/** `urn:athenahealth:athenanet:patient:195900` + `1` → `a-195900.E-1`. */
export function patientIdFromIdentifier(identifier: EhrIdentifier): string | undefined {
  const m = /^urn:athenahealth:athenanet:patient:(\d{1,12})$/.exec(identifier.system);
  if (!m || !/^\d{1,15}$/.test(identifier.value)) return undefined;
  return `a-${m[1]}.E-${identifier.value}`;
}

function patientFromContext(e: NotificationEvent): string | undefined {
  for (const r of e.context) {
    if (r.resourceType !== 'AuditEvent') continue;
    for (const ext of Array.isArray(r.extension) ? r.extension : []) {
      if (typeof ext !== 'object' || (ext as unknown) === null) continue;
      const ref: unknown = (ext as { valueReference?: { reference?: unknown } }).valueReference?.reference;
      if (ext.url === auditPatientExtension && typeof ref === 'string' && /^Patient\/[A-Za-z0-9\-.]{1,64}$/.test(ref))
        return ref;
    }
  }
  return undefined;
}

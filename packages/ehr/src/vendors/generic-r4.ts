/**
 * @module The generic FHIR R4 profile: what a conformant R4 (4.0.1) server offers per the
 * specification's search parameters (hl7.org/fhir/R4/<type>.html#search) and RESTful API.
 * Assumed, since conformance is per server: every interaction on the six workflow types, and
 * `_lastUpdated` polling with `_sort`/`_count`. Topic-based subscriptions are optional in R4
 * (they need the R5 Backport IG), so they are declared absent; compare the server's
 * CapabilityStatement (capability.ts) to find what a given server really offers.
 */
import type { ResourceSupport, VendorProfile } from './vendor-profile.js';
import { dropNarrative, sameNotification } from './normalize.js';
import { defaultReferralRules } from '../referral-rules/default-rules.js';

const common = ['_id', '_lastUpdated', '_count', '_sort', '_include', 'identifier'];
const rw = (search: readonly string[]): ResourceSupport => ({
  read: true,
  search: [...common, ...search],
  create: true,
  update: true,
  history: true,
});

export function genericR4Profile(): VendorProfile {
  return {
    id: 'generic-r4',
    name: 'Generic FHIR R4',
    fhirVersion: '4.0.1',
    resources: {
      Patient: rw(['name', 'family', 'given', 'birthdate', 'gender', 'link']),
      Appointment: rw(['patient', 'date', 'status', 'practitioner', 'location', 'based-on', 'service-type', 'actor']),
      ServiceRequest: rw([
        'patient',
        'subject',
        'status',
        'intent',
        'category',
        'code',
        'authored',
        'requester',
        'performer',
      ]),
      Task: rw(['patient', 'subject', 'status', 'owner', 'focus', 'based-on', 'code', 'business-status', 'modified']),
      Encounter: rw(['patient', 'subject', 'status', 'date', 'class', 'location', 'appointment', 'based-on']),
      DocumentReference: rw(['patient', 'subject', 'status', 'date', 'type', 'category', 'encounter', 'related']),
      Practitioner: rw(['name', 'family', 'given']),
      Location: rw(['name', 'address']),
      Organization: rw(['name']),
    },
    identifierSystems: {},
    paging: 'next-link',
    maxPageSize: 100,
    subscriptions: 'none',
    subscriptionTopics: [],
    pollingParameter: '_lastUpdated',
    extensions: [],
    referralRules: defaultReferralRules,
    sources: [
      'HL7 FHIR R4 4.0.1 specification: RESTful API and per-resource search parameters',
      'maxPageSize 100: a conservative default; servers may cap lower (Bundle.link next is followed)',
    ],
    normalize: dropNarrative,
    normalizeNotification: sameNotification,
  };
}

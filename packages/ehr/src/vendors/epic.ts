/**
 * @module Epic (R4 APIs as documented on fhir.epic.com / open.epic.com, from memory of those
 * pages — not verified against a live R4 server; no R4 recording with a usable licence exists).
 * Recorded evidence (../shared/fixtures/third-party/vendor-sandbox/epic/, DSTU2 and STU3
 * CapabilityStatements, 2019–2021): Appointment was read-only with no search, Patient and
 * DocumentReference could be created, ProcedureRequest (R4 ServiceRequest) was search-by-patient.
 * Declared differences from generic R4:
 * - most clinical searches require `patient` (documented per API); there is no server-wide
 *   `_lastUpdated` change search, so polling is not offered: use HL7 v2 feeds for changes
 *   (assumed: topic-based FHIR subscriptions are not generally available);
 * - scheduling writes go through Epic's `$find`/`$book` operations, not Appointment create/update;
 * - DocumentReference create/update is the Clinical Notes API (assumed available per site);
 * - identifiers: Epic's OID root is 1.2.840.114350; the MRN system under it differs per
 *   organisation, so it is configured per connection (`{mrnSystem}`).
 * Paging: Bundle.link next; 100 per page is an assumption.
 */
import type { ResourceSupport, VendorProfile } from './vendor-profile.js';
import { dropNarrative, sameNotification } from './normalize.js';
import { defaultReferralRules } from '../referral-rules/default-rules.js';

const readSearch = (search: readonly string[], extra: Partial<ResourceSupport> = {}): ResourceSupport => ({
  read: true,
  search: ['_id', ...search],
  create: false,
  update: false,
  requiredSearch: ['patient'],
  ...extra,
});

export function epicProfile(): VendorProfile {
  return {
    id: 'epic',
    name: 'Epic',
    fhirVersion: '4.0.1',
    resources: {
      Patient: {
        read: true,
        search: ['_id', 'identifier', 'family', 'given', 'name', 'birthdate', 'gender', 'telecom', 'address'],
        create: true,
        update: false,
      },
      Appointment: readSearch(['patient', 'date', 'status', 'identifier', 'service-category']),
      ServiceRequest: readSearch([
        'patient',
        'subject',
        'category',
        'code',
        'authored',
        'status',
        'requester',
        'encounter',
      ]),
      Task: readSearch(['patient', 'code', 'status']),
      Encounter: readSearch(['patient', 'subject', 'date', 'class', 'identifier']),
      DocumentReference: readSearch(
        ['patient', 'subject', 'category', 'date', 'docstatus', 'encounter', 'period', 'type'],
        {
          create: true,
          update: true,
        },
      ),
      Practitioner: {
        read: true,
        search: ['_id', 'identifier', 'family', 'given', 'name'],
        create: false,
        update: false,
      },
      Location: { read: true, search: [], create: false, update: false },
      Organization: { read: true, search: [], create: false, update: false },
    },
    identifierSystems: { oidRoot: 'urn:oid:1.2.840.114350', mrn: '{mrnSystem}' },
    paging: 'next-link',
    maxPageSize: 100,
    subscriptions: 'none',
    subscriptionTopics: [],
    pollingParameter: 'none',
    extensions: [],
    // Epic's own order-type categories (under its OID root) differ per organisation: a site adds
    // them as its own referral rules on the connection.
    referralRules: defaultReferralRules,
    sources: [
      'fhir.epic.com R4 API specifications (Appointment, Patient, Encounter, DocumentReference, ServiceRequest): recalled, not verified live',
      'vendor-sandbox/epic/*.json: DSTU2/STU3 capability statements recorded by ONC Lantern (2019-2021)',
      'Assumed: no _lastUpdated search; no generally available topic-based subscriptions; page size 100',
    ],
    normalize: dropNarrative,
    normalizeNotification: sameNotification,
  };
}

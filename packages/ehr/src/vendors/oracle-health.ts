/**
 * @module Oracle Health (Cerner) Millennium R4, as documented on fhir.cerner.com/millennium/r4
 * (from memory of those pages; its example responses have no licence, so none are recorded).
 * Recorded evidence (../shared/fixtures/third-party/vendor-sandbox/cerner/): the DSTU2
 * Conformance of fhir-myrecord.cerner.com (Appointment searchable by date, patient,
 * practitioner, location, status; ProcedureRequest — R4 ServiceRequest — searchable by
 * `_lastUpdated`), and the sandbox tenant's smart-configuration (SMART v2 permissions).
 * Declared differences from generic R4:
 * - Appointment, Encounter and Patient are written with JSON Patch (declared as `update`);
 *   Appointment create books a slot;
 * - `_lastUpdated` is declared only on ServiceRequest (the one recorded), so other types cannot
 *   be polled by change time: use HL7 v2 feeds;
 * - no Task resource and no topic-based subscriptions (assumed from the documentation's scope);
 * - the MRN system is a per-tenant OID (`{mrnOid}`).
 * Paging: Bundle.link next (opaque); 100 per page is an assumption.
 */
import type { VendorProfile } from './vendor-profile.js';
import { dropNarrative, sameNotification } from './normalize.js';
import { defaultReferralRules } from '../referral-rules/default-rules.js';

export function oracleHealthProfile(): VendorProfile {
  return {
    id: 'oracle-health',
    name: 'Oracle Health (Cerner Millennium)',
    fhirVersion: '4.0.1',
    resources: {
      Patient: {
        read: true,
        search: [
          '_id',
          'identifier',
          'name',
          'family',
          'given',
          'birthdate',
          'phone',
          'email',
          'gender',
          'address-postalcode',
          '_count',
        ],
        create: true,
        update: true,
      },
      Appointment: {
        read: true,
        search: ['_id', 'identifier', 'patient', 'practitioner', 'location', 'date', 'status', '_count'],
        create: true,
        update: true,
      },
      Encounter: {
        read: true,
        search: ['_id', 'patient', 'subject', 'account', 'identifier', 'date', 'status', '_count'],
        create: true,
        update: true,
      },
      DocumentReference: {
        read: true,
        search: ['_id', 'patient', 'subject', 'encounter', 'date', 'period', 'type', 'category', '_count'],
        create: true,
        update: false,
        requiredSearch: ['patient'],
      },
      ServiceRequest: {
        read: true,
        search: ['_id', 'patient', 'subject', 'encounter', '_lastUpdated', '_count'],
        create: false,
        update: false,
        requiredSearch: ['patient'],
      },
      Practitioner: {
        read: true,
        search: ['_id', 'identifier', 'name', 'family', 'given'],
        create: false,
        update: false,
      },
      Location: { read: true, search: ['_id', 'identifier'], create: false, update: false },
      Organization: { read: true, search: ['_id', 'identifier', 'name'], create: false, update: false },
    },
    identifierSystems: { mrn: 'urn:oid:{mrnOid}' },
    paging: 'next-link',
    maxPageSize: 100,
    subscriptions: 'none',
    subscriptionTopics: [],
    pollingParameter: '_lastUpdated',
    extensions: [],
    // Oracle Health's referral order categories are site-built codes: a site adds them on the connection.
    referralRules: defaultReferralRules,
    sources: [
      'fhir.cerner.com/millennium/r4 resource pages: recalled, not verified live',
      'vendor-sandbox/cerner/conformance-dstu2-cerner-myrecord.json (ONC Lantern): DSTU2 search parameters',
      'vendor-sandbox/cerner/smart-configuration-cerner-sandbox-tenant-ec2458f2.json: SMART capabilities',
      'Assumed: no Task, no topic-based subscriptions, page size 100',
    ],
    normalize: dropNarrative,
    normalizeNotification: sameNotification,
  };
}

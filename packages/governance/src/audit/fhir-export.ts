/**
 * @module Audit entries as FHIR R4 AuditEvent resources following the IHE Basic Audit Log Patterns
 * (https://profiles.ihe.net/ITI/BALP/): RESTful type and interaction subtype, the user agent as
 * requestor with its network address, Steward as observer, one AuditEvent per patient (BALP
 * "Patient*" profiles carry exactly one patient entity), the data entity by reference, and for
 * searches the query parameters (base64). Result data is never recorded, so none can be exported.
 *
 * Limits: Steward record kinds are exported as reference types as they are (`referral/…`); events
 * without a BALP profile (configuration, egress, audit) use the DICOM security-alert codes.
 */
import type { AuditEvent as FhirAuditEvent, AuditEventAgent, AuditEventEntity, Coding } from '@medplum/fhirtypes';
import type { Sql } from '@steward/store';
import type { FieldCipher } from '../crypto/field-cipher.js';
import type { AuditEvent } from './audit-entry.js';
import { iterateAudit, type AuditFilter, type AuditRecord } from './query.js';

const BALP = 'https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.';
const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
const RESTFUL = 'http://hl7.org/fhir/restful-interaction';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
const ROLE_TYPE = 'http://terminology.hl7.org/CodeSystem/extra-security-role-type';

const rest = (code: string): Coding => ({ system: RESTFUL, code });
const dcm = (code: string, display: string): Coding => ({ system: DCM, code, display });

/** type, subtype and BALP profile name (without the patient prefix) per event. */
function classify(event: AuditEvent): { type: Coding; subtype?: Coding; profile?: string } {
  const restType: Coding = { system: EVENT_TYPE, code: 'rest', display: 'Restful Operation' };
  switch (event) {
    case 'phi.read':
      return { type: restType, subtype: rest('read'), profile: 'Read' };
    case 'phi.search':
    case 'phi.export':
      return { type: restType, subtype: rest('search-type'), profile: 'Query' };
    case 'phi.create':
      return { type: restType, subtype: rest('create'), profile: 'Create' };
    case 'phi.update':
      return { type: restType, subtype: rest('update'), profile: 'Update' };
    case 'phi.delete':
      return { type: restType, subtype: rest('delete'), profile: 'Delete' };
    case 'auth.login':
    case 'auth.login_failed':
    case 'auth.token_created':
    case 'auth.token_rejected':
      return { type: dcm('110114', 'User Authentication'), subtype: dcm('110122', 'Login'), profile: 'Login' };
    case 'auth.logout':
    case 'auth.session_expired':
    case 'auth.token_revoked':
      return { type: dcm('110114', 'User Authentication'), subtype: dcm('110123', 'Logout'), profile: 'Logout' };
    case 'access.denied':
      return { type: dcm('110113', 'Security Alert'), subtype: dcm('110132', 'Use of Restricted Function') };
    case 'break_glass.start':
    case 'break_glass.use':
    case 'break_glass.review':
      return { type: dcm('110113', 'Security Alert'), subtype: dcm('110127', 'Emergency Override Started') };
    case 'admin.user_changed':
    case 'admin.service_account_changed':
      return { type: dcm('110113', 'Security Alert'), subtype: dcm('110137', 'User Security Attributes Changed') };
    case 'admin.grant_changed':
      return { type: dcm('110113', 'Security Alert'), subtype: dcm('110136', 'Security Roles Changed') };
    case 'config.changed':
    case 'keys.rotated':
    case 'egress.allowed':
    case 'egress.denied':
      return { type: dcm('110113', 'Security Alert'), subtype: dcm('110129', 'Security Configuration') };
    case 'audit.verified':
    case 'audit.queried':
    case 'audit.exported':
      return { type: dcm('110101', 'Audit Log Used') };
    case 'ehr.received':
    case 'ehr.dead_letter':
      return { type: dcm('110107', 'Import') };
    case 'ehr.written':
      return { type: dcm('110106', 'Export') };
    case 'ehr.connection_changed':
    case 'approval_policy.changed':
      return { type: dcm('110113', 'Security Alert'), subtype: dcm('110129', 'Security Configuration') };
    // A proposal's life and a workflow's failure are application activity on a record.
    case 'proposal.drafted':
      return { type: restType, subtype: rest('create'), profile: 'Create' };
    case 'proposal.approved':
    case 'proposal.rejected':
    case 'proposal.conflicted':
    case 'proposal.failed':
    case 'proposal.committed':
    case 'proposal.verified':
    case 'proposal.rolled_back':
    case 'proposal.assigned':
    case 'workflow.failed':
      return { type: restType, subtype: rest('update'), profile: 'Update' };
    case 'contacts.imported':
      return { type: dcm('110107', 'Import') };
    case 'contacts.exported':
      return { type: dcm('110106', 'Export') };
    case 'retention.policy_changed':
    case 'retention.hold_changed':
      return { type: dcm('110113', 'Security Alert'), subtype: dcm('110129', 'Security Configuration') };
    case 'retention.purged':
      return { type: restType, subtype: rest('delete'), profile: 'Delete' };
    case 'incident.opened':
    case 'incident.changed':
    case 'incident.reported':
      return { type: dcm('110101', 'Audit Log Used') };
    // A screen run and its steps: application activity on the EHR's screens.
    case 'automation.run':
    case 'automation.step':
      return { type: restType, subtype: rest('update'), profile: 'Update' };
    // Opened to sign in to the EHR's screens as the automation account.
    case 'automation.credentials_opened':
      return { type: dcm('110114', 'User Authentication'), subtype: dcm('110122', 'Login'), profile: 'Login' };
    // A prompt sent to an AI provider: data leaving Steward.
    case 'ai.called':
      return { type: dcm('110106', 'Export') };
  }
}

const OUTCOME = { success: '0', denied: '4', failure: '8' } as const;

/**
 * The AuditEvents for one entry: one per patient it touched (ids `<seq>-<n>`), or a single one
 * (id `<seq>`) when it touched none.
 */
export function toFhirAuditEvents(record: AuditRecord, observer = 'Steward'): FhirAuditEvent[] {
  const { type, subtype, profile } = classify(record.event);
  const patients = record.patientIds;
  const user: AuditEventAgent = {
    type: {
      coding: [
        record.actor.kind === 'user'
          ? { system: ROLE_TYPE, code: 'humanuser', display: 'human user' }
          : { system: DCM, code: '110150', display: 'Application' },
      ],
    },
    who: { identifier: { system: 'urn:steward:actor', value: record.actor.id }, display: record.actor.name },
    altId: record.actor.authMethod,
    requestor: true,
    ...(record.source?.address !== undefined
      ? { network: { address: record.source.address, type: '2' as const } }
      : {}),
    ...(record.purposeOfUse !== undefined
      ? { purposeOfUse: [{ coding: [{ system: ACT_REASON, code: record.purposeOfUse }] }] }
      : {}),
  };
  const server: AuditEventAgent = {
    type: { coding: [dcm('110152', 'Destination Role ID')] },
    who: { display: observer },
    requestor: false,
  };
  const shared: AuditEventEntity[] = [];
  if (record.entity !== undefined) {
    const { kind, id, version } = record.entity;
    shared.push({
      what: { reference: `${kind}/${id}${version !== undefined ? `/_history/${version}` : ''}` },
      type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
      role: { system: OBJECT_ROLE, code: '4', display: 'Domain Resource' },
      ...(record.fields !== undefined ? { detail: [{ type: 'fields', valueString: record.fields.join(',') }] } : {}),
    });
  }
  if (record.query !== undefined) {
    const queryString = new URLSearchParams(
      Object.entries(record.query).sort(([a], [b]) => (a < b ? -1 : 1)),
    ).toString();
    shared.push({
      type: { system: ENTITY_TYPE, code: '2', display: 'System Object' },
      role: { system: OBJECT_ROLE, code: '24', display: 'Query' },
      query: Buffer.from(queryString, 'utf8').toString('base64'),
    });
  }
  const base = (id: string, patientId: string | undefined): FhirAuditEvent => {
    const profiles =
      profile === undefined || record.outcome !== 'success'
        ? []
        : [
            `${BALP}${patientId !== undefined && !['Login', 'Logout'].includes(profile) ? `Patient${profile}` : profile}`,
          ];
    const entity: AuditEventEntity[] = [
      ...(patientId !== undefined
        ? [
            {
              what: { reference: `Patient/${patientId}` },
              type: { system: ENTITY_TYPE, code: '1', display: 'Person' },
              role: { system: OBJECT_ROLE, code: '1', display: 'Patient' },
            },
          ]
        : []),
      ...shared,
    ];
    return {
      resourceType: 'AuditEvent',
      id,
      ...(profiles.length > 0 ? { meta: { profile: profiles } } : {}),
      type,
      ...(subtype !== undefined ? { subtype: [subtype] } : {}),
      action: record.action,
      recorded: record.at,
      outcome: OUTCOME[record.outcome],
      ...(record.reason !== undefined ? { outcomeDesc: record.reason } : {}),
      ...(record.purposeOfUse !== undefined
        ? { purposeOfEvent: [{ coding: [{ system: ACT_REASON, code: record.purposeOfUse }] }] }
        : {}),
      agent: [user, server],
      source: {
        observer: { display: observer },
        ...(record.site !== undefined ? { site: record.site } : {}),
        type: [{ system: SOURCE_TYPE, code: '4', display: 'Application Server' }],
      },
      ...(entity.length > 0 ? { entity } : {}),
    };
  };
  if (patients.length === 0) return [base(String(record.seq), undefined)];
  return patients.map((p, i) => base(`${record.seq}-${i + 1}`, p));
}

export interface ExportOptions {
  readonly observer?: string;
  readonly onProgress?: (progress: { readonly entries: number; readonly events: number; readonly seq: number }) => void;
}

/**
 * Writes the matching entries as AuditEvent NDJSON, one line per event, in seq order. `writeLine`
 * may return a promise (backpressure). Returns how many entries and events were written.
 */
export async function exportFhirAuditEvents(
  db: Sql,
  cipher: FieldCipher,
  filter: AuditFilter,
  writeLine: (line: string) => void | Promise<void>,
  options: ExportOptions = {},
): Promise<{ readonly entries: number; readonly events: number }> {
  let entries = 0;
  let events = 0;
  for await (const record of iterateAudit(db, cipher, filter)) {
    for (const event of toFhirAuditEvents(record, options.observer)) {
      await writeLine(JSON.stringify(event));
      events++;
    }
    entries++;
    if (entries % 1_000 === 0) options.onProgress?.({ entries, events, seq: record.seq });
  }
  return { entries, events };
}

/**
 * @module What counts as a PHI read or write in the audit trail, in one place: issue 15's
 * "every PHI access names its patients" is checked against it by the sandbox test and by the
 * long-running proof (scripts/proof-audit-patients.mjs). The events: `phi.*` (every governed read,
 * search, create, update, delete and export of patient data), `ehr.received` (an EHR event about a
 * patient filed) and `ehr.written` (a patient's chart changed). Not counted:
 * - `proposal.*`: a decision's own entry; the read that showed the proposal and the `ehr.written`
 *   its approval caused are counted;
 * - `ehr.dead_letter`: an event that could not be filed names no patient to resolve;
 * - auth, admin, config, retention and audit events: no patient data;
 * - reads through the EHR channel of the directory's resources (practitioners, their roles,
 *   organizations, locations, services): the channel audits every EHR read as `phi.read`, but these
 *   are about staff and places, not a patient;
 * - failed or denied attempts: nothing was read (their entries name the patient when one was asked for);
 * - the dashboards' figures (`OperationsReport`, `FollowupReport`): counts over a site, no
 *   patient's record shown; audited as searches all the same, naming nobody;
 * - a search that showed nothing (its entry's reason counts what it listed: `referrals:0`,
 *   `proposals:0`, `followups:0`, `matches:0`): an empty list disclosed no one.
 */
import { auditEvents } from '@steward/governance';

/** The events of a person's (or the automation's) access to patient data. */
export const phiAccessEvents: ReadonlySet<string> = new Set(auditEvents.filter((e) => e.startsWith('phi.')));
const phiEvents = new Set([...phiAccessEvents, 'ehr.received', 'ehr.written']);
const notAboutAPatient = new Set([
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'Location',
  'HealthcareService',
  'OperationsReport',
  'FollowupReport',
]);

/** The fields of an audit entry (as `/audit/events` lists it) the rule reads. */
export interface AuditedAccess {
  readonly event: string;
  readonly outcome: string;
  readonly entity?: { readonly kind: string } | undefined;
  readonly reason?: string | undefined;
}

/** Whether an entry is a successful read or write of a patient's data (so it must name the patient). */
export function isPhiAccess(e: AuditedAccess): boolean {
  if (e.event === 'phi.search' && /^[a-z]+:0$/.test(e.reason ?? '')) return false;
  return phiEvents.has(e.event) && e.outcome === 'success' && !notAboutAPatient.has(e.entity?.kind ?? '');
}

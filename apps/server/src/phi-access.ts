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
 * - a search that found nothing (its reason counts 0 results: `proposals:0`, `referrals:0`): it
 *   showed no patient's data, so there is nobody to name (a coordinator's empty review queue);
 * - the dashboards' figures (`OperationsReport`, `FollowupReport`): counts over a site, no
 *   patient's record shown; audited as searches all the same, naming nobody.
 */

/** The events of a person's (or the automation's) access to patient data. */
export const phiAccessEvents: ReadonlySet<string> = new Set([
  'phi.read',
  'phi.search',
  'phi.create',
  'phi.update',
  'phi.delete',
  'phi.export',
]);
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

/** `<results>:0`, the reason of a search that found nothing (searches audit `<results>:<count>`). */
const foundNothing = /^[a-z-]+:0$/;

/** Whether an entry is a successful read or write of a patient's data (so it must name the patient). */
export function isPhiAccess(e: AuditedAccess): boolean {
  return (
    phiEvents.has(e.event) &&
    e.outcome === 'success' &&
    !notAboutAPatient.has(e.entity?.kind ?? '') &&
    !(e.event === 'phi.search' && foundNothing.test(e.reason ?? ''))
  );
}

/**
 * @module Which role may do what. Deny by default: an action not listed for a role is refused.
 *
 * Least privilege: the admin administers (users, grants, keys, egress) but reads no PHI; the
 * compliance officer reads the audit trail and reviews break-glass use but reads no charts;
 * automation reads and proposes, and writes nothing without review.
 */
import type { Role } from '@steward/core';

export const actions = [
  'phi.read',
  'phi.search',
  'phi.write',
  'phi.export',
  'proposal.create',
  'review.read',
  'review.decide',
  'approval_policy.manage',
  'audit.read',
  'audit.export',
  'audit.verify',
  'break_glass.review',
  'users.manage',
  'grants.manage',
  'tokens.manage',
  'egress.manage',
  'config.manage',
  'keys.rotate',
  'ehr.ingest',
  'ehr.write',
  'message.send',
  'retention.manage',
  'retention.purge',
  'incident.manage',
  // The clinic's directory (practitioners, organizations, locations, services): not PHI.
  'directory.read',
  'directory.learn',
  // The clinic's staff (names, sites, pools, leads): not PHI. Every role reads names; the admin changes them.
  'staff.read',
  'staff.manage',
  // Screen automation (issue 17): run the executor; read the run record; replay a run's sealed
  // screenshots and values (PHI: also needs phi.read at the run's site).
  'automation.run',
  'automation.runs.read',
  'automation.replay',
  // Screen automation (issue 17): screen maps are proposed by an administrator and reviewed by a
  // second person (an administrator or the compliance officer); the automation account's EHR
  // credentials are set by an administrator and never read back by anyone.
  'automation.maps.propose',
  'automation.maps.review',
  'automation.credentials.manage',
  // The platform API (issue 18): receive Steward's events (webhooks, the stream) at a site.
  'events.subscribe',
  // The platform API (issue 18): call an AI provider through an egress destination (POST /ai/calls).
  'ai.call',
  // Intake documents (issue 19): see the queue; sort, match and reject documents; bring a file (an
  // upload, the EHR, a watched folder, a provider's webhook); set the site's intake policy and
  // webhook sources. What was read and the page images also need phi.read at the site.
  'intake.read',
  'intake.work',
  'intake.upload',
  'intake.manage',
] as const;
export type Action = (typeof actions)[number];

/** Actions that touch PHI: they are checked against a record's site and audited with its patient. */
export const phiActions: ReadonlySet<Action> = new Set(['phi.read', 'phi.search', 'phi.write', 'phi.export']);

/**
 * What break-glass access unlocks: reading and searching charts at one site, for a short time,
 * with the site's directory and staff names (not PHI) that a chart's referrals and follow-ups
 * are shown with. Never writing, exporting or deciding.
 */
export const breakGlassActions: ReadonlySet<Action> = new Set([
  'phi.read',
  'phi.search',
  'directory.read',
  'staff.read',
]);

export const rolePermissions: Readonly<Record<Role, ReadonlySet<Action>>> = {
  admin: new Set([
    'users.manage',
    'grants.manage',
    'tokens.manage',
    'egress.manage',
    'config.manage',
    'keys.rotate',
    'audit.verify',
    'directory.read',
    'staff.read',
    'staff.manage',
    // Which runs ran, for whom, how they ended: no screenshot, no value (admins read no PHI).
    'automation.runs.read',
    'automation.maps.propose',
    'automation.maps.review',
    'automation.credentials.manage',
    // Which document types are filed without a person, and the webhook sources (no PHI).
    'intake.manage',
  ]),
  // Sets which action types may be approved automatically, and by which role otherwise.
  compliance_officer: new Set([
    'audit.read',
    'audit.export',
    'audit.verify',
    'break_glass.review',
    'approval_policy.manage',
    // Retention periods and legal holds, running a purge, and incident response.
    'retention.manage',
    'retention.purge',
    'incident.manage',
    'directory.read',
    'staff.read',
    // The run record, and its replay where the officer also holds phi.read at the run's site.
    'automation.runs.read',
    'automation.replay',
    // A screen map decides where the automation types: a second pair of eyes from compliance.
    'automation.maps.review',
  ]),
  // Coordinators also export (a practice's contact graph, so its data is never locked in): audited, per site.
  coordinator: new Set([
    'phi.read',
    'phi.search',
    'phi.write',
    'phi.export',
    'proposal.create',
    'review.read',
    'review.decide',
    'directory.read',
    'staff.read',
    'intake.read',
    'intake.work',
    'intake.upload',
  ]),
  front_desk: new Set([
    'phi.read',
    'phi.search',
    'phi.write',
    'directory.read',
    'staff.read',
    'intake.read',
    'intake.work',
    'intake.upload',
  ]),
  clinician_reviewer: new Set([
    'phi.read',
    'phi.search',
    'review.read',
    'review.decide',
    'directory.read',
    'staff.read',
  ]),
  // Learns the directory from what the EHR names (the workflows' account reads the resources).
  // Intake's own account reads and routes what arrives (intake.upload) and drafts its filing proposals.
  automation: new Set([
    'phi.read',
    'phi.search',
    'proposal.create',
    'directory.read',
    'staff.read',
    'directory.learn',
    'intake.upload',
  ]),
  // An outside service: reads what its grant's purpose allows, hears events, drafts for review.
  // No review.*: an outside drafter never approves, edits or sees the queue (ADR 0017).
  // ai.call: a model provider only through an egress destination, de-identified without a BAA.
  agent: new Set([
    'phi.read',
    'phi.search',
    'proposal.create',
    'events.subscribe',
    'directory.read',
    'staff.read',
    'ai.call',
  ]),
  // Reads no chart through Steward: it only files what the EHR sends, applies approved writes,
  // sends approved messages, and runs the purge a compliance officer's retention policies decided.
  integration: new Set([
    'ehr.ingest',
    'ehr.write',
    // Brings documents the EHR sends (MDM, DocumentReference) into intake.
    'intake.upload',
    // Drives the EHR's screens (a write the review approved, a screen read into the journal).
    'automation.run',
    'message.send',
    'retention.purge',
    'directory.read',
    'staff.read',
    'directory.learn',
  ]),
};

export function roleAllows(role: Role, action: Action): boolean {
  return rolePermissions[role].has(action);
}

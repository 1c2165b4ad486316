/** @module Steward's own workflow packages, registered through the same catalog a deployment's are. */
import { followupRoute, followupWorkflow, followupWorkflowV1 } from '../followups/index.js';
import { createReferralRoute, referralWorkflow, referralWorkflowV1 } from '../referrals/index.js';
import { followupSettingsOf, referralCalendarOf } from './site-clocks.js';
import { defineWorkflowPackage, type WorkflowPackage } from './workflow-catalog.js';
import { handoffsPackage } from '../handoffs/handoff-package.js';

/** Referral tracking to loop closure; referral rules are read per request, so a site's change applies to the next message. */
export const referralsPackage = defineWorkflowPackage({
  name: 'referrals',
  // Version 1 stays registered: referrals started on it replay and run on it (its Task proposals).
  definitions: [referralWorkflow, referralWorkflowV1],
  routes: (host) => [
    createReferralRoute({
      siteOf: (id) => host.siteOf(id),
      rulesOf: (id) => host.referralRulesOf(id),
      // Due times in the site's business days, when the site has a record.
      calendarOf: referralCalendarOf(host),
      ...(host.networkOf !== undefined ? { networkOf: host.networkOf.bind(host) } : {}),
      // One referral whichever channel brings it: the same number of the same person at one site.
      ...(host.patientIdsOf !== undefined ? { patientIdsOf: host.patientIdsOf.bind(host) } : {}),
      ...(host.siteConnectionsOf !== undefined ? { siteConnectionsOf: host.siteConnectionsOf.bind(host) } : {}),
      ...(host.mirrorTasksOf !== undefined ? { mirrorTasksOf: host.mirrorTasksOf.bind(host) } : {}),
    }),
  ],
});

/** Recheck follow-ups: booking requests, reminders, rebooking and no-show outreach. */
export const followupsPackage = defineWorkflowPackage({
  name: 'followups',
  // Version 1 stays registered: follow-ups started on it replay and run on it.
  definitions: [followupWorkflow, followupWorkflowV1],
  // Reminders at the site's own 10:00 and quiet hours, when the site has a record.
  routes: (host) => [followupRoute({ siteOf: (id) => host.siteOf(id), settingsOf: followupSettingsOf(host) })],
});

export const builtinWorkflowPackages: readonly WorkflowPackage[] = [
  referralsPackage,
  followupsPackage,
  handoffsPackage,
];

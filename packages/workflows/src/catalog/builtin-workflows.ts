/** @module Steward's own workflow packages, registered through the same catalog a deployment's are. */
import { followupRoute, followupWorkflow } from '../followups/index.js';
import { createReferralRoute, referralWorkflow } from '../referrals/index.js';
import { defineWorkflowPackage, type WorkflowPackage } from './workflow-catalog.js';

/** Referral tracking to loop closure; referral rules are read per request, so a site's change applies to the next message. */
export const referralsPackage = defineWorkflowPackage({
  name: 'referrals',
  definitions: [referralWorkflow],
  routes: (host) => [
    createReferralRoute({
      siteOf: (id) => host.siteOf(id),
      rulesOf: (id) => host.referralRulesOf(id),
      ...(host.networkOf !== undefined ? { networkOf: host.networkOf.bind(host) } : {}),
    }),
  ],
});

/** Recheck follow-ups: booking requests, reminders, rebooking and no-show outreach. */
export const followupsPackage = defineWorkflowPackage({
  name: 'followups',
  definitions: [followupWorkflow],
  routes: (host) => [followupRoute({ siteOf: (id) => host.siteOf(id) })],
});

export const builtinWorkflowPackages: readonly WorkflowPackage[] = [referralsPackage, followupsPackage];

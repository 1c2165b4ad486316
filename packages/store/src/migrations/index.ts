/** @module Steward's schema, as ordered migrations. Append new ones; never edit one that shipped. */
import { sql as base } from './001-base.js';
import { sql as crypto } from './002-crypto.js';
import { sql as audit } from './003-audit.js';
import { sql as identity } from './004-identity.js';
import { sql as authorization } from './005-authorization.js';
import { sql as records } from './006-records.js';
import { sql as egress } from './007-egress.js';
import { sql as grantsToApp } from './008-grants-to-app.js';
import { sql as ehr } from './009-ehr.js';
import { sql as workflows } from './010-workflows.js';
import { sql as proposals } from './011-proposals.js';
import { sql as relationships } from './012-relationships.js';
import { sql as auditLockHead } from './013-audit-lock-head.js';
import { sql as workflowRouting } from './014-workflow-routing.js';
import { sql as messaging } from './015-messaging.js';
import { sql as referralRules } from './016-referral-rules.js';
import { sql as ehrInboundAttention } from './018-ehr-inbound-attention.js';
import { sql as patientMerges } from './020-patient-merges.js';
import { sql as proposalRetries } from './021-proposal-retries.js';
import { sql as appGrants } from './023-app-grants.js';
import { sql as loginThrottle } from './026-login-throttle.js';
import { sql as retention } from './028-retention.js';
import { sql as incidents } from './029-incidents.js';
import { sql as ehrEventsInboundIndex } from './030-ehr-events-inbound-index.js';
import { sql as clinicPatients } from './031-clinic-patients.js';
import { sql as ehrEventsPatient } from './032-ehr-events-patient.js';
import { sql as sites } from './034-sites.js';
import { sql as directory } from './037-directory.js';
import { sql as staff } from './038-staff.js';
import { sql as proposalRollbackReason } from './041-proposal-rollback-reason.js';
import { sql as automationRuns } from './042-automation-runs.js';
import { sql as automationScreenMaps } from './043-automation-screen-maps.js';
import { sql as automationCredentials } from './044-automation-credentials.js';
import { sql as grantActionTypes } from './045-grant-action-types.js';
import { sql as proposalOutsideDrafts } from './046-proposal-outside-drafts.js';
import { sql as eventsOut } from './047-events-out.js';
import { sql as eventsDeliveryHeads } from './048-events-delivery-heads.js';
import { sql as smartBackendClients } from './050-smart-backend-clients.js';
import { sql as patientContactLinks } from './051-patient-contact-links.js';
import { sql as intake } from './052-intake.js';
import { sql as automationScreenshotType } from './053-automation-screenshot-type.js';
import { sql as proposalWriteClaim } from './054-proposal-write-claim.js';
import { sql as handoffs } from './055-handoffs.js';
import { sql as onCallRotas } from './056-on-call-rotas.js';
import { sql as intakeReadingQueue } from './057-intake-reading-queue.js';
import { sql as handoffRaisers } from './060-handoff-raisers.js';
import { sql as intakeReferralLinks } from './064-intake-referral-links.js';
import { sql as intakeFilingStatus } from './065-intake-filing-status.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  { version: 1, name: 'base', sql: base },
  { version: 2, name: 'crypto', sql: crypto },
  { version: 3, name: 'audit', sql: audit },
  { version: 4, name: 'identity', sql: identity },
  { version: 5, name: 'authorization', sql: authorization },
  { version: 6, name: 'records', sql: records },
  { version: 7, name: 'egress', sql: egress },
  { version: 8, name: 'grants-to-app', sql: grantsToApp },
  { version: 9, name: 'ehr', sql: ehr },
  { version: 10, name: 'workflows', sql: workflows },
  { version: 11, name: 'proposals', sql: proposals },
  { version: 12, name: 'relationships', sql: relationships },
  { version: 13, name: 'audit-lock-head', sql: auditLockHead },
  { version: 14, name: 'workflow-routing', sql: workflowRouting },
  { version: 15, name: 'messaging', sql: messaging },
  { version: 16, name: 'referral-rules', sql: referralRules },
  { version: 18, name: 'ehr-inbound-attention', sql: ehrInboundAttention },
  { version: 20, name: 'patient-merges', sql: patientMerges },
  { version: 21, name: 'proposal-retries', sql: proposalRetries },
  { version: 23, name: 'app-grants', sql: appGrants },
  { version: 26, name: 'login-throttle', sql: loginThrottle },
  { version: 28, name: 'retention', sql: retention },
  { version: 29, name: 'incidents', sql: incidents },
  { version: 30, name: 'ehr-events-inbound-index', sql: ehrEventsInboundIndex },
  { version: 31, name: 'clinic-patients', sql: clinicPatients },
  { version: 32, name: 'ehr-events-patient', sql: ehrEventsPatient },
  { version: 34, name: 'sites', sql: sites },
  { version: 37, name: 'directory', sql: directory },
  { version: 38, name: 'staff', sql: staff },
  { version: 41, name: 'proposal-rollback-reason', sql: proposalRollbackReason },
  { version: 42, name: 'automation-runs', sql: automationRuns },
  { version: 43, name: 'automation-screen-maps', sql: automationScreenMaps },
  { version: 44, name: 'automation-credentials', sql: automationCredentials },
  { version: 45, name: 'grant-action-types', sql: grantActionTypes },
  { version: 46, name: 'proposal-outside-drafts', sql: proposalOutsideDrafts },
  { version: 47, name: 'events-out', sql: eventsOut },
  { version: 48, name: 'events-delivery-heads', sql: eventsDeliveryHeads },
  { version: 50, name: 'smart-backend-clients', sql: smartBackendClients },
  { version: 51, name: 'patient-contact-links', sql: patientContactLinks },
  { version: 52, name: 'intake', sql: intake },
  { version: 53, name: 'automation-screenshot-type', sql: automationScreenshotType },
  { version: 54, name: 'proposal-write-claim', sql: proposalWriteClaim },
  { version: 55, name: 'handoffs', sql: handoffs },
  { version: 56, name: 'on-call-rotas', sql: onCallRotas },
  { version: 57, name: 'intake-reading-queue', sql: intakeReadingQueue },
  { version: 60, name: 'handoff-raisers', sql: handoffRaisers },
  { version: 64, name: 'intake-referral-links', sql: intakeReferralLinks },
  { version: 65, name: 'intake-filing-status', sql: intakeFilingStatus },
];

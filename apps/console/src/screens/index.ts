/** @module The screens, in navigation order, each with the permissions that show it. */
import { lazy, type ComponentType } from 'react';
import { ReviewScreen } from './review/review-screen.js';
import { ReferralBoard } from './referrals/referral-board.js';
import { FollowupsScreen } from './followups/followups-screen.js';
import { AuditScreen } from './audit/audit-screen.js';

export interface ScreenProps {
  /** Route segments after the screen's own (`#/review/<id>` gives `[id]`). */
  readonly params: readonly string[];
}

export interface ScreenDef {
  readonly path: string;
  readonly title: string;
  /** Shown when the grants allow any of these somewhere. */
  readonly permissions: readonly string[];
  readonly component: ComponentType<ScreenProps>;
  /** false: reached by links only (a patient's page), not listed in the navigation. */
  readonly nav?: boolean;
}

/**
 * A screen loaded when first opened, in its own chunk: for screens heavy enough to weigh on every
 * sign-in (the dashboards carry Recharts, ~60 % of the bundle). `App` renders screens in Suspense.
 */
function lazyScreen<K extends string>(
  load: () => Promise<Record<K, ComponentType<ScreenProps>>>,
  name: K,
): ComponentType<ScreenProps> {
  return lazy<ComponentType<ScreenProps>>(async () => ({ default: (await load())[name] }));
}

const DashboardsScreen = lazyScreen(() => import('./dashboards/dashboards-screen.js'), 'DashboardsScreen');
// Screens most sign-ins never open (administration, contacts, break-glass review) load on first use too.
const PoliciesScreen = lazyScreen(() => import('./admin/policies-screen.js'), 'PoliciesScreen');
const SitesScreen = lazyScreen(() => import('./admin/sites-screen.js'), 'SitesScreen');
const ConnectionsScreen = lazyScreen(() => import('./admin/connections-screen.js'), 'ConnectionsScreen');
const UsersScreen = lazyScreen(() => import('./admin/users-screen.js'), 'UsersScreen');
const ContactsScreen = lazyScreen(() => import('./contacts/contacts-screen.js'), 'ContactsScreen');
const ComplianceScreen = lazyScreen(() => import('./compliance/compliance-screen.js'), 'ComplianceScreen');
const AutomationScreen = lazyScreen(() => import('./automation/automation-screen.js'), 'AutomationScreen');
const ScreenMapsScreen = lazyScreen(() => import('./admin/screen-maps-screen.js'), 'ScreenMapsScreen');
// A patient's page is opened from a link on a card or row, not at sign-in.
const PatientScreen = lazyScreen(() => import('./patients/patient-page.js'), 'PatientScreen');
// Intake (the queue and a document beside its page images) is a desk's screen, not every sign-in's.
const IntakeScreen = lazyScreen(() => import('./intake/intake-screen.js'), 'IntakeScreen');
// My work (handoffs to the caller and their pools' queues) loads when opened.
const WorkScreen = lazyScreen(() => import('./work/work-screen.js'), 'WorkScreen');

export const screens: readonly ScreenDef[] = [
  { path: 'review', title: 'Review queue', permissions: ['review.read'], component: ReviewScreen },
  { path: 'referrals', title: 'Referrals', permissions: ['phi.search'], component: ReferralBoard },
  { path: 'followups', title: 'Follow-ups', permissions: ['phi.search'], component: FollowupsScreen },
  { path: 'work', title: 'My work', permissions: ['handoff.read', 'handoff.work'], component: WorkScreen },
  { path: 'intake', title: 'Intake', permissions: ['intake.read'], component: IntakeScreen },
  { path: 'contacts', title: 'Contacts', permissions: ['phi.search'], component: ContactsScreen },
  { path: 'dashboards', title: 'Operations', permissions: ['phi.search', 'review.read'], component: DashboardsScreen },
  { path: 'audit', title: 'Audit', permissions: ['audit.read'], component: AuditScreen },
  // Administration: each shown with the permission its API checks.
  { path: 'policies', title: 'Approval policies', permissions: ['approval_policy.manage'], component: PoliciesScreen },
  { path: 'sites', title: 'Sites', permissions: ['config.manage'], component: SitesScreen },
  { path: 'connections', title: 'EHR connections', permissions: ['config.manage'], component: ConnectionsScreen },
  {
    path: 'screen-maps',
    title: 'Screen maps',
    permissions: ['automation.maps.propose', 'automation.maps.review'],
    component: ScreenMapsScreen,
  },
  {
    path: 'users',
    title: 'Users and access',
    permissions: ['users.manage', 'grants.manage', 'tokens.manage'],
    component: UsersScreen,
  },
  { path: 'patients', title: 'Patient', permissions: ['phi.search'], component: PatientScreen, nav: false },
  { path: 'compliance', title: 'Break-glass review', permissions: ['break_glass.review'], component: ComplianceScreen },
  { path: 'automation', title: 'Automation runs', permissions: ['automation.runs.read'], component: AutomationScreen },
];

/** @module The screens, in navigation order, each with the permissions that show it. */
import type { ComponentType } from 'react';
import { ReviewScreen } from './review/review-screen.js';
import { ReferralBoard } from './referrals/referral-board.js';
import { FollowupsScreen } from './followups/followups-screen.js';
import { AuditScreen } from './audit/audit-screen.js';
import { DashboardsScreen } from './dashboards/dashboards-screen.js';
import { ComplianceScreen } from './compliance/compliance-screen.js';

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
}

export const screens: readonly ScreenDef[] = [
  { path: 'review', title: 'Review queue', permissions: ['review.read'], component: ReviewScreen },
  { path: 'referrals', title: 'Referrals', permissions: ['phi.search'], component: ReferralBoard },
  { path: 'followups', title: 'Follow-ups', permissions: ['phi.search'], component: FollowupsScreen },
  { path: 'dashboards', title: 'Operations', permissions: ['phi.search', 'review.read'], component: DashboardsScreen },
  { path: 'audit', title: 'Audit', permissions: ['audit.read'], component: AuditScreen },
  { path: 'compliance', title: 'Break-glass review', permissions: ['break_glass.review'], component: ComplianceScreen },
];

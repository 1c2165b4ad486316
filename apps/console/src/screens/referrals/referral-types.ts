/** @module The referral shapes the board reads (GET /referrals, /referrals/:id, /reports/referrals). */

export const referralStages = ['sent', 'received', 'accepted', 'scheduled', 'attended', 'reported', 'closed'] as const;
export type ReferralStage = (typeof referralStages)[number];

export const leakReasons = ['never-scheduled', 'out-of-network', 'cancelled'] as const;
export type LeakReason = (typeof leakReasons)[number];

export interface ReferralItem {
  readonly workflowId: string;
  readonly correlationKey: string;
  readonly status: 'running' | 'completed' | 'failed';
  readonly site: string | null;
  readonly serviceRequest: string | null;
  readonly stage: ReferralStage;
  readonly stageEnteredAt: string | null;
  readonly awaiting: ReferralStage | null;
  readonly dueAt: string | null;
  readonly overdue: ReferralStage | null;
  readonly escalated: boolean;
  readonly leaked: LeakReason | null;
  readonly owner: string | null;
  readonly appointment: string | null;
  readonly proposalIds: readonly string[];
  /** The referral rule that made this request a referral (absent on older referrals). */
  readonly recognisedBy?: { readonly rule: string; readonly origin: string; readonly description: string } | null;
  /** How tracking ended: closed by what, or ended early and why (a coded reason). */
  readonly ending?: { readonly how: string; readonly by: string | null; readonly detail: string | null } | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ReferralPage {
  readonly items: readonly ReferralItem[];
  readonly next?: string;
}

export interface ReferralHistoryEntry {
  readonly step: number;
  readonly at: string;
  readonly input: 'start' | 'signal' | 'timer' | 'effect';
  readonly name: string;
  readonly eventId: string | null;
  readonly eventType: string | null;
  readonly occurredAt: string | null;
  readonly status: string | null;
  readonly resource: string | null;
  readonly tag: string | null;
  readonly proposalId: string | null;
}

export interface ReferralStageChange {
  readonly stage: ReferralStage;
  readonly at: string;
  readonly change: 'entered' | 'back' | 'ended';
  readonly eventId: string | null;
  readonly eventType: string | null;
  readonly resource: string | null;
}

export interface ReferralDetail extends ReferralItem {
  readonly priority: string | null;
  readonly due: Readonly<Record<string, string>>;
  readonly performers: readonly { readonly kind: string; readonly ref: string | null }[];
  readonly performerInNetwork: boolean | null;
  readonly appointmentStart: string | null;
  readonly appointmentInNetwork: boolean | null;
  readonly requestCompleted: boolean;
  readonly missedAppointments: number;
  readonly endedAt: string | null;
  readonly proposals: readonly {
    readonly tag: string;
    readonly stage: string;
    readonly action: string;
    readonly proposalId: string | null;
    readonly status: string | null;
  }[];
  readonly stages: readonly ReferralStageChange[];
  readonly history: readonly ReferralHistoryEntry[];
}

export interface ReferralFigures {
  readonly total: number;
  readonly byStage: Readonly<Record<ReferralStage, number>>;
  readonly overdue: number;
  readonly escalated: number;
  readonly leakage: {
    readonly count: number;
    readonly rate: number | null;
    readonly byReason: Readonly<Record<LeakReason, { readonly count: number; readonly rate: number | null }>>;
  };
}

export const leakLabels: Readonly<Record<LeakReason, string>> = {
  'never-scheduled': 'Never scheduled',
  'out-of-network': 'Scheduled out of network',
  cancelled: 'Cancelled',
};

export const stageLabels: Readonly<Record<ReferralStage, string>> = {
  sent: 'Sent',
  received: 'Received',
  accepted: 'Accepted',
  scheduled: 'Scheduled',
  attended: 'Attended',
  reported: 'Reported',
  closed: 'Closed',
};

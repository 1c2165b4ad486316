/** @module The follow-up shapes the screen reads (GET /followups, /followups/:id/timeline). */

export const followupStages = ['awaiting-booking', 'booked', 'rebooking', 'no-show', 'fulfilled', 'closed'] as const;

export interface FollowupItem {
  readonly id: string;
  readonly correlationKey: string;
  readonly status: string;
  readonly site: string | null;
  readonly orderRef: string;
  readonly stage: string;
  readonly stageAt: string | null;
  readonly window: { readonly start: string; readonly end: string } | null;
  readonly appointmentRef: string | null;
  readonly appointmentStart: string | null;
  readonly nextReminderAt: string | null;
  readonly confirmation: string | null;
  readonly overdue: boolean;
  readonly optedOut: boolean;
  readonly counts: Readonly<Record<string, number>>;
  readonly proposals: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface FollowupStep {
  readonly step: number;
  readonly at: string;
  readonly input: 'start' | 'signal' | 'timer' | 'effect';
  readonly name: string;
  readonly eventId: string | null;
  readonly eventType: string | null;
  readonly occurredAt: string | null;
  readonly status: string | null;
  readonly resource: string | null;
  readonly intent: string | null;
  readonly messageId: string | null;
  readonly tag: string | null;
  readonly proposalId: string | null;
}

export interface TimelineMessage {
  readonly id: string;
  readonly channel: string;
  readonly status: string;
  readonly proposalId: string | null;
  readonly notBefore: string;
  readonly createdAt: string;
  readonly template: string;
  readonly language: string;
  readonly subject?: string;
  readonly body?: string;
}

export interface FollowupTimeline {
  readonly followup: FollowupItem;
  readonly asOf: string;
  readonly reminders: readonly {
    readonly name: string;
    readonly offsetDays: number;
    readonly dueAt: string;
    readonly status: 'scheduled' | 'due' | 'cancelled';
  }[];
  readonly proposals: readonly { readonly tag: string; readonly proposalId: string | null; readonly status: string }[];
  readonly messages: readonly TimelineMessage[];
  readonly replies: readonly { readonly at: string; readonly intent: string; readonly messageId: string | null }[];
  readonly history: readonly FollowupStep[];
}

export const stageLabels: Readonly<Record<string, string>> = {
  new: 'New',
  'awaiting-booking': 'Awaiting booking',
  booked: 'Booked',
  rebooking: 'Rebooking',
  'no-show': 'No-show',
  fulfilled: 'Fulfilled',
  closed: 'Closed',
};

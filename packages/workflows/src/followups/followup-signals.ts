/**
 * @module What a follow-up receives, declared once: its start (from the route), the appointment and
 * order signals (from the route), and a patient's reply (from messaging's inbound). The route and
 * the workflow both import these, so the shapes cannot drift, and a payload read back from the
 * database is checked before `decide` uses it.
 */
import { s, type Infer } from '@steward/core';
import { defineSignal, defineStart } from '../engine/index.js';
import { proposalOutcome } from '../effects/index.js';
import { participantNote } from '../referrals/referral-model.js';

/** An event as the workflow cites it (references only): the route's `eventRef`. */
const eventRefSchema = s.object({
  eventId: s.string(),
  type: s.string(),
  connectionId: s.string(),
  occurredAt: s.string(),
  sourceRef: s.string(),
});

const quietHours = s.object({ start: s.string(), end: s.string() });

/** Per-clinic settings, fixed into a workflow's state when it starts (so replay sees the same). */
const settingsSchema = s.object({
  /** Whole days before the appointment. */
  offsetsDays: s.array(s.number()),
  /** `HH:mm` in `zone`. */
  sendAt: s.string(),
  zone: s.string(),
  quiet: s.nullable(quietHours),
  /** Without an occurrence on the order: days from the order to the recheck. */
  defaultRecheckDays: s.number(),
  /** Days after the recheck date the booking may still happen before it is overdue. */
  graceDays: s.number(),
});
export type FollowupSettings = Infer<typeof settingsSchema>;

/** What the route starts a follow-up with: references, codes and times only. */
export const followupStart = defineStart(
  'followup',
  s.object({
    event: eventRefSchema,
    /** `ServiceRequest/123` or `Task/9`. */
    orderRef: s.string(),
    /** What the order asks for, as it names it (`Cardiology recheck`): a label, not clinical detail. */
    service: s.nullable(s.string()).optional(),
    site: s.nullable(s.string()),
    /** Who ordered the recheck (the ServiceRequest's requester), named later by the directory. */
    requester: s.nullable(participantNote).optional(),
    occurrence: s.nullable(s.object({ start: s.string().optional(), end: s.string().optional() })),
    settings: settingsSchema,
  }),
);
export type FollowupStart = Infer<typeof followupStart.payload>;

/** An appointment event, as the route signals it. */
export const appointmentSignal = defineSignal(
  'appointment',
  s.object({ event: eventRefSchema, appointmentRef: s.string(), status: s.string(), start: s.nullable(s.string()) }),
);
export type AppointmentSignal = Infer<typeof appointmentSignal.payload>;

/** The order changed to a status that is no longer open (completed, revoked, cancelled…). */
export const orderSignal = defineSignal('order', s.object({ event: eventRefSchema, status: s.string() }));
export type OrderSignal = Infer<typeof orderSignal.payload>;

/** A patient's reply, classified by the messaging inbound. */
export const replySignal = defineSignal(
  'reply',
  s.object({
    intent: s.literal('confirm', 'cancel', 'reschedule'),
    at: s.string(),
    messageId: s.string().optional(),
  }),
);
export type ReplySignal = Infer<typeof replySignal.payload>;

/**
 * Every signal a follow-up receives, by its declared name: the timeline names which one a step is,
 * so the API's contract (and the console's generated types) list exactly these, from one place.
 */
export const followupSignalNames = [
  appointmentSignal.name,
  orderSignal.name,
  replySignal.name,
  proposalOutcome.name,
] as const;
export type FollowupSignalName = (typeof followupSignalNames)[number];

/** @module Recheck follow-ups' shapes: list items, figures, and one follow-up's timeline. */
import { Type, type Static } from 'typebox';
import { followupSignalNames, followupStages } from '@steward/workflows';
import { ParticipantView } from './directory.js';
import { ReportSource } from './operations.js';
import { List, Maybe, Nullable, PatientLabel, QueryFlag, SiteCode, Strict, Uuid } from './common.js';

const NullableString = Nullable(Type.String());
const NullableNumber = Nullable(Type.Number());
const isoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}(T[0-9:.]+(Z|[+-]\\d{2}:\\d{2}))?$' });

export const FollowupItem = Type.Object({
  id: Type.String(),
  correlationKey: Type.String(),
  status: Type.String(),
  site: NullableString,
  connectionId: Type.String(),
  orderRef: Type.String(),
  /** What the order asks for, as it named it (`Cardiology recheck`); null when it named nothing. */
  service: NullableString,
  /** The patient as the reader may see it (name, birth date by role); absent when not resolved. */
  patientLabel: Maybe(PatientLabel),
  /**
   * Who answers for the recheck (the order's requester), named by the clinic directory, or its raw
   * reference when the directory cannot name it; null when the EHR recorded no requester.
   */
  owner: Nullable(ParticipantView),
  stage: Type.String(),
  stageAt: NullableString,
  window: Nullable(Type.Object({ start: Type.String(), end: Type.String() })),
  appointmentRef: NullableString,
  appointmentStart: NullableString,
  nextReminderAt: NullableString,
  confirmation: NullableString,
  overdue: Type.Boolean(),
  optedOut: Type.Boolean(),
  counts: Type.Unsafe<Readonly<Record<string, number>>>(Type.Object({}, { additionalProperties: Type.Integer() })),
  proposals: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const FollowupPage = Type.Object({ items: List(FollowupItem), next: Maybe(Type.String()) });

export const FollowupFigures = Type.Object({
  site: NullableString,
  since: NullableString,
  total: Type.Integer(),
  open: Type.Integer(),
  byStage: List(
    Type.Object({
      stage: Type.String(),
      open: Type.Integer(),
      finished: Type.Integer(),
      /** Of the open ones: mean and longest time in this stage so far, in hours. */
      meanHoursInStage: NullableNumber,
      maxHoursInStage: NullableNumber,
    }),
  ),
  overdue: Type.Integer(),
  booked: Type.Integer(),
  noShows: Type.Integer(),
  cancellations: Type.Integer(),
  /** No-shows per booked appointment (null with none booked). */
  noShowRate: NullableNumber,
  /** Of finished follow-ups, the share fulfilled (null with none finished). */
  fulfilledRate: NullableNumber,
  remindersProposed: Type.Integer(),
  optedOut: Type.Integer(),
  source: ReportSource,
});

/** One input of a follow-up's history, as codes, references and times. */
export const FollowupStep = Type.Object({
  step: Type.Integer(),
  at: Type.String(),
  input: Type.Enum(['start', 'signal', 'timer', 'effect']),
  /** Signal, timer or effect name (`appointment`, `reply`, `reminder-1-7d`, `proposal.draft`). */
  name: Type.String(),
  /** Which of the follow-up's signals this step is, by the signals' declared names; null for other inputs. */
  signal: Nullable(Type.Enum(followupSignalNames)),
  eventId: NullableString,
  eventType: NullableString,
  /** The EHR's time of the event, a reply's time, or a timer's due time. */
  occurredAt: NullableString,
  status: NullableString,
  resource: NullableString,
  /** An appointment signal's start: the appointment's time as the EHR said then. */
  start: NullableString,
  /** A reply's intent (confirm, cancel, reschedule). */
  intent: NullableString,
  messageId: NullableString,
  tag: NullableString,
  proposalId: NullableString,
  /** An effect's proposal replaced by an edit: the latest revision, whose state `status` is. */
  revisedTo: NullableString,
});
export type FollowupStep = Static<typeof FollowupStep>;

export const FollowupTimeline = Type.Object({
  followup: FollowupItem,
  /** The server's time, to tell past from upcoming. */
  asOf: Type.String(),
  reminders: List(
    Type.Object({
      name: Type.String(),
      offsetDays: Type.Number(),
      dueAt: Type.String(),
      status: Type.Enum(['scheduled', 'due', 'cancelled']),
    }),
  ),
  /** Each proposal drafted, with where it stands now (an edited one: its latest revision's state). */
  proposals: List(
    Type.Object({ tag: Type.String(), proposalId: NullableString, status: Type.String(), revisedTo: NullableString }),
  ),
  messages: List(
    Type.Object({
      id: Type.String(),
      channel: Type.String(),
      status: Type.String(),
      proposalId: NullableString,
      notBefore: Type.String(),
      createdAt: Type.String(),
      template: Type.String(),
      language: Type.String(),
      subject: Maybe(Type.String()),
      body: Maybe(Type.String()),
    }),
  ),
  replies: List(Type.Object({ at: Type.String(), intent: Type.String(), messageId: NullableString })),
  history: List(FollowupStep),
});
export type FollowupTimeline = Static<typeof FollowupTimeline>;

export const FollowupQuery = Strict({
  site: SiteCode,
  stage: Type.Optional(Type.Enum(followupStages)),
  overdue: Type.Optional(QueryFlag),
  status: Type.Optional(Type.Enum(['running', 'completed', 'failed'])),
  after: Type.Optional(Uuid),
  limit: Type.Optional(Type.String({ pattern: '^[1-9]\\d{0,2}$', description: '1-500, default 50' })),
});
export const FollowupFiguresQuery = Strict({ site: SiteCode, since: Type.Optional(isoDate) });
export const TimelineQuery = Strict({
  bodies: Type.Optional(Type.Enum(['true', 'false'], { description: "true: include the messages' text" })),
});

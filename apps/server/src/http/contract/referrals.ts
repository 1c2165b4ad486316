/** @module The referral worklist's shapes: list items, one referral in detail, the figures. */
import { Type, type Static } from 'typebox';
import { leakReasons, referralStages } from '@steward/workflows';
import { List, Maybe, Nullable, PatientLabel, PerKey, SiteCode, Strict, Uuid } from './common.js';
import { ParticipantView } from './directory.js';
import { ReportSource } from './operations.js';

export const ReferralStage = Type.Enum(referralStages);
export const LeakReason = Type.Enum(leakReasons);
const NullableString = Nullable(Type.String());

export const ReferralListItem = Type.Object({
  workflowId: Type.String(),
  correlationKey: Type.String(),
  status: Type.Enum(['running', 'completed', 'failed']),
  site: NullableString,
  connectionId: NullableString,
  serviceRequest: NullableString,
  /** What is asked for, as the order named it (`Cardiology consult`); null when it named nothing. */
  service: NullableString,
  stage: ReferralStage,
  stageEnteredAt: NullableString,
  awaiting: Nullable(ReferralStage),
  dueAt: NullableString,
  overdue: Nullable(ReferralStage),
  escalated: Type.Boolean(),
  leaked: Nullable(LeakReason),
  owner: NullableString,
  /** The patient as the reader may see it (name, birth date by role); absent when not resolved. */
  patientLabel: Maybe(PatientLabel),
  // Who asked and where to, named by the clinic directory (or the raw reference, unresolved).
  requester: Nullable(ParticipantView),
  destination: Nullable(ParticipantView),
  appointment: NullableString,
  proposalIds: List(Type.String()),
  // Why it is tracked (the referral rule that matched) and how it ended (closed by what, or why not).
  recognisedBy: Nullable(Type.Object({ rule: Type.String(), origin: Type.String(), description: Type.String() })),
  ending: Nullable(Type.Object({ how: Type.String(), by: NullableString, detail: NullableString })),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const ReferralStageChange = Type.Object({
  stage: ReferralStage,
  at: Type.String(),
  /** entered: a new stage; back: a missed or cancelled appointment; ended: cancelled in this stage. */
  change: Type.Enum(['entered', 'back', 'ended']),
  eventId: NullableString,
  eventType: NullableString,
  resource: NullableString,
});
export type ReferralStageChange = Static<typeof ReferralStageChange>;

/** One step of a referral's workflow history, as codes, references and times. */
export const ReferralHistoryEntry = Type.Object({
  step: Type.Integer(),
  /** When the engine decided the step. */
  at: Type.String(),
  input: Type.Enum(['start', 'signal', 'timer', 'effect']),
  /** The signal, timer or effect name (`task`, `due:received`, `proposal.draft`). */
  name: Type.String(),
  eventId: NullableString,
  eventType: NullableString,
  /** The EHR's time of the event, or a timer's due time. */
  occurredAt: NullableString,
  status: NullableString,
  /** The resource the input is about (`ServiceRequest/…`, `Appointment/…`). */
  resource: NullableString,
  tag: NullableString,
  proposalId: NullableString,
});
export type ReferralHistoryEntry = Static<typeof ReferralHistoryEntry>;

const NullableBoolean = Nullable(Type.Boolean());
export const ReferralDetail = Type.Object({
  ...ReferralListItem.properties,
  priority: NullableString,
  due: Type.Unsafe<Readonly<Record<string, string>>>(Type.Object({}, { additionalProperties: Type.String() })),
  performers: List(Type.Object({ kind: Type.String(), ref: NullableString })),
  performerInNetwork: NullableBoolean,
  appointmentStart: NullableString,
  appointmentInNetwork: NullableBoolean,
  requestCompleted: Type.Boolean(),
  missedAppointments: Type.Integer(),
  endedAt: NullableString,
  proposals: List(
    Type.Object({
      tag: Type.String(),
      stage: Type.String(),
      action: Type.String(),
      proposalId: NullableString,
      /** Where it stands now (an edited one: its latest revision's state). */
      status: NullableString,
      revisedTo: NullableString,
    }),
  ),
  stages: List(ReferralStageChange),
  history: List(ReferralHistoryEntry),
});
export type ReferralDetail = Static<typeof ReferralDetail>;

const NullableNumber = Nullable(Type.Number());
export const ReferralFigures = Type.Object({
  site: NullableString,
  since: NullableString,
  total: Type.Integer(),
  byStage: PerKey(referralStages, Type.Integer()),
  timeInStage: PerKey(
    referralStages,
    Type.Object({ count: Type.Integer(), medianHours: NullableNumber, p90Hours: NullableNumber }),
  ),
  overdue: Type.Integer(),
  escalated: Type.Integer(),
  closed: Type.Integer(),
  closureRate: NullableNumber,
  leakage: Type.Object({
    count: Type.Integer(),
    rate: NullableNumber,
    byReason: PerKey(leakReasons, Type.Object({ count: Type.Integer(), rate: NullableNumber })),
  }),
  source: ReportSource,
});

export const ReferralQuery = Strict({
  site: Type.Optional(SiteCode),
  stage: Type.Optional(ReferralStage),
  overdue: Type.Optional(Type.Enum(['true', 'false'])),
  leaked: Type.Optional(
    Type.Enum(['true', 'false', ...leakReasons], {
      description: 'true: leaked for any reason; false: not leaked; or one reason',
    }),
  ),
  cursor: Type.Optional(Type.String({ maxLength: 300, pattern: '^[A-Za-z0-9_-]+$' })),
  limit: Type.Optional(Type.String({ pattern: '^[1-9]\\d{0,2}$', description: '1-200, default 50' })),
});
export const ReferralPage = Type.Object({ items: List(ReferralListItem), next: Maybe(Type.String()) });

export const FiguresQuery = Strict({
  site: Type.Optional(SiteCode),
  since: Type.Optional(Type.String({ format: 'date-time', description: 'ISO 8601 instant with offset' })),
});
export const WorkflowIdParams = Strict({ workflowId: Uuid });

/**
 * @module The referral workflow's vocabulary: stages (after the HL7 FHIR referral Task states),
 * the state kept in `workflow_instances.state` (references, codes and times only: lists and
 * reports read it unsealed), the signal payloads the route sends, the timing options and the
 * network rule.
 */
import { s, type Infer, type ParticipantRef } from '@steward/core';
import { defineSignal, defineStart, toJson, type Json } from '../engine/index.js';

export const REFERRAL_WORKFLOW = 'referral';

/**
 * The loop, in order. `sent` ≈ Task requested, `received`/`accepted` as the Task says, `scheduled`
 * an appointment based on the referral is booked, `attended` the visit happened (check-in,
 * fulfilled, encounter), `reported` the consult note or a result came back, `closed` as the
 * closed-loop referral IGs (SDOH-CC, BSeR, IHE 360X) have it: the Task is completed with an output
 * (a Procedure, DiagnosticReport, Encounter, DocumentReference or Observation), or the report is
 * back and the request is completed (Task or ServiceRequest `completed`).
 */
export const referralStages = ['sent', 'received', 'accepted', 'scheduled', 'attended', 'reported', 'closed'] as const;
export type ReferralStage = (typeof referralStages)[number];

export const leakReasons = ['never-scheduled', 'out-of-network', 'cancelled'] as const;
export type LeakReason = (typeof leakReasons)[number];

export function stageIndex(s: ReferralStage): number {
  return referralStages.indexOf(s);
}

export function isReferralStage(v: string): v is ReferralStage {
  return (referralStages as readonly string[]).includes(v);
}

/**
 * A participant as a signal carries it: its EHR reference (if any) and its identifiers' systems.
 * With the directory wired in (the server), also its first identifier (`system|value`: a
 * practitioner's or practice's, never a patient's) so an HL7-only participant can be named, and
 * whether the directory puts it in or out of the clinic's network (null: the directory cannot say).
 */
export type ParticipantNote = {
  kind: string;
  ref: string | null;
  systems: string[];
  identifier?: string | null;
  network?: 'in' | 'out' | null;
};

export type StageEntry = { stage: ReferralStage; at: string; eventId: string | null };

export type ProposalNote = {
  tag: string;
  stage: ReferralStage;
  action: string;
  proposalId: string | null;
  status: string | null;
};

/** The referral rule that started the workflow: why this request is tracked as a referral. */
export type Recognition = { rule: string; origin: string; description: string };

/** How the loop ended: closed by what, or ended early by whom and why (a coded reason only). */
export type ReferralEnding = {
  /** `task-output`, `report-and-completion`, or the ending status (`rejected`, `cancelled`, `failed`, `revoked` …). */
  how: string;
  /** `task` or `request` for an early end; the closing output's type otherwise. */
  by: string | null;
  /** The closing output (`Procedure/1`) or the coded status reason (`system|code`). */
  detail: string | null;
};

export type ReferralState = {
  site: string | null;
  connectionId: string | null;
  serviceRequest: string | null;
  /** What is asked for, as the order names it (absent in workflows started before it was kept). */
  service?: string | null;
  /** The event whose patient proposals are for (the referral's first event). */
  patientEventId: string | null;
  priority: string | null;
  stage: ReferralStage;
  stageEnteredAt: string | null;
  /** The next stage expected, and when it is due (null once closed or cancelled). */
  awaiting: ReferralStage | null;
  dueAt: string | null;
  /** When each awaited stage was (or is) due. */
  due: { [stage: string]: string };
  history: StageEntry[];
  /** Requester reference (`Practitioner/…`), who gets the overdue Task. */
  owner: string | null;
  /** The requester as a participant (absent in workflows started before it was kept). */
  requester?: ParticipantNote | null;
  performers: ParticipantNote[];
  performerInNetwork: boolean | null;
  appointment: string | null;
  appointmentStart: string | null;
  appointmentInNetwork: boolean | null;
  /** Task or ServiceRequest completed: closes the loop together with the report. */
  requestCompleted: boolean;
  overdue: ReferralStage | null;
  escalated: boolean;
  leaked: LeakReason | null;
  missedAppointments: number;
  proposals: ProposalNote[];
  /** Every event id applied, so a start and a signal of the same event count once. */
  eventIds: string[];
  endedAt: string | null;
  /** Which rule made this a referral (absent in workflows started before rules were recorded). */
  recognisedBy?: Recognition | null;
  ending?: ReferralEnding | null;
  /**
   * The site's business calendar the referral was started with (absent or null: the site had no
   * record, and due times count calendar days as before sites existed).
   */
  calendar?: ReferralCalendar | null;
  /**
   * Version 2: the handoffs an overdue stage raised (issue 19), with their keys (what closes them) and
   * the FHIR Task mirror drafted for each (absent in referrals started on version 1).
   */
  handoffs?: HandoffNote[];
  /** Version 2: mirror each handoff to the EHR as a FHIR Task (through proposals); fixed at the start. */
  mirrorTasks?: boolean;
  /** Filed referral letters (intake document ids) recorded as evidence (version 2). */
  letters?: string[];
};

/** A handoff a referral raised: its key, the stage it chases, and where it stands as the workflow knows. */
export type HandoffNote = {
  key: string;
  stage: ReferralStage;
  handoffId: string | null;
  /** Whom it went to (`user`, `pool`, `role` and the reference) and whether that is the referral's owner. */
  to: { kind: string; ref: string } | null;
  owner: boolean;
  status: 'raising' | 'offered' | 'accepted' | 'declined' | 'done' | 'failed';
  /** Whether a FHIR Task mirror was proposed for it. */
  task: boolean;
};

export const initialReferralState: ReferralState = {
  site: null,
  connectionId: null,
  serviceRequest: null,
  patientEventId: null,
  priority: null,
  stage: 'sent',
  stageEnteredAt: null,
  awaiting: null,
  dueAt: null,
  due: {},
  history: [],
  owner: null,
  performers: [],
  performerInNetwork: null,
  appointment: null,
  appointmentStart: null,
  appointmentInNetwork: null,
  requestCompleted: false,
  overdue: null,
  escalated: false,
  leaked: null,
  missedAppointments: 0,
  proposals: [],
  eventIds: [],
  endedAt: null,
  recognisedBy: null,
  ending: null,
};

const openingHours = s.nullable(s.object({ open: s.string(), close: s.string() }));

/**
 * A site's calendar as a referral keeps it: fixed at the start (so replay sees the same), with the
 * holidays from the day before the start to 400 days after it (a referral expires long before).
 */
export const referralCalendar = s.object({
  zone: s.string(),
  businessHours: s.object({
    mon: openingHours,
    tue: openingHours,
    wed: openingHours,
    thu: openingHours,
    fri: openingHours,
    sat: openingHours,
    sun: openingHours,
  }),
  holidays: s.array(s.string()),
});
export type ReferralCalendar = Infer<typeof referralCalendar>;

/** A participant as the EHR names it, kept as a workflow keeps it (its reference and identifier systems). */
export function participantNoteOf(p: ParticipantRef): ParticipantNote {
  return {
    kind: p.kind,
    ref: p.ehrId !== undefined ? `${p.kind}/${p.ehrId}` : null,
    systems: [...new Set(p.identifiers.map((i) => i.system))],
  };
}

/** A participant as a workflow keeps it (references, systems, an identifier token; no names). */
export const participantNote = s.object({
  kind: s.string(),
  ref: s.nullable(s.string()),
  systems: s.array(s.string()),
  identifier: s.nullable(s.string()).optional(),
  network: s.nullable(s.literal('in', 'out')).optional(),
});

/** What the route starts a referral with; checked when started and when the step reads it back. */
export const referralStart = defineStart(
  REFERRAL_WORKFLOW,
  s.object({
    eventId: s.string(),
    occurredAt: s.string(),
    connectionId: s.string(),
    site: s.nullable(s.string()),
    /** `ServiceRequest/<id>`; null for an HL7 referral (identifiers only). */
    serviceRequest: s.nullable(s.string()),
    status: s.string(),
    priority: s.nullable(s.string()),
    requester: s.nullable(s.string()),
    performers: s.array(participantNote),
    /** The requester as a participant (its identifier for an HL7 one); `requester` keeps the reference. */
    requesterNote: s.nullable(participantNote).optional(),
    recognisedBy: s.object({ rule: s.string(), origin: s.string(), description: s.string() }).optional(),
    /** What is asked for, as the order names it (`Cardiology consult`): a label, not clinical detail. */
    service: s.nullable(s.string()).optional(),
    /** The site's business calendar; absent when the site has no record (calendar days). */
    calendar: referralCalendar.optional(),
    /** Mirror handoffs to the EHR as FHIR Tasks (the site's setting when it started; version 2). */
    mirrorTasks: s.boolean().optional(),
  }),
);

/** A filed referral letter (intake) for this referral's patient: evidence that the referral arrived. */
export const referralLetter = defineSignal('letter', s.object({ documentId: s.string(), occurredAt: s.string() }));
export type ReferralStartPayload = Infer<typeof referralStart.payload>;

/**
 * What every referral signal carries (one signal per kind of event: `referral`, `task`,
 * `appointment`, …): the route encodes with it, the workflow reads with it.
 */
export const referralSignalPayload = s.object({
  eventId: s.string(),
  eventType: s.string(),
  occurredAt: s.string(),
  /** Referral/Task/Appointment/Encounter status (documents: the document status). */
  status: s.string(),
  /** `Appointment/<id>` (or the identifier link) for appointment signals. */
  ref: s.nullable(s.string()),
  start: s.nullable(s.string()),
  participants: s.array(participantNote),
  /** Task signals: the closing outputs it names (`Procedure/1` …) and its coded status reason. */
  outputs: s.array(s.string()).optional(),
  reason: s.nullable(s.string()).optional(),
  /**
   * Referral signals of a request the rules call a referral (an update, or the same order from the
   * other channel): what it names, filling what the referral does not know yet.
   */
  request: s
    .object({
      serviceRequest: s.nullable(s.string()),
      priority: s.nullable(s.string()),
      requester: s.nullable(s.string()),
      requesterNote: s.nullable(participantNote),
      performers: s.array(participantNote),
    })
    .optional(),
});
export type ReferralSignalPayload = Infer<typeof referralSignalPayload>;

/**
 * Durations in days. The stage due times (`receivedDays` … `closeDays`) and `escalateDays` are
 * business days of the referral's site when the site has a record, else days of 24 hours;
 * `leakDays` and `expireDays` are always days of 24 hours (horizons, not work to be done).
 */
export interface ReferralTiming {
  /** sent → received. */
  readonly receivedDays: number;
  /** received → accepted. */
  readonly acceptedDays: number;
  /** accepted → scheduled. */
  readonly scheduledDays: number;
  /** scheduled → attended: after the appointment's start. */
  readonly attendedDaysAfterStart: number;
  /** attended → reported. */
  readonly reportDays: number;
  /** reported → closed (the request marked completed). */
  readonly closeDays: number;
  /** An overdue stage is escalated to the owner's lead this long after its due time. */
  readonly escalateDays: number;
  /** Not scheduled this long after it was sent (or after a missed appointment): leaked, never scheduled. */
  readonly leakDays: number;
  /** A leaked or stalled referral stops being tracked this long after its last stage change. */
  readonly expireDays: number;
}

export const defaultReferralTiming: ReferralTiming = {
  receivedDays: 2,
  acceptedDays: 3,
  scheduledDays: 14,
  attendedDaysAfterStart: 1,
  reportDays: 7,
  closeDays: 7,
  escalateDays: 2,
  leakDays: 30,
  expireDays: 90,
};

/**
 * The network rule. A participant is in network when the clinic's EHR knows it (the reference
 * has an EHR id on this connection: it is a resource of the clinic's own directory) and it is
 * not listed in `externalRefs`, or when one of its identifiers' systems is in `systems` (say, the
 * health system's provider-id system). A set of participants (a referral's performers, an
 * appointment's practitioners/locations) is in network when any one is; with no participant
 * at all nothing is known (null). HL7 v2 participants carry identifiers only, so on an HL7 feed
 * configure `systems`, or every HL7-only appointment reads as out of network.
 */
export interface NetworkRule {
  readonly systems: readonly string[];
  readonly externalRefs: readonly string[];
}

export const defaultNetworkRule: NetworkRule = { systems: [], externalRefs: [] };

export function inNetwork(rule: NetworkRule, parts: readonly ParticipantNote[]): boolean | null {
  const relevant = parts.filter((p) => p.kind !== 'Patient');
  if (relevant.length === 0) return null;
  // The directory decides when it was asked (the route noted `network`): in when any is in, out
  // when any is out, unknown otherwise. The declared rule below is for routes without a directory.
  if (relevant.some((p) => p.network !== undefined)) {
    if (relevant.some((p) => p.network === 'in')) return true;
    return relevant.some((p) => p.network === 'out') ? false : null;
  }
  return relevant.some(
    (p) => (p.ref !== null && !rule.externalRefs.includes(p.ref)) || p.systems.some((s) => rule.systems.includes(s)),
  );
}

/** A referral signal's payload, checked, as the engine stores it. */
export function encodeReferralSignal(payload: ReferralSignalPayload): Json {
  return toJson(referralSignalPayload.parse(payload, 'referral signal'));
}

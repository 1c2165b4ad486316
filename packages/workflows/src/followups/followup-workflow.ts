/**
 * @module Appointment follow-up sequencing: a clinician orders a recheck ("in 6 weeks"), and
 * Steward proposes the booking request, then the reminders before the visit, a rebooking after a
 * cancel, an outreach after a no-show or when nothing was booked in the window, and stops once
 * the visit is fulfilled (or the order closed).
 *
 * It never writes or sends: every act is a `proposal.draft` effect. Reminders are `reminder.send`
 * proposals with no clinical content (a template name, the appointment's time), so an approval
 * policy may commit them without review; the committer checks preferences and opt-outs. State
 * holds references, codes and times only (stored unsealed): it is what lists and reports read.
 *
 * Version 2 (issue 19): where a person must act — a no-show to call about, nothing booked by the
 * window's end — it also raises a handoff (`followup.no-show`, `followup.not-booked`) to the
 * recheck's owner when they are staff at the site, else the site's owner pool, else the front desk,
 * due in two days, with a reference-level ask; a booking, or the follow-up ending, closes it (done).
 * Follow-ups started on version 1 keep running version 1, registered beside it.
 *
 * Known limits: one appointment at a time per order (a second booking replaces the first in
 * state); a reschedule reply drafts a rebooking request but the reminders stay on the booked
 * time until the EHR says it moved.
 */
import { cancelTimer, complete, setTimer } from '../engine/index.js';
import type { Command, DecideContext, Json, WorkflowDefinition, WorkflowInput } from '../engine/index.js';
import { draftProposal, proposalOutcome, type DraftRequest, type ProposalOutcomeSignal } from '../effects/index.js';
import {
  appointmentSignal,
  followupStart,
  orderSignal,
  replySignal,
  type AppointmentSignal,
  type FollowupSettings,
  type FollowupStart,
  type OrderSignal,
  type ReplySignal,
} from './followup-signals.js';
import { planReminders } from './reminder-schedule.js';
import { closeHandoff, raiseHandoff, type RaiseRequest } from '../handoffs/handoff-effects.js';
import type { ParticipantNote } from '../referrals/referral-model.js';

export const FOLLOWUP = 'followup';

// The shapes a follow-up receives are declared in followup-signals.ts; re-exported for its callers.
export type { FollowupSettings, FollowupStart, AppointmentSignal, ReplySignal } from './followup-signals.js';

export const followupStages = ['awaiting-booking', 'booked', 'rebooking', 'no-show', 'fulfilled', 'closed'] as const;
export type FollowupStage = (typeof followupStages)[number];

export const defaultFollowupSettings: FollowupSettings = {
  offsetsDays: [7, 1],
  sendAt: '10:00',
  zone: 'America/New_York',
  quiet: { start: '20:00', end: '08:00' },
  defaultRecheckDays: 42,
  graceDays: 14,
};

export type FollowupState = {
  stage: FollowupStage | 'new';
  stageAt: string | null;
  connectionId: string;
  site: string | null;
  orderRef: string;
  /** What the order asks for, as it names it (absent in follow-ups started before it was kept). */
  service?: string | null;
  /**
   * Who ordered the recheck (the ServiceRequest's requester), who answers for it: the follow-up's
   * owner. Absent in follow-ups started before it was kept, null when the order named nobody.
   */
  requester?: ParticipantNote | null;
  /** The event whose patient every proposal is for. */
  orderEventId: string;
  window: { start: string; end: string } | null;
  appointment: { ref: string; start: string | null; eventId: string } | null;
  reminders: { name: string; offsetDays: number; dueAt: string; status: 'scheduled' | 'due' | 'cancelled' }[];
  confirmation: { intent: string; at: string } | null;
  proposals: { tag: string; proposalId: string | null; status: string }[];
  /** Channels (or `all`) a committer refused for an opt-out: no more reminders are proposed. */
  optedOut: boolean;
  overdue: boolean;
  counts: { booked: number; cancelled: number; noShows: number; reminders: number; replies: number };
  seq: number;
  settings: FollowupSettings;
  /** Version 2: the handoffs raised for a person to act (keys close them); absent on version 1. */
  handoffs?: { key: string; kind: string; handoffId: string | null; open: boolean }[];
};

const initial: FollowupState = {
  stage: 'new',
  stageAt: null,
  connectionId: '',
  site: null,
  orderRef: '',
  orderEventId: '',
  window: null,
  appointment: null,
  reminders: [],
  confirmation: null,
  proposals: [],
  optedOut: false,
  overdue: false,
  counts: { booked: 0, cancelled: 0, noShows: 0, reminders: 0, replies: 0 },
  seq: 0,
  settings: defaultFollowupSettings,
};

const DAY = 86_400_000;
const TASK_CODE = 'http://hl7.org/fhir/CodeSystem/task-code';
const OVERDUE_TIMER = 'overdue';

/** The handoff kinds a follow-up raises. */
export const followupHandoffKinds = { noShow: 'followup.no-show', notBooked: 'followup.not-booked' } as const;

export const followupWorkflow: WorkflowDefinition<FollowupState> = followupDefinition(2);
/** Version 1 (proposals only): kept registered so follow-ups started on it replay and run on. */
export const followupWorkflowV1: WorkflowDefinition<FollowupState> = followupDefinition(1);

function followupDefinition(version: 1 | 2): WorkflowDefinition<FollowupState> {
  return {
    type: FOLLOWUP,
    version,
    initialState: initial,
    decide(state, input, ctx) {
      const s: FollowupState = structuredClone(state);
      const commands: Command[] = [];
      const act = new Acts(s, commands, ctx, version === 2);
      switch (input.kind) {
        case 'start':
          act.start(followupStart.payload.parse(input.payload, 'followup start'));
          break;
        case 'signal':
          act.signal(input);
          break;
        case 'timer':
          act.timer(input.name);
          break;
        case 'effect': {
          const raised = version === 2 ? raiseHandoff.outcome(input) : undefined;
          if (raised !== undefined) {
            const h = s.handoffs?.find((x) => `handoff:${x.key}` === raised.tag);
            if (h !== undefined && raised.ok) h.handoffId = raised.value.handoffId;
            if (h !== undefined && !raised.ok) h.open = false;
            break;
          }
          const r = draftProposal.outcome(input);
          if (r === undefined) break;
          s.proposals.push({
            tag: r.tag ?? '',
            proposalId: r.ok ? r.value.proposalId : null,
            status: r.ok ? r.value.status : `error:${r.code}`,
          });
          break;
        }
      }
      return { state: s, commands };
    },
  };
}

/** The decisions, over a mutable copy of the state and the step's command list. */
class Acts {
  constructor(
    private readonly s: FollowupState,
    private readonly commands: Command[],
    private readonly ctx: DecideContext,
    private readonly v2: boolean,
  ) {}

  start(p: FollowupStart): void {
    const s = this.s;
    s.connectionId = p.event.connectionId;
    s.site = p.site;
    s.orderRef = p.orderRef;
    s.service = p.service ?? null;
    s.requester = p.requester ?? null;
    s.orderEventId = p.event.eventId;
    s.settings = p.settings;
    s.window = windowOf(p, this.ctx.now);
    if (this.v2) s.handoffs = [];
    this.stage('awaiting-booking');
    this.commands.push(setTimer(OVERDUE_TIMER, { at: s.window.end }));
    this.draftTask('booking-request', 'recheck-ordered', 'Book recheck appointment', [p.event.eventId], [], 3);
  }

  signal(input: Extract<WorkflowInput, { kind: 'signal' }>): void {
    const s = this.s;
    if (s.stage === 'fulfilled' || s.stage === 'closed') return;
    // Each payload is checked against its declaration as it comes back from the database.
    const appointment = appointmentSignal.read(input);
    if (appointment !== undefined) return this.appointment(appointment);
    const order = orderSignal.read(input);
    if (order !== undefined) return this.order(order);
    const reply = replySignal.read(input);
    if (reply !== undefined) return this.reply(reply);
    const outcome = proposalOutcome.read(input);
    if (outcome !== undefined) this.outcome(outcome);
  }

  timer(name: string): void {
    const s = this.s;
    if (name === OVERDUE_TIMER) {
      if (s.stage === 'booked' || s.stage === 'fulfilled' || s.stage === 'closed') return;
      s.overdue = true;
      this.draftTask(
        `overdue-outreach:${this.ctx.step}`,
        'recheck-not-booked',
        'Contact patient: recheck not booked',
        [],
        [],
        2,
      );
      this.raise(followupHandoffKinds.notBooked, 'Recheck not booked in its window: contact the patient to book it.');
      return;
    }
    const reminder = s.reminders.find((r) => r.name === name);
    if (reminder === undefined || reminder.status !== 'scheduled' || s.stage !== 'booked' || s.optedOut) return;
    reminder.status = 'due';
    s.counts.reminders++;
    const a = s.appointment;
    if (a === null) return;
    this.draft(`reminder:${name}`, {
      action: 'reminder.send',
      target: { resourceType: 'Appointment', id: a.ref.split('/')[1] ?? '' },
      payload: {
        template: 'appointment-reminder',
        channel: 'preferred',
        appointment: a.ref,
        start: a.start,
        zone: s.settings.zone,
        offsetDays: reminder.offsetDays,
        correlationKey: this.ctx.correlationKey,
        replies: ['confirm', 'cancel', 'reschedule'],
      },
      eventIds: [a.eventId],
      resources: [a.ref],
      reasonCode: 'recheck-reminder',
      priority: 4,
    });
  }

  private appointment(p: AppointmentSignal): void {
    const s = this.s;
    const same = s.appointment?.ref === p.appointmentRef;
    switch (p.status) {
      case 'booked':
      case 'pending':
      case 'proposed': {
        if (!same || s.stage !== 'booked') s.counts.booked++;
        s.appointment = { ref: p.appointmentRef, start: p.start, eventId: p.event.eventId };
        s.confirmation = null;
        if (s.stage !== 'booked') this.stage('booked');
        s.overdue = false;
        this.closeHandoffs('booked');
        this.commands.push(cancelTimer(OVERDUE_TIMER));
        this.scheduleReminders();
        return;
      }
      case 'arrived':
      case 'checked-in':
        this.cancelReminders();
        return;
      case 'fulfilled':
        this.finish('fulfilled', { appointment: p.appointmentRef });
        return;
      case 'cancelled':
        if (!same && s.appointment !== null) return; // an older appointment's late news
        this.cancelled(p.event.eventId, 'appointment-cancelled');
        return;
      case 'noshow': {
        if (!same && s.appointment !== null) return;
        s.counts.noShows++;
        this.cancelReminders();
        this.stage('no-show');
        this.armOverdue();
        const n = s.counts.noShows;
        this.draftTask(
          `no-show-outreach:${n}`,
          'recheck-no-show',
          'Contact patient after missed recheck appointment',
          [p.event.eventId],
          [p.appointmentRef],
          2,
        );
        this.raise(followupHandoffKinds.noShow, 'Recheck appointment missed: call the patient to rebook.');
        return;
      }
      default:
        return;
    }
  }

  private order(p: OrderSignal): void {
    if (p.status === 'completed') this.finish('fulfilled', { order: 'completed' });
    else if (p.status === 'revoked' || p.status === 'entered-in-error') this.finish('closed', { order: p.status });
  }

  private reply(p: ReplySignal): void {
    const s = this.s;
    s.counts.replies++;
    s.confirmation = { intent: p.intent, at: p.at };
    if (s.stage !== 'booked' || s.appointment === null) return;
    if (p.intent === 'cancel') {
      const a = s.appointment;
      this.draft(`cancel-appointment:${s.counts.cancelled + 1}`, {
        action: 'appointment.status',
        target: { resourceType: 'Appointment', id: a.ref.split('/')[1] ?? '' },
        changes: { status: 'cancelled' },
        eventIds: [a.eventId],
        resources: [a.ref],
        reasonCode: 'patient-replied-cancel',
        priority: 2,
      });
      this.cancelled(a.eventId, 'patient-replied-cancel');
    } else if (p.intent === 'reschedule') {
      this.draftTask(
        `reschedule-request:${s.counts.replies}`,
        'patient-asked-reschedule',
        'Rebook recheck appointment',
        [s.appointment.eventId],
        [s.appointment.ref],
        2,
      );
    }
  }

  private outcome(p: ProposalOutcomeSignal): void {
    // A committer refuses a message to a patient who opted out (FORBIDDEN): stop proposing them.
    if (p.action === 'reminder.send' && p.status === 'failed' && p.code === 'FORBIDDEN') {
      this.s.optedOut = true;
      this.cancelReminders();
    }
  }

  private cancelled(eventId: string, reasonCode: string): void {
    const s = this.s;
    if (s.stage !== 'booked') return; // already handled (a reply's cancel, then the EHR's event)
    s.counts.cancelled++;
    this.cancelReminders();
    this.stage('rebooking');
    this.armOverdue();
    this.draftTask(
      `rebooking:${s.counts.cancelled}`,
      reasonCode,
      'Rebook recheck appointment',
      [eventId],
      s.appointment !== null ? [s.appointment.ref] : [],
      2,
    );
  }

  private scheduleReminders(): void {
    const s = this.s;
    this.cancelReminders();
    const start = s.appointment?.start;
    if (start === null || start === undefined || s.optedOut) return;
    s.seq++;
    for (const r of planReminders({
      start,
      now: this.ctx.now,
      offsetsDays: s.settings.offsetsDays,
      sendAt: s.settings.sendAt,
      zone: s.settings.zone,
      quiet: s.settings.quiet,
    })) {
      const name = `reminder-${s.seq}-${r.offsetDays}d`;
      s.reminders.push({ name, offsetDays: r.offsetDays, dueAt: r.dueAt, status: 'scheduled' });
      this.commands.push(setTimer(name, r.when));
    }
  }

  /** Not rebooked by the window's end (or `graceDays` from now, once the window has passed): overdue. */
  private armOverdue(): void {
    const s = this.s;
    const end = Date.parse(s.window?.end ?? '');
    const grace = this.ctx.now.getTime() + s.settings.graceDays * DAY;
    const at = Number.isNaN(end) || end <= this.ctx.now.getTime() ? grace : end;
    this.commands.push(setTimer(OVERDUE_TIMER, { at: new Date(at).toISOString() }));
  }

  private cancelReminders(): void {
    for (const r of this.s.reminders) {
      if (r.status !== 'scheduled') continue;
      r.status = 'cancelled';
      this.commands.push(cancelTimer(r.name));
    }
  }

  /** Version 2: a handoff for a person to act, to the recheck's owner (the host resolves it). */
  private raise(kind: string, ask: string): void {
    const s = this.s;
    if (!this.v2 || s.site === null) return;
    const notes = (s.handoffs ??= []);
    const key = `followup:${this.ctx.workflowId}:${kind}:${notes.length + 1}`;
    notes.push({ key, kind, handoffId: null, open: true });
    const request: RaiseRequest = {
      site: s.site,
      kind,
      subject: { kind: 'followup', id: this.ctx.workflowId },
      owner: {
        connectionId: s.connectionId,
        ref: s.requester?.ref ?? null,
        identifier: s.requester?.identifier ?? null,
      },
      fallbackRole: 'front_desk',
      ask,
      due: { at: new Date(this.ctx.now.getTime() + 2 * DAY).toISOString() },
      patientEventId: s.orderEventId,
      key,
    };
    this.commands.push(raiseHandoff.request(request, `handoff:${key}`));
  }

  /** A booking or the end: the open handoffs are closed, done (a close waits, retried, for its raise). */
  private closeHandoffs(reason: string): void {
    for (const h of this.s.handoffs ?? []) {
      if (!h.open) continue;
      h.open = false;
      this.commands.push(closeHandoff.request({ key: h.key, reason }, `close:${h.key}`));
    }
  }

  private finish(stage: 'fulfilled' | 'closed', outcome: Json): void {
    this.closeHandoffs('followup-ended');
    this.cancelReminders();
    this.commands.push(cancelTimer(OVERDUE_TIMER));
    this.stage(stage);
    this.commands.push(complete({ stage, ...(outcome as Record<string, Json>) }));
  }

  private stage(stage: FollowupStage): void {
    this.s.stage = stage;
    this.s.stageAt = this.ctx.now.toISOString();
  }

  /** A FHIR Task for the front desk, about the order: no clinical text, a code and a short operational label. */
  private draftTask(
    tag: string,
    reasonCode: string,
    label: string,
    eventIds: string[],
    resources: string[],
    priority: number,
  ): void {
    const s = this.s;
    const w = s.window;
    this.draft(tag, {
      action: 'task.create',
      target: { resourceType: 'Task' },
      payload: {
        resourceType: 'Task',
        status: 'requested',
        intent: 'order',
        priority: priority <= 2 ? 'asap' : 'routine',
        code: { coding: [{ system: TASK_CODE, code: 'fulfill' }], text: label },
        businessStatus: { text: reasonCode },
        focus: { reference: s.orderRef },
        basedOn: [{ reference: s.orderRef }, ...resources.map((reference) => ({ reference }))],
        for: { reference: 'Patient/{{patient}}' },
        authoredOn: this.ctx.now.toISOString(),
        ...(w !== null ? { restriction: { period: { start: w.start, end: w.end } } } : {}),
      },
      eventIds,
      resources,
      reasonCode,
      priority,
      ...(w !== null ? { dueAt: w.end } : {}),
    });
  }

  private draft(
    tag: string,
    d: {
      action: DraftRequest['action'];
      target: DraftRequest['target'];
      payload?: Record<string, Json>;
      changes?: Record<string, Json>;
      eventIds: string[];
      resources: string[];
      reasonCode: string;
      priority: number;
      dueAt?: string;
    },
  ): void {
    const s = this.s;
    const request: DraftRequest = {
      action: d.action,
      connectionId: s.connectionId,
      workflow: FOLLOWUP,
      correlationId: this.ctx.correlationKey,
      patientEventId: s.orderEventId,
      target: d.target,
      ...(d.payload !== undefined ? { payload: d.payload } : {}),
      ...(d.changes !== undefined ? { changes: d.changes } : {}),
      evidence: {
        eventIds: [...new Set([s.orderEventId, ...d.eventIds])],
        resources: [...new Set([s.orderRef, ...d.resources])],
        reasonCode: d.reasonCode,
      },
      priority: d.priority,
      ...(d.dueAt !== undefined ? { dueAt: d.dueAt } : {}),
    };
    this.commands.push(draftProposal.request(request, tag));
  }
}

/** The recheck window: the order's occurrence, else `defaultRecheckDays` from now; ends `graceDays` after. */
function windowOf(p: FollowupStart, now: Date): { start: string; end: string } {
  const startMs = p.occurrence?.start !== undefined ? Date.parse(p.occurrence.start) : NaN;
  const start = Number.isNaN(startMs) ? now.getTime() + p.settings.defaultRecheckDays * DAY : startMs;
  const endMs = p.occurrence?.end !== undefined ? Date.parse(p.occurrence.end) : NaN;
  const end = Number.isNaN(endMs) ? start + p.settings.graceDays * DAY : endMs;
  return { start: new Date(start).toISOString(), end: new Date(Math.max(end, now.getTime())).toISOString() };
}

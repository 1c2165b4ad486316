/**
 * @module The referral workflow: one instance per referral (ServiceRequest), tracked through
 * sent → received → accepted → scheduled → attended → reported → closed. Each awaited stage has
 * a due time and a timer; an overdue stage drafts a Task proposal for the owner (the requester)
 * and, while it is not yet received/accepted, a message proposal to the receiving practice; if
 * still overdue `escalateDays` later, a more urgent Task proposal for the owner's lead. Leakage
 * (never scheduled, scheduled out of network, cancelled) is flagged in the state for reports.
 *
 * Version 2 (issue 19): an overdue stage raises a `referral.overdue` handoff instead of the Task
 * proposal: to the owner when the owner is a staff member at the site, else the site's owner pool,
 * else the coordinators there (the host resolves it), due `escalateDays` business days on; escalation
 * to the owner's lead is the handoff's escalation policy's (default for the kind: not done in two
 * business days → the lead). Reaching the stage (or the referral ending) closes the handoff, done.
 * With `mirrorTasks` (the site's setting at the start) each handoff is also proposed to the EHR as a
 * FHIR Task carrying its owner and a businessStatus, updated (`task.update`, found by the Task's
 * Steward identifier) as people accept, decline or finish it. A filed referral letter (the `letter`
 * signal from intake) is recorded as evidence and moves a sent referral to received. Instances started
 * on version 1 keep running version 1 (Task proposals, the escalation timer), registered beside it.
 *
 * Stages only move forward, except that a cancelled or missed appointment takes a scheduled
 * referral back to `accepted` (to be booked again). Events may skip stages (a feed without Task
 * updates goes from sent to scheduled); the history then shows the stages actually seen.
 * Times: a stage is entered at its event's `occurredAt` (the EHR's time, so a late-routed event
 * does not stretch the stage). Stage due times and escalations count business days of the site's
 * calendar (fixed at the start) when the site has a record, else days of 24 hours; the leak and
 * expiry horizons are always days of 24 hours.
 */
import { BusinessCalendar } from '@steward/clinic';
import { cancelTimer, complete, setTimer, type EffectOutcome } from '../engine/index.js';
import type { Command, DecideContext, Json, WorkflowDefinition, WorkflowInput } from '../engine/index.js';
import { draftProposal, type DraftedProposal, type DraftRequest } from '../effects/index.js';
import {
  closeHandoff,
  handoffMoved,
  raiseHandoff,
  type HandoffMovedSignal,
  type RaisedHandoff,
  type RaiseRequest,
} from '../handoffs/handoff-effects.js';
import {
  referralSignalPayload,
  referralStart,
  referralLetter,
  defaultNetworkRule,
  defaultReferralTiming,
  initialReferralState,
  inNetwork,
  REFERRAL_WORKFLOW,
  referralStages,
  stageIndex,
  type HandoffNote,
  type LeakReason,
  type NetworkRule,
  type ParticipantNote,
  type ReferralCalendar,
  type ReferralEnding,
  type ReferralSignalPayload,
  type ReferralStage,
  type ReferralStartPayload,
  type ReferralState,
  type ReferralTiming,
} from './referral-model.js';

export interface ReferralWorkflowOptions {
  readonly timing?: Partial<ReferralTiming>;
  readonly network?: Partial<NetworkRule>;
}

/** The handoff kind an overdue referral stage raises; its default escalation policy is below. */
export const referralOverdueKind = 'referral.overdue';
/** The Task identifier system a mirrored handoff carries (its value: the handoff id). */
export const HANDOFF_TASK_SYSTEM = 'urn:steward:handoff';
const HANDOFF_STATUS = 'urn:steward:handoff-status';

const DAY = 86_400_000;
const TASK_CODES = 'urn:steward:referral-task';
const OVERDUE_PRIORITY = 2;
const ESCALATION_PRIORITY = 1;

/** The stages whose lateness is the receiving practice's to fix: a message to them is proposed too. */
const practiceStages: readonly ReferralStage[] = ['received', 'accepted'];

const cancelledTask = new Set(['cancelled', 'rejected', 'failed', 'entered-in-error']);
const cancelledRequest = new Set(['revoked', 'entered-in-error']);
/** DiagnosticReport statuses (HL7 ORU OBR-25 mapped) that mean a result is back. */
const reportedResult = new Set(['final', 'amended', 'corrected', 'appended']);

/** The current definition (version 2: overdue stages raise handoffs). */
export function referralWorkflowWith(options: ReferralWorkflowOptions = {}): WorkflowDefinition<ReferralState> {
  return definition(2, options);
}

/** Version 1 (overdue stages draft Task proposals): kept registered so instances started on it replay and run on. */
export function referralWorkflowV1With(options: ReferralWorkflowOptions = {}): WorkflowDefinition<ReferralState> {
  return definition(1, options);
}

function definition(version: 1 | 2, options: ReferralWorkflowOptions): WorkflowDefinition<ReferralState> {
  const timing: ReferralTiming = { ...defaultReferralTiming, ...options.timing };
  const network: NetworkRule = { ...defaultNetworkRule, ...options.network };
  return {
    type: REFERRAL_WORKFLOW,
    version,
    initialState: initialReferralState,
    decide(state, input, ctx) {
      const run = new Step(clone(state), timing, network, ctx, version === 2);
      run.apply(input);
      return { state: run.s, commands: run.commands };
    },
  };
}

/** The default definition (default timing, network = the clinic's own EHR directory). */
export const referralWorkflow: WorkflowDefinition<ReferralState> = referralWorkflowWith();
export const referralWorkflowV1: WorkflowDefinition<ReferralState> = referralWorkflowV1With();

/**
 * The escalation policies referral handoffs get where a site has set none: an overdue stage's handoff
 * not done `escalateDays` (2) business days after it was raised goes to the owner's lead, as version 1's
 * escalated Task did. A site replaces it with `PUT /handoff-policies/<site>/referral.overdue`.
 */
export const referralHandoffPolicies = {
  [referralOverdueKind]: [
    {
      condition: 'not-done',
      delay: { amount: defaultReferralTiming.escalateDays, unit: 'days', business: true },
      target: { kind: 'lead' },
    },
  ],
} as const;

function clone(s: ReferralState): ReferralState {
  return JSON.parse(JSON.stringify(s)) as ReferralState;
}

const addDays = (iso: string, days: number): string => new Date(Date.parse(iso) + days * DAY).toISOString();

/** `days` business days after `iso` in the site's calendar; calendar days without one. */
function addWorkDays(calendar: ReferralCalendar | null | undefined, iso: string, days: number): string {
  if (calendar === null || calendar === undefined) return addDays(iso, days);
  const at = new Date(iso);
  return new BusinessCalendar({ ...calendar, quietHours: null }).addBusinessDays(at, days).toISOString();
}

/** One decision: mutates its own copy of the state and collects commands. */
class Step {
  readonly commands: Command[] = [];
  constructor(
    readonly s: ReferralState,
    private readonly timing: ReferralTiming,
    private readonly network: NetworkRule,
    private readonly ctx: DecideContext,
    private readonly v2: boolean,
  ) {}

  apply(input: WorkflowInput): void {
    if (this.s.endedAt !== null) return; // nothing moves a finished referral (late effects only record)
    switch (input.kind) {
      case 'start':
        this.start(referralStart.payload.parse(input.payload, 'referral start'));
        return;
      case 'signal': {
        if (this.v2) {
          const moved = handoffMoved.read(input);
          if (moved !== undefined) return this.handoffMoved(moved);
          const letter = referralLetter.read(input);
          if (letter !== undefined) return this.letter(letter);
        }
        const p = referralSignalPayload.parse(input.payload, 'referral signal');
        if (this.s.eventIds.includes(p.eventId)) return;
        this.s.eventIds.push(p.eventId);
        this.signal(input.name, p);
        return;
      }
      case 'timer':
        this.timer(input.name);
        return;
      case 'effect': {
        const outcome = draftProposal.outcome(input);
        if (outcome !== undefined) this.effectResult(outcome);
        const raised = this.v2 ? raiseHandoff.outcome(input) : undefined;
        if (raised !== undefined) this.raised(raised);
        return;
      }
    }
  }

  private start(p: ReferralStartPayload): void {
    const s = this.s;
    s.site = p.site;
    s.connectionId = p.connectionId;
    s.serviceRequest = p.serviceRequest;
    s.service = p.service ?? null;
    s.patientEventId = p.eventId;
    s.priority = p.priority;
    s.owner = p.requester;
    s.requester = p.requesterNote ?? null;
    s.performers = p.performers;
    s.performerInNetwork = inNetwork(this.network, p.performers);
    s.recognisedBy = p.recognisedBy ?? null;
    s.calendar = p.calendar ?? null;
    if (this.v2) {
      s.handoffs = [];
      s.mirrorTasks = p.mirrorTasks ?? false;
      s.letters = [];
    }
    s.eventIds.push(p.eventId);
    this.enter('sent', p.occurredAt, p.eventId);
    this.commands.push(setTimer('leak', { at: addDays(p.occurredAt, this.timing.leakDays) }));
    this.requestStatus(p.status, p.occurredAt, p.eventId);
  }

  private signal(name: string, p: ReferralSignalPayload): void {
    switch (name) {
      case 'referral':
        if (p.request !== undefined) this.joinRequest(p.request);
        this.requestStatus(p.status, p.occurredAt, p.eventId);
        return;
      case 'task':
        this.taskStatus(p, p.occurredAt, p.eventId);
        return;
      case 'appointment':
        this.appointment(p);
        return;
      case 'encounter':
        if (['in-progress', 'arrived', 'finished', 'triaged', 'onleave'].includes(p.status))
          this.advance('attended', p.occurredAt, p.eventId);
        return;
      case 'document':
        if (p.status !== 'entered-in-error' && p.status !== 'superseded') {
          this.advance('reported', p.occurredAt, p.eventId);
          this.maybeClose(p.occurredAt, p.eventId);
        }
        return;
      case 'result':
        if (reportedResult.has(p.status)) {
          this.advance('reported', p.occurredAt, p.eventId);
          this.maybeClose(p.occurredAt, p.eventId);
        }
        return;
    }
  }

  /**
   * The request named again (an update, or the same order from the other channel: HL7 first, then
   * the FHIR ServiceRequest, or the reverse): it fills what the referral does not know — its
   * ServiceRequest, priority, owner — and names the requester and destination by EHR reference when
   * they were known only by an HL7 identifier (the directory names a reference fully). Never
   * overwrites a reference already known.
   */
  private joinRequest(r: NonNullable<ReferralSignalPayload['request']>): void {
    const s = this.s;
    s.serviceRequest ??= r.serviceRequest;
    s.priority ??= r.priority;
    s.owner ??= r.requester;
    const byRef = (parts: readonly ParticipantNote[]): boolean => parts.some((p) => p.ref !== null);
    if (r.requesterNote !== null && (s.requester == null || (s.requester.ref === null && r.requesterNote.ref !== null)))
      s.requester = r.requesterNote;
    if (r.performers.length > 0 && (s.performers.length === 0 || (!byRef(s.performers) && byRef(r.performers)))) {
      s.performers = r.performers;
      s.performerInNetwork = inNetwork(this.network, r.performers);
    }
  }

  private requestStatus(status: string, at: string, eventId: string): void {
    if (cancelledRequest.has(status)) this.cancel(at, eventId, { how: status, by: 'request', detail: null });
    else if (status === 'completed') this.requestDone(at, eventId);
  }

  private taskStatus(p: ReferralSignalPayload, at: string, eventId: string): void {
    const status = p.status;
    if (cancelledTask.has(status)) this.cancel(at, eventId, { how: status, by: 'task', detail: p.reason ?? null });
    else if (status === 'received') this.advance('received', at, eventId);
    else if (status === 'accepted' || status === 'in-progress' || status === 'ready')
      this.advance('accepted', at, eventId);
    else if (status === 'completed') {
      const output = p.outputs?.[0];
      if (output !== undefined) {
        // The Task's output is what the loop waited for (the IGs' closure): the report is back.
        this.s.requestCompleted = true;
        this.advance('reported', at, eventId);
        this.close(at, eventId, { how: 'task-output', by: output.split('/')[0] ?? null, detail: output });
      } else this.requestDone(at, eventId);
    }
  }

  private appointment(p: ReferralSignalPayload): void {
    const s = this.s;
    if (p.status === 'booked' || p.eventType === 'appointment.rescheduled') {
      s.appointment = p.ref;
      s.appointmentStart = p.start;
      s.appointmentInNetwork = inNetwork(this.network, p.participants);
      if (s.appointmentInNetwork === false) s.leaked = 'out-of-network';
      else if (s.leaked === 'never-scheduled' || s.leaked === 'out-of-network') s.leaked = null;
      if (stageIndex(s.stage) < stageIndex('scheduled')) this.advance('scheduled', p.occurredAt, p.eventId);
      else if (s.stage === 'scheduled') this.await('attended', p.occurredAt); // a reschedule moves the due time
      this.commands.push(cancelTimer('leak'), cancelTimer('expire'));
    } else if (p.status === 'arrived' || p.status === 'checked-in' || p.status === 'fulfilled') {
      this.advance('attended', p.occurredAt, p.eventId);
    } else if ((p.status === 'cancelled' || p.status === 'noshow') && s.stage === 'scheduled') {
      if (p.ref !== null && s.appointment !== null && p.ref !== s.appointment) return; // another booking
      s.missedAppointments++;
      s.appointment = null;
      s.appointmentStart = null;
      this.enter('accepted', p.occurredAt, p.eventId);
      this.commands.push(setTimer('leak', { at: addDays(p.occurredAt, this.timing.leakDays) }));
    }
  }

  private requestDone(at: string, eventId: string): void {
    this.s.requestCompleted = true;
    this.maybeClose(at, eventId);
  }

  private maybeClose(at: string, eventId: string): void {
    if (this.s.requestCompleted && this.s.stage === 'reported')
      this.close(at, eventId, { how: 'report-and-completion', by: null, detail: null });
  }

  private close(at: string, eventId: string, ending: ReferralEnding): void {
    this.s.ending = ending;
    this.enter('closed', at, eventId);
    this.finish(at);
  }

  /** Ended before the loop closed (Task rejected/cancelled/failed, request revoked): leaked, with why. */
  private cancel(at: string, eventId: string, ending: ReferralEnding): void {
    if (this.s.stage === 'closed') return;
    this.s.leaked = 'cancelled';
    this.s.ending = ending;
    this.s.history.push({ stage: this.s.stage, at, eventId });
    this.finish(at);
  }

  private finish(at: string): void {
    const s = this.s;
    this.clearAwaited();
    this.commands.push(cancelTimer('leak'), cancelTimer('expire'));
    s.awaiting = null;
    s.dueAt = null;
    s.overdue = null;
    s.endedAt = at;
    this.commands.push(complete({ stage: s.stage, leaked: s.leaked, ending: s.ending ?? null }));
  }

  /** Moves forward to `stage` (never back). */
  private advance(stage: ReferralStage, at: string, eventId: string): void {
    if (stageIndex(stage) <= stageIndex(this.s.stage)) return;
    this.enter(stage, at, eventId);
  }

  private enter(stage: ReferralStage, at: string, eventId: string | null): void {
    const s = this.s;
    this.clearAwaited();
    s.stage = stage;
    s.stageEnteredAt = at;
    s.history.push({ stage, at, eventId });
    s.overdue = null;
    s.escalated = false;
    if (stageIndex(stage) >= stageIndex('scheduled') && s.leaked === 'never-scheduled') s.leaked = null;
    if (stage !== 'closed') {
      const next = referralStages[stageIndex(stage) + 1];
      if (next !== undefined) this.await(next, at);
    }
    // A stalled referral is dropped after expireDays without a stage change.
    if (stage !== 'closed') this.commands.push(setTimer('expire', { at: addDays(at, this.timing.expireDays) }));
  }

  private await(next: ReferralStage, at: string): void {
    const s = this.s;
    const t = this.timing;
    const start = s.appointmentStart;
    const work = (iso: string, days: number): string => addWorkDays(s.calendar, iso, days);
    const dueAt =
      next === 'received'
        ? work(at, t.receivedDays)
        : next === 'accepted'
          ? work(at, t.acceptedDays)
          : next === 'scheduled'
            ? work(at, t.scheduledDays)
            : next === 'attended'
              ? work(start !== null && !Number.isNaN(Date.parse(start)) ? start : at, t.attendedDaysAfterStart)
              : next === 'reported'
                ? work(at, t.reportDays)
                : work(at, t.closeDays);
    s.awaiting = next;
    s.dueAt = dueAt;
    s.due[next] = dueAt;
    this.commands.push(setTimer(`due:${next}`, { at: dueAt }), cancelTimer(`escalate:${next}`));
  }

  private clearAwaited(): void {
    const a = this.s.awaiting;
    if (a !== null) this.commands.push(cancelTimer(`due:${a}`), cancelTimer(`escalate:${a}`));
    if (a !== null) this.closeHandoffs(a);
  }

  /**
   * The stage a handoff chased was reached, or the referral ended: its open handoffs are closed, done
   * (the close waits, retried, for a raise that has not run yet), and their Task mirrors completed.
   */
  private closeHandoffs(stage: ReferralStage): void {
    const reason = this.s.endedAt !== null || this.ending() ? 'referral-ended' : 'stage-reached';
    for (const h of this.s.handoffs ?? []) {
      if (h.stage !== stage || h.status === 'done' || h.status === 'failed') continue;
      h.status = 'done';
      this.commands.push(closeHandoff.request({ key: h.key, reason }, `close:${h.key}`));
      if (h.task && h.handoffId !== null) this.updateMirror(h, 'done', null);
    }
  }

  /** Whether this step is ending the referral (finish sets `ending` before it clears the stage). */
  private ending(): boolean {
    return this.s.ending !== undefined && this.s.ending !== null;
  }

  /** Version 2's overdue stage: a handoff to the owner (resolved by the host), reference-level. */
  private raiseOverdue(stage: ReferralStage): void {
    const s = this.s;
    const notes = (s.handoffs ??= []);
    const key = `referral:${this.ctx.workflowId}:overdue-${stage}:${notes.length + 1}`;
    notes.push({ key, stage, handoffId: null, to: null, owner: false, status: 'raising', task: false });
    const request: RaiseRequest = {
      site: s.site ?? '',
      kind: referralOverdueKind,
      subject: { kind: 'referral', id: this.ctx.workflowId },
      owner: {
        connectionId: s.connectionId,
        ref: s.owner,
        identifier: s.requester?.identifier ?? null,
      },
      fallbackRole: 'coordinator',
      // Reference-level (stored unsealed until raised): the stage and what to do, no patient or clinical text.
      ask: `Referral overdue: not ${stage} by its due date. Chase it (the receiving practice, the patient or the order) or close it.`,
      due: { at: addWorkDays(s.calendar, this.ctx.now.toISOString(), this.timing.escalateDays) },
      ...(s.patientEventId !== null ? { patientEventId: s.patientEventId } : {}),
      key,
      notify: { type: REFERRAL_WORKFLOW, key: this.ctx.correlationKey },
    };
    this.commands.push(raiseHandoff.request(request, `handoff:${key}`));
  }

  private raised(outcome: EffectOutcome<RaisedHandoff>): void {
    const note = (this.s.handoffs ?? []).find((h) => `handoff:${h.key}` === outcome.tag);
    if (note === undefined) return;
    if (!outcome.ok) {
      // Not raised (no such site, nobody to give it to): the version 1 Task proposal, so it still reaches a person.
      if (note.status === 'raising') {
        note.status = 'failed';
        this.draftOverdue(note.stage, false);
      }
      return;
    }
    note.handoffId = outcome.value.handoffId;
    note.to = outcome.value.to ?? null;
    note.owner = outcome.value.owner ?? false;
    if (note.status === 'raising') note.status = 'offered';
    // Closed before it was raised (the stage was reached meanwhile): no Task for work already done.
    if (this.s.mirrorTasks === true && note.status !== 'done') this.draftMirror(note);
  }

  private handoffMoved(m: HandoffMovedSignal): void {
    const note = (this.s.handoffs ?? []).find((h) => h.handoffId === m.handoffId);
    if (note === undefined || note.status === 'done') return;
    if (m.event === 'escalated') {
      // The handoff's escalation policy fired: the referral counts as escalated while its stage is
      // still the one the handoff chases (as version 1's escalation timer set it), and the mirror
      // Task, if any, becomes urgent.
      if (this.s.awaiting === note.stage) this.s.escalated = true;
      if (note.task) this.updateMirror(note, 'escalated', m.assignee);
      return;
    }
    note.status = m.event;
    if (note.task) this.updateMirror(note, m.event, m.assignee);
  }

  /** A filed referral letter: kept as evidence; a referral still waiting to be received is received. */
  private letter(l: { documentId: string; occurredAt: string }): void {
    const s = this.s;
    const id = `letter:${l.documentId}`;
    if (s.eventIds.includes(id)) return;
    s.eventIds.push(id);
    (s.letters ??= []).push(l.documentId);
    if (s.stage === 'sent') this.enter('received', l.occurredAt, null);
  }

  /** The handoff proposed to the EHR as a FHIR Task: its owner (or the pool or role), its businessStatus. */
  private draftMirror(note: HandoffNote): void {
    const s = this.s;
    if (note.handoffId === null || note.task) return;
    note.task = true;
    const task: Record<string, Json> = {
      resourceType: 'Task',
      status: 'requested',
      intent: 'order',
      priority: 'routine',
      identifier: [{ system: HANDOFF_TASK_SYSTEM, value: note.handoffId }],
      code: {
        coding: [{ system: TASK_CODES, code: `overdue-${note.stage}`, display: `Referral overdue: ${note.stage}` }],
      },
      businessStatus: {
        coding: [{ system: HANDOFF_STATUS, code: note.status === 'raising' ? 'offered' : note.status }],
      },
      ...(s.serviceRequest !== null ? { focus: { reference: s.serviceRequest } } : {}),
      for: { reference: 'Patient/{{patient}}' },
      ...(note.owner && s.owner !== null
        ? { owner: { reference: s.owner } }
        : note.to !== null
          ? { performerType: [{ coding: [{ system: HANDOFF_TASK_SYSTEM, code: `${note.to.kind}:${note.to.ref}` }] }] }
          : {}),
    };
    this.propose(`mirror:${note.key}`, note.stage, {
      ...this.base(note.stage, `referral.overdue.${note.stage}`),
      action: 'task.create',
      target: { resourceType: 'Task' },
      payload: task,
      priority: OVERDUE_PRIORITY,
    });
  }

  /** The mirror Task brought in step with the handoff (found by its Steward identifier). */
  private updateMirror(
    note: HandoffNote,
    event: 'accepted' | 'declined' | 'done' | 'escalated',
    assignee: { id: string; name: string } | null,
  ): void {
    if (note.handoffId === null) return;
    const n = this.s.proposals.filter((p) => p.tag.startsWith(`mirror-update:${note.key}`)).length + 1;
    this.propose(`mirror-update:${note.key}:${n}`, note.stage, {
      ...this.base(note.stage, `referral.handoff.${event}`),
      action: 'task.update',
      target: { resourceType: 'Task', identifier: `${HANDOFF_TASK_SYSTEM}|${note.handoffId}` },
      changes:
        event === 'escalated'
          ? // Whoever holds it keeps it: the Task only becomes urgent and says it was escalated.
            { priority: 'urgent', businessStatus: { coding: [{ system: HANDOFF_STATUS, code: event }] } }
          : {
              status: event === 'done' ? 'completed' : event === 'accepted' ? 'accepted' : 'requested',
              businessStatus: { coding: [{ system: HANDOFF_STATUS, code: event }] },
              ...(assignee !== null && event === 'accepted' ? { owner: { display: assignee.name } } : {}),
            },
      priority: OVERDUE_PRIORITY,
    });
  }

  private timer(name: string): void {
    const s = this.s;
    const now = this.ctx.now.toISOString();
    if (name === 'leak') {
      if (stageIndex(s.stage) < stageIndex('scheduled')) s.leaked = 'never-scheduled';
      return;
    }
    if (name === 'expire') {
      if (s.stage !== 'closed') {
        s.ending = { how: 'expired', by: null, detail: null };
        this.finish(now);
      }
      return;
    }
    const [kind, awaited] = name.split(':');
    const stage = s.awaiting;
    if (stage === null || awaited !== stage) return; // a stale timer for a stage already reached
    if (kind === 'due') {
      s.overdue = stage;
      if (this.v2) {
        // The handoff's escalation policy takes it to the owner's lead: no escalation timer here.
        this.raiseOverdue(stage);
        if (practiceStages.includes(stage)) this.draftPracticeMessage(stage);
        return;
      }
      this.draftOverdue(stage, false);
      if (practiceStages.includes(stage)) this.draftPracticeMessage(stage);
      const dueAt = s.due[stage] ?? now;
      this.commands.push(
        setTimer(`escalate:${stage}`, { at: addWorkDays(s.calendar, dueAt, this.timing.escalateDays) }),
      );
    } else if (kind === 'escalate') {
      s.escalated = true;
      this.draftOverdue(stage, true);
    }
  }

  private base(stage: ReferralStage, reasonCode: string): Omit<DraftRequest, 'action' | 'target'> {
    const s = this.s;
    return {
      connectionId: s.connectionId ?? '',
      workflow: REFERRAL_WORKFLOW,
      correlationId: this.ctx.correlationKey,
      patientEventId: s.patientEventId ?? '',
      evidence: {
        eventIds: s.history.flatMap((h) => (h.eventId !== null ? [h.eventId] : [])),
        resources: [s.serviceRequest, s.appointment].filter((r): r is string => r !== null),
        reasonCode,
      },
      ...(s.due[stage] !== undefined ? { dueAt: s.due[stage] } : {}),
    };
  }

  /** A Task for the owner (or, escalated, for the owner's lead): codes only, no clinical text. */
  private draftOverdue(stage: ReferralStage, escalated: boolean): void {
    const s = this.s;
    const code = escalated ? `escalated-${stage}` : `overdue-${stage}`;
    const task: Record<string, Json> = {
      resourceType: 'Task',
      status: 'requested',
      intent: 'order',
      priority: escalated ? 'urgent' : 'routine',
      code: {
        coding: [{ system: TASK_CODES, code, display: `Referral ${escalated ? 'escalated' : 'overdue'}: ${stage}` }],
      },
      businessStatus: { coding: [{ system: TASK_CODES, code: `awaiting-${stage}` }] },
      ...(s.serviceRequest !== null ? { focus: { reference: s.serviceRequest } } : {}),
      for: { reference: 'Patient/{{patient}}' },
      ...(s.due[stage] !== undefined ? { restriction: { period: { end: s.due[stage] } } } : {}),
      // The escalation is for whoever leads the owner: the owner is named so the lead can be found.
      ...(escalated
        ? {
            performerType: [{ coding: [{ system: TASK_CODES, code: 'owner-lead', display: "Owner's lead" }] }],
            ...(s.owner !== null ? { requester: { reference: s.owner } } : {}),
          }
        : s.owner !== null
          ? { owner: { reference: s.owner } }
          : {}),
    };
    const request: DraftRequest = {
      ...this.base(stage, `referral.${escalated ? 'escalated' : 'overdue'}.${stage}`),
      action: 'task.create',
      target: { resourceType: 'Task' },
      payload: task,
      priority: escalated ? ESCALATION_PRIORITY : OVERDUE_PRIORITY,
    };
    this.propose(escalated ? `escalate:${stage}` : `overdue:${stage}`, stage, request);
  }

  /** A message to the receiving practice: once sent it cannot be recalled. */
  private draftPracticeMessage(stage: ReferralStage): void {
    const s = this.s;
    const recipients = s.performers.flatMap((p) => (p.ref !== null ? [{ reference: p.ref }] : []));
    const request: DraftRequest = {
      ...this.base(stage, `referral.overdue.${stage}`),
      action: 'communication.send',
      target: { resourceType: 'Communication' },
      payload: {
        resourceType: 'Communication',
        status: 'preparation',
        template: `referral-overdue-${stage}`,
        channel: 'practice',
        recipient: recipients,
        about: s.serviceRequest !== null ? [{ reference: s.serviceRequest }] : [],
        subject: { reference: 'Patient/{{patient}}' },
      },
      priority: OVERDUE_PRIORITY,
      reversible: false,
      irreversibleReason: 'a message to the receiving practice, once sent, cannot be recalled',
    };
    this.propose(`message:${stage}`, stage, request);
  }

  private propose(tag: string, stage: ReferralStage, request: DraftRequest): void {
    this.s.proposals.push({ tag, stage, action: request.action, proposalId: null, status: null });
    this.commands.push(draftProposal.request(request, tag));
  }

  private effectResult(outcome: EffectOutcome<DraftedProposal>): void {
    const note = [...this.s.proposals].reverse().find((p) => p.tag === outcome.tag && p.proposalId === null);
    if (note === undefined) return;
    if (outcome.ok) {
      note.proposalId = outcome.value.proposalId;
      note.status = outcome.value.status;
    } else {
      note.status = 'failed';
    }
  }
}

export type { LeakReason };

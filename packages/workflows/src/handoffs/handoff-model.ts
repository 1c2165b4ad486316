/**
 * @module The vocabulary of internal handoffs (issue 19): subjects, targets, states, deadlines and
 * escalation policies, with their validation and the one place a delay becomes an instant in a
 * site's calendar (business minutes, business days, or clock time with calendar days in the site's
 * zone, so "1 day" keeps the wall-clock time across a DST change).
 */
import { roles, ValidationError, type ErrorDetail, type Role } from '@steward/core';
import { poolName, type BusinessCalendar } from '@steward/clinic';

export const subjectKinds = ['patient', 'referral', 'document', 'proposal', 'followup'] as const;
export type SubjectKind = (typeof subjectKinds)[number];

export const handoffStatuses = ['offered', 'accepted', 'done', 'declined', 'expired'] as const;
export type HandoffStatus = (typeof handoffStatuses)[number];

/** Statuses in which a handoff waits for someone to accept it. */
export const waitingStatuses: ReadonlySet<HandoffStatus> = new Set(['offered', 'declined', 'expired']);

export interface HandoffSubject {
  readonly kind: SubjectKind;
  readonly id: string;
}

/** Who a handoff is offered to: a user (id or username), a pool of the site, or a role at the site. */
export type HandoffTarget =
  | { readonly kind: 'user'; readonly ref: string }
  | { readonly kind: 'pool'; readonly ref: string }
  | { readonly kind: 'role'; readonly ref: Role };

/** When a handoff is due: an instant, or a span of the site's business hours or days from now. */
export type HandoffDue =
  | { readonly at: string }
  | { readonly businessHours: number }
  | { readonly businessDays: number }
  | { readonly businessMinutes: number };

export interface Delay {
  readonly amount: number;
  readonly unit: 'minutes' | 'hours' | 'days';
  /** Counted in the site's opening hours (true) or on the clock (false). */
  readonly business: boolean;
}

export type EscalationTarget =
  | { readonly kind: 'lead' }
  | { readonly kind: 'pool'; readonly ref: string }
  | { readonly kind: 'rota'; readonly ref: string };

export type EscalationCondition = 'not-accepted' | 'not-done';

export interface EscalationStep {
  readonly condition: EscalationCondition;
  /** From when the handoff was offered. */
  readonly delay: Delay;
  readonly target: EscalationTarget;
}

/** `intake.incomplete`, `referral.next-step`: dotted lowercase words. */
export const handoffKind = /^[a-z][a-z0-9-]{0,30}(\.[a-z][a-z0-9-]{0,30}){0,3}$/;
const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const subjectId = /^[A-Za-z0-9._:/-]{1,128}$/;
export const maxAskLength = 500;
export const maxSteps = 10;
/** A year of minutes: a longer delay is a mistake. */
const maxDelayMinutes = 366 * 24 * 60;

export function checkKind(kind: unknown, path = 'kind'): ErrorDetail[] {
  return typeof kind === 'string' && handoffKind.test(kind)
    ? []
    : [{ path, message: 'dotted lowercase words, like intake.incomplete' }];
}

export function checkSubject(s: HandoffSubject | undefined): ErrorDetail[] {
  if (s === undefined) return [{ path: 'subject', message: 'required' }];
  const out: ErrorDetail[] = [];
  if (!subjectKinds.includes(s.kind)) out.push({ path: 'subject.kind', message: subjectKinds.join(', ') });
  if (typeof s.id !== 'string' || !subjectId.test(s.id))
    out.push({ path: 'subject.id', message: 'a reference: letters, digits and ._:/- (no free text)' });
  return out;
}

export function checkTarget(t: HandoffTarget | undefined, path = 'to'): ErrorDetail[] {
  if (t === undefined) return [{ path, message: 'required' }];
  switch (t.kind) {
    case 'user':
      return typeof t.ref === 'string' && t.ref.length > 0 ? [] : [{ path: `${path}.ref`, message: 'a user' }];
    case 'pool':
      return poolName.test(t.ref) ? [] : [{ path: `${path}.ref`, message: 'a pool name' }];
    case 'role':
      return roles.includes(t.ref) ? [] : [{ path: `${path}.ref`, message: `one of ${roles.join(', ')}` }];
    default:
      return [{ path: `${path}.kind`, message: 'user, pool or role' }];
  }
}

export function checkAsk(ask: unknown): ErrorDetail[] {
  if (typeof ask !== 'string' || ask.trim().length === 0) return [{ path: 'ask', message: 'required' }];
  return ask.length > maxAskLength ? [{ path: 'ask', message: `at most ${maxAskLength} characters` }] : [];
}

export function checkDue(due: HandoffDue | undefined): ErrorDetail[] {
  if (due === undefined) return [];
  if ('at' in due) return instant.test(due.at) ? [] : [{ path: 'due.at', message: 'an ISO 8601 instant with offset' }];
  const n = 'businessHours' in due ? due.businessHours : 'businessDays' in due ? due.businessDays : due.businessMinutes;
  return Number.isInteger(n) && n >= 0 && n <= maxDelayMinutes
    ? []
    : [{ path: 'due', message: 'a whole number of business minutes, hours or days' }];
}

export function checkSteps(given: readonly EscalationStep[]): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const isList: (v: unknown) => boolean = Array.isArray;
  if (!isList(given)) return [{ path: 'steps', message: 'a list' }];
  const steps: readonly EscalationStep[] = given;
  if (steps.length > maxSteps) out.push({ path: 'steps', message: `at most ${maxSteps} steps` });
  steps.forEach((s, i) => {
    const p = `steps.${i}`;
    if (s.condition !== 'not-accepted' && s.condition !== 'not-done')
      out.push({ path: `${p}.condition`, message: 'not-accepted or not-done' });
    const d = s.delay;
    const minutes = d === undefined ? NaN : d.amount * (d.unit === 'days' ? 1440 : d.unit === 'hours' ? 60 : 1);
    if (
      d === undefined ||
      !Number.isInteger(d.amount) ||
      d.amount < 0 ||
      !['minutes', 'hours', 'days'].includes(d.unit) ||
      typeof d.business !== 'boolean' ||
      minutes > maxDelayMinutes
    )
      out.push({ path: `${p}.delay`, message: 'a whole amount of minutes, hours or days, business or clock' });
    const t = s.target;
    if (t?.kind === 'lead') return;
    if ((t?.kind === 'pool' || t?.kind === 'rota') && poolName.test(t.ref)) return;
    out.push({ path: `${p}.target`, message: "the owner's lead, a pool or a rota of the site" });
  });
  return out;
}

export function assertValid(problems: readonly ErrorDetail[], message: string): void {
  if (problems.length > 0) throw new ValidationError(message, problems);
}

/** The instant a delay ends after `from`, in the site's calendar. */
export function delayEnd(calendar: BusinessCalendar, from: Date, delay: Delay): Date {
  if (delay.business) {
    if (delay.unit === 'days') return calendar.addBusinessDays(from, delay.amount);
    return calendar.addBusinessMinutes(from, delay.unit === 'hours' ? delay.amount * 60 : delay.amount);
  }
  if (delay.unit === 'days') {
    const date = new Date(`${calendar.dateOf(from)}T00:00:00Z`);
    date.setUTCDate(date.getUTCDate() + delay.amount);
    return calendar.at(date.toISOString().slice(0, 10), calendar.timeOf(from));
  }
  return new Date(from.getTime() + delay.amount * (delay.unit === 'hours' ? 3_600_000 : 60_000));
}

/** When a handoff offered at `from` is due. */
export function dueInstant(calendar: BusinessCalendar, from: Date, due: HandoffDue): Date {
  if ('at' in due) return new Date(due.at);
  if ('businessDays' in due) return calendar.addBusinessDays(from, due.businessDays);
  return calendar.addBusinessMinutes(from, 'businessHours' in due ? due.businessHours * 60 : due.businessMinutes);
}

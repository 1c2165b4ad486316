/**
 * @module A follow-up's timeline as one list of dated entries: the workflow's history (order,
 * appointment news, replies, proposals, timers), the messages sent, and what is planned (scheduled
 * reminders, the appointment, the booking window's end), each marked past or upcoming against the
 * server's time. Each says what it is in words (the service by name, "appointment on <date>"), the
 * EHR's reference kept aside (`ref`) for whoever needs it; a message's text is added only when it
 * was asked for.
 */
import { formatDateTime, humanize } from '../../ui/format.js';
import { proposalState, serviceName } from '../../ui/work-queue.js';
import { stageLabels, type FollowupStep, type FollowupTimeline } from './followup-types.js';

export interface TimelineEntry {
  readonly key: string;
  readonly at: string;
  readonly upcoming: boolean;
  /** What happened or will happen, in words. */
  readonly label: string;
  /** More about it, in words. */
  readonly detail?: string;
  /** The EHR's reference behind it (`ServiceRequest/…`, `Appointment/…`), shown only when opened. */
  readonly ref?: string;
  /** A message's text (plain text), when asked for. */
  readonly body?: string;
  readonly proposalId?: string;
}

const intentLabels: Readonly<Record<string, string>> = {
  confirm: 'confirmed',
  cancel: 'asked to cancel',
  reschedule: 'asked to reschedule',
};

/** An appointment's status as the EHR sends it, in words. */
const appointmentWords: Readonly<Record<string, string>> = {
  noshow: 'missed (no-show)',
  fulfilled: 'attended',
  'checked-in': 'checked in',
  'entered-in-error': 'entered in error',
};

/** "SMS", "email": a channel as people say it (not "EMAIL"). */
export function channelName(channel: string): string {
  return channel === 'sms' ? 'SMS' : humanize(channel).toLowerCase();
}

export function timelineEntries(tl: FollowupTimeline): TimelineEntry[] {
  const now = Date.parse(tl.asOf);
  const entries: TimelineEntry[] = [];
  for (const h of tl.history) {
    const e = fromStep(h, tl);
    if (e !== undefined) entries.push({ ...e, key: `h${h.step}`, upcoming: false });
  }
  for (const m of tl.messages) {
    const held = Date.parse(m.notBefore) > now;
    entries.push({
      key: `m${m.id}`,
      at: held ? m.notBefore : m.createdAt,
      upcoming: held,
      label: `${humanize(m.template)} message by ${channelName(m.channel)} (${m.language}): ${humanize(m.status).toLowerCase()}`,
      detail: held ? 'held for quiet hours until this time' : `queued ${formatDateTime(m.createdAt)}`,
      ...(m.body !== undefined ? { body: m.subject !== undefined ? `${m.subject}\n${m.body}` : m.body } : {}),
      ...(m.proposalId !== null ? { proposalId: m.proposalId } : {}),
    });
  }
  for (const r of tl.reminders)
    if (r.status === 'scheduled')
      entries.push({
        key: `r${r.name}`,
        at: r.dueAt,
        upcoming: Date.parse(r.dueAt) > now,
        label: `Reminder planned, ${r.offsetDays} day${r.offsetDays === 1 ? '' : 's'} before the appointment`,
        detail: 'proposed for review when due',
      });
  const f = tl.followup;
  if (f.appointmentStart !== null && Date.parse(f.appointmentStart) > now && f.status === 'running')
    entries.push({
      key: 'appointment',
      at: f.appointmentStart,
      upcoming: true,
      label: 'Appointment',
      detail: serviceName(f.service) ?? 'the recheck visit',
      ...(f.appointmentRef !== null ? { ref: f.appointmentRef } : {}),
    });
  if (f.window !== null && f.status === 'running' && f.stage !== 'booked' && Date.parse(f.window.end) > now)
    entries.push({ key: 'window', at: f.window.end, upcoming: true, label: 'Booking window ends (then overdue)' });
  return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.key.localeCompare(b.key));
}

/** "appointment on Jun 15, 2026, 11:00 AM EDT": the time in the site's zone, with its abbreviation. */
function appointmentOn(start: string): string {
  return `appointment on ${formatDateTime(start)}`;
}

/** A reminder timer (`reminder-<n>-<days>d`) as when it comes: "7 days before the appointment". */
function reminderWhen(name: string): string {
  const days = /-(\d+)d$/.exec(name)?.[1];
  if (days === undefined) return humanize(name);
  return `${days} day${days === '1' ? '' : 's'} before the appointment`;
}

/** Which message a reply answered: its template and when it was queued, else a short id. */
function replyTo(messageId: string, messages: FollowupTimeline['messages']): string {
  const m = messages.find((x) => x.id === messageId);
  return m !== undefined
    ? `to the ${humanize(m.template).toLowerCase()} message of ${formatDateTime(m.createdAt)}`
    : `to message ${messageId.slice(0, 8)}`;
}

function fromStep(h: FollowupStep, tl: FollowupTimeline): Omit<TimelineEntry, 'key' | 'upcoming'> | undefined {
  switch (h.input) {
    case 'start':
      return {
        at: h.occurredAt ?? h.at,
        label: 'Recheck ordered; follow-up started',
        detail: serviceName(tl.followup.service) ?? 'the order names no service',
        ...(h.resource !== null ? { ref: h.resource } : {}),
      };
    case 'signal':
      if (h.signal === 'reply')
        return {
          at: h.occurredAt ?? h.at,
          label: `Patient replied: ${intentLabels[h.intent ?? ''] ?? h.intent ?? 'unclear'}`,
          ...(h.messageId !== null ? { detail: replyTo(h.messageId, tl.messages) } : {}),
        };
      if (h.signal === 'appointment')
        return {
          at: h.occurredAt ?? h.at,
          label: `Appointment ${appointmentWords[h.status ?? ''] ?? h.status ?? 'updated'}`,
          ...(h.start !== null ? { detail: appointmentOn(h.start) } : {}),
          ...(h.resource !== null ? { ref: h.resource } : {}),
        };
      if (h.signal === 'order') return { at: h.occurredAt ?? h.at, label: `Order ${h.status ?? 'updated'}` };
      if (h.signal === 'proposal-outcome')
        return {
          at: h.at,
          label: `Proposal ${h.status ?? 'updated'}${h.tag !== null ? ` (${h.tag})` : ''}`,
          ...(h.proposalId !== null ? { proposalId: h.proposalId } : {}),
        };
      return { at: h.at, label: humanize(h.name) };
    case 'timer':
      if (h.name === 'overdue') return { at: h.occurredAt ?? h.at, label: 'Booking window passed: overdue check' };
      return { at: h.occurredAt ?? h.at, label: 'Reminder due', detail: reminderWhen(h.name) };
    case 'effect':
      return {
        at: h.at,
        label: `Proposal drafted: ${humanize((h.tag ?? h.name).split(':')[0] ?? '')}`,
        // The server brings the status to where the proposal stands now (its latest revision's).
        detail: `now ${proposalState(h.status, h.revisedTo)}`,
        ...(h.revisedTo !== null
          ? { proposalId: h.revisedTo }
          : h.proposalId !== null
            ? { proposalId: h.proposalId }
            : {}),
      };
  }
}

export function stageLabel(stage: string): string {
  return stageLabels[stage] ?? humanize(stage);
}

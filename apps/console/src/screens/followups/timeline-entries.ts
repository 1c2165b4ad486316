/**
 * @module A follow-up's timeline as one list of dated entries: the workflow's history (order,
 * appointment news, replies, proposals, timers), the messages sent, and what is planned (scheduled
 * reminders, the appointment, the booking window's end), each marked past or upcoming against the
 * server's time. Codes and references only; a message's text is added only when it was asked for.
 */
import { humanize } from '../../ui/format.js';
import { proposalState } from '../../ui/work-queue.js';
import { stageLabels, type FollowupStep, type FollowupTimeline } from './followup-types.js';

export interface TimelineEntry {
  readonly key: string;
  readonly at: string;
  readonly upcoming: boolean;
  /** What happened or will happen, in words. */
  readonly label: string;
  /** Codes and references behind it. */
  readonly detail?: string;
  /** A message's text (plain text), when asked for. */
  readonly body?: string;
  readonly proposalId?: string;
}

const intentLabels: Readonly<Record<string, string>> = {
  confirm: 'confirmed',
  cancel: 'asked to cancel',
  reschedule: 'asked to reschedule',
};

/** "SMS", "email": a channel as people say it (not "EMAIL"). */
export function channelName(channel: string): string {
  return channel === 'sms' ? 'SMS' : humanize(channel).toLowerCase();
}

export function timelineEntries(tl: FollowupTimeline): TimelineEntry[] {
  const now = Date.parse(tl.asOf);
  const entries: TimelineEntry[] = [];
  for (const h of tl.history) {
    const e = fromStep(h);
    if (e !== undefined) entries.push({ ...e, key: `h${h.step}`, upcoming: false });
  }
  for (const m of tl.messages) {
    const held = Date.parse(m.notBefore) > now;
    entries.push({
      key: `m${m.id}`,
      at: held ? m.notBefore : m.createdAt,
      upcoming: held,
      label: `${humanize(m.template)} message by ${channelName(m.channel)} (${m.language}): ${humanize(m.status).toLowerCase()}`,
      detail: held ? 'held for quiet hours until this time' : `queued ${m.createdAt}`,
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
      ...(f.appointmentRef !== null ? { detail: f.appointmentRef } : {}),
    });
  if (f.window !== null && f.status === 'running' && f.stage !== 'booked' && Date.parse(f.window.end) > now)
    entries.push({ key: 'window', at: f.window.end, upcoming: true, label: 'Booking window ends (then overdue)' });
  return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.key.localeCompare(b.key));
}

function fromStep(h: FollowupStep): Omit<TimelineEntry, 'key' | 'upcoming'> | undefined {
  switch (h.input) {
    case 'start':
      return {
        at: h.occurredAt ?? h.at,
        label: 'Recheck ordered; follow-up started',
        ...(h.resource !== null ? { detail: h.resource } : {}),
      };
    case 'signal':
      if (h.signal === 'reply')
        return {
          at: h.occurredAt ?? h.at,
          label: `Patient replied: ${intentLabels[h.intent ?? ''] ?? h.intent ?? 'unclear'}`,
          ...(h.messageId !== null ? { detail: `to message ${h.messageId.slice(0, 8)}` } : {}),
        };
      if (h.signal === 'appointment')
        return {
          at: h.occurredAt ?? h.at,
          label: `Appointment ${h.status ?? 'updated'}`,
          ...(h.resource !== null ? { detail: h.resource } : {}),
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
      return { at: h.occurredAt ?? h.at, label: 'Reminder due', detail: h.name };
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

/**
 * @module How a work queue reads and in what order (pure: tested under Node, apps/console/test):
 * what needs action first (overdue, then the soonest due, then the rest, ended last, newest first), a card's
 * title by what it is about (the service the order names) and never by a raw reference, and a
 * proposal's state in words.
 */

/** What the order needs of an item: is it late, has it ended, and when is its next step due. */
export interface Actionable {
  readonly overdue: boolean;
  /** Ended (closed, cancelled): after every open item. Absent: open. */
  readonly ended?: boolean;
  /** When the next step is due (ISO); null when nothing is awaited. */
  readonly dueAt: string | null;
  /** Tie-break: the newer first. */
  readonly createdAt: string;
}

const time = (iso: string | null): number => {
  const t = iso === null ? NaN : Date.parse(iso);
  return Number.isNaN(t) ? Infinity : t;
};

/**
 * Overdue first, then by due time (soonest first; nothing due last), ended ones last, then newest
 * first — the order the server pages referrals (and follow-ups) in, so sorting the pages loaded
 * keeps it; equal items keep the server's order (the sort is stable).
 */
export function byNeedsAction(a: Actionable, b: Actionable): number {
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  if ((a.ended ?? false) !== (b.ended ?? false)) return a.ended === true ? 1 : -1;
  const due = time(a.dueAt) - time(b.dueAt);
  if (due !== 0 && !Number.isNaN(due)) return due;
  return Date.parse(b.createdAt) - Date.parse(a.createdAt);
}

/** A copy sorted by `byNeedsAction`, each item seen through `view`. */
export function sortByNeedsAction<T>(items: readonly T[], view: (item: T) => Actionable): T[] {
  return [...items].sort((a, b) => byNeedsAction(view(a), view(b)));
}

/** A follow-up as the queue orders it: overdue, and due by the appointment or the window's end. */
export function followupActionable(f: {
  readonly overdue: boolean;
  readonly status: string;
  readonly stage: string;
  readonly appointmentStart: string | null;
  readonly window: { readonly end: string } | null;
  readonly createdAt: string;
}): Actionable {
  const open = f.status === 'running';
  const dueAt = !open ? null : f.stage === 'booked' ? f.appointmentStart : (f.window?.end ?? null);
  return { overdue: open && f.overdue, dueAt, createdAt: f.createdAt };
}

/**
 * A referral as the queue orders it (as `GET /referrals` does): overdue (a stage late), ended
 * (closed or cancelled: status no longer running), and when the awaited stage is due.
 */
export function referralActionable(r: {
  readonly overdue: string | null;
  readonly status: string;
  readonly dueAt: string | null;
  readonly createdAt: string;
}): Actionable {
  const ended = r.status !== 'running';
  return { overdue: !ended && r.overdue !== null, ended, dueAt: ended ? null : r.dueAt, createdAt: r.createdAt };
}

/** A service as the order names it, starting with a capital (an EHR often sends a bare code: `recheck`). */
export function serviceName(service: string | null): string | null {
  const s = service?.trim() ?? '';
  return s === '' ? null : s.charAt(0).toUpperCase() + s.slice(1);
}

/** A follow-up's title: the service its order names, never its raw `ServiceRequest/<id>`. */
export function followupTitle(f: { readonly service: string | null; readonly orderRef: string }): string {
  return serviceName(f.service) ?? (f.orderRef.startsWith('Task/') ? 'Recheck task' : 'Recheck');
}

/**
 * A referral's title: where it goes when the directory names the destination (the service is on
 * its own line), else the service asked for, saying the destination is not named yet; never the
 * raw `ServiceRequest/<id>`.
 */
export function referralTitle(r: { readonly service: string | null }, destination: string | null): string {
  return destination !== null
    ? `To ${destination}`
    : `${serviceName(r.service) ?? 'Referral'} (destination not named yet)`;
}

/**
 * "Next reminder" in words: when the next one is planned, else why there is none (not booked yet,
 * opted out, none left before the appointment, or the follow-up ended).
 */
export function nextReminderText(f: {
  readonly nextReminderAt: string | null;
  readonly optedOut: boolean;
  readonly status: string;
  readonly stage: string;
}): string | null {
  if (f.nextReminderAt !== null) return null;
  if (f.status !== 'running') return 'none: the follow-up ended';
  if (f.optedOut) return 'none: the patient opted out of messages';
  if (f.stage !== 'booked') return 'none yet: reminders are planned once the appointment is booked';
  return 'none left before the appointment';
}

const proposalWords: Readonly<Record<string, string>> = {
  drafted: 'being drafted',
  pending_review: 'waiting for review',
  approved: 'approved, being written',
  rejected: 'rejected',
  committed: 'written to the EHR',
  verified: 'written to the EHR and checked',
  conflicted: 'conflict: back to review',
  failed: 'failed',
  rolled_back: 'rolled back',
  superseded: 'replaced',
};

/** Where a proposal stands, in words; an edited one says it was revised. */
export function proposalState(status: string | null, revisedTo: string | null = null): string {
  const words = status === null ? 'status unknown' : (proposalWords[status] ?? status.replace(/_/g, ' '));
  return revisedTo !== null ? `revised; the revision is ${words}` : words;
}

/**
 * @module A handoff in words for the "my work" screen and the intake viewer (pure: tested under
 * Node, apps/console/test): what is asked, what it is about (a link, never a raw id), to whom
 * ("you", a pool, a role), its status ("accepted by Dana", "escalated to …"), when it is due, the
 * order a queue shows (overdue first), the moves its state allows the caller, what a move did, and
 * the server's refusals (HANDOFF_STATE, HANDOFF_NOT_YOURS) said for a person.
 */
import type { Handoff } from '../../api/types.js';
import { formatAge, humanize } from '../../ui/format.js';
import { sortByNeedsAction, type Actionable } from '../../ui/work-queue.js';

/** The handoff kinds intake and referrals raise, in words; another kind is humanized. */
const kindWords: Readonly<Record<string, string>> = {
  'intake.sort': 'Sort a document',
  'intake.match': 'Match a document to its patient',
  'intake.incomplete': 'Chase what a document is missing',
  'intake.follow-up': 'Follow up a document',
  'referral.next-step': 'Next step on a referral',
  'referral.overdue': 'Chase an overdue referral',
  'followup.no-show': 'Call about a missed recheck',
  'followup.not-booked': 'Book a recheck',
};

export function kindLabel(kind: string): string {
  return kindWords[kind] ?? humanize(kind);
}

const roleWords: Readonly<Record<string, string>> = {
  admin: 'administrators',
  compliance_officer: 'compliance officers',
  coordinator: 'coordinators',
  front_desk: 'the front desk',
  clinician_reviewer: 'clinician reviewers',
  automation: 'automation',
  integration: 'integrations',
  agent: 'agents',
};

type Person = Handoff['from'];

/** A person, pool or role as a sentence names them; `me` (the caller's user id) is "you". */
export function personWords(p: Person, me: string): string {
  if (p.kind === 'user' && p.id === me) return 'you';
  if (p.kind === 'pool') return `the ${p.name} pool`;
  if (p.kind === 'role') return roleWords[p.id] ?? humanize(p.id).toLowerCase();
  if (p.kind === 'none') return 'no one';
  // A service (intake's sorting, a workflow) by its name in words: "steward-intake" → "Steward intake".
  if (p.kind === 'service') return humanize(p.name);
  return p.name;
}

/**
 * What is asked beyond its kind's words: the instruction with a leading "<kind words>:" dropped
 * (intake writes "Sort a document: the classifier was not sure …"), so the row does not say it twice.
 */
export function askDetail(h: Pick<Handoff, 'kind' | 'ask'>): string {
  const label = kindLabel(h.kind);
  const ask = h.ask.trim();
  if (!ask.toLowerCase().startsWith(`${label.toLowerCase()}:`)) return ask;
  const rest = ask.slice(label.length + 1).trim();
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

/** Capitalized, for a table cell. */
export function personLabel(p: Person, me: string): string {
  const s = personWords(p, me);
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** What the handoff is about: the words of the link and where it goes (`#/<screen>/<id>` parts). */
export function subjectLink(subject: Handoff['subject']): { readonly label: string; readonly parts: string[] } {
  switch (subject.kind) {
    case 'document':
      return { label: 'Open the document', parts: ['intake', subject.id] };
    case 'referral':
      return { label: 'Open the referral', parts: ['referrals', subject.id] };
    case 'patient':
      return { label: "Open the patient's page", parts: ['patients', subject.id] };
    case 'proposal':
      return { label: 'Open the proposal to review', parts: ['review', subject.id] };
    case 'followup':
      return { label: 'Open the follow-up', parts: ['followups', subject.id] };
  }
}

/** An open handoff: offered, accepted, or declined back to its pool, role or sender. */
export function isOpen(h: Pick<Handoff, 'status'>): boolean {
  return h.status === 'offered' || h.status === 'accepted' || h.status === 'declined';
}

/** Its status in words: "Offered to the intake pool", "Accepted by you", "Escalated to Lena Park". */
export function statusWords(h: Handoff, me: string): string {
  const holder = h.assignee === null ? undefined : personWords(h.assignee, me);
  let s: string;
  switch (h.status) {
    case 'offered':
      s = `Offered to ${personWords(h.to, me)}`;
      break;
    case 'accepted':
      s = `Accepted by ${holder ?? 'someone'}`;
      break;
    case 'done':
      s = holder === undefined ? 'Done' : `Done by ${holder}`;
      break;
    case 'declined':
      s = `Declined, back with ${personWords(h.to, me)}`;
      break;
    case 'expired':
      s = 'Expired: no one took it in time';
      break;
  }
  if (isOpen(h) && h.escalatedTo.length > 0)
    s += `; escalated to ${h.escalatedTo.map((p) => personWords(p, me)).join(', ')}`;
  return s;
}

/** When it is due, relative to `now`: "Overdue by 2 h", "Due in 40 min", "No deadline", "Closed". */
export function dueWords(h: Pick<Handoff, 'dueAt' | 'overdue' | 'status'>, now: number): string {
  if (!isOpen(h)) return 'Closed';
  if (h.dueAt === null) return 'No deadline';
  const delta = Date.parse(h.dueAt) - now;
  if (h.overdue || delta < 0) return `Overdue by ${formatAge(Math.abs(delta))}`;
  return `Due in ${formatAge(delta)}`;
}

/** As the queue orders it: overdue first, then the soonest due, then none due, closed last. */
export function handoffActionable(h: Handoff): Actionable {
  const open = isOpen(h);
  return { overdue: open && h.overdue, ended: !open, dueAt: open ? h.dueAt : null, createdAt: h.createdAt };
}

export function sortHandoffs(items: readonly Handoff[]): Handoff[] {
  return sortByNeedsAction(items, handoffActionable);
}

export type HandoffMove = 'accept' | 'done' | 'decline';

/**
 * The moves the server would allow the caller (`me`) on a handoff they can see in their work or a
 * pool they are in: take an open one nobody holds, finish or give back one they hold (or one
 * offered to them: done without taking it first), nothing on one someone else holds or one closed.
 */
export function movesFor(h: Handoff, me: string): readonly HandoffMove[] {
  if (h.status === 'accepted') return h.assignee?.id === me ? ['done', 'decline'] : [];
  if (h.status === 'offered' || h.status === 'declined') return ['accept', 'done', 'decline'];
  return [];
}

export const moveLabels: Readonly<Record<HandoffMove, string>> = {
  accept: 'Take it',
  done: 'Done',
  decline: 'Decline…',
};

/** What a move did, said after the server answered with the handoff as it is now. */
export function moveResult(move: HandoffMove, after: Handoff, me: string): string {
  const what = `"${kindLabel(after.kind)}"`;
  switch (move) {
    case 'accept':
      return `You took ${what}: it is yours now, and its pool sees that you have it.`;
    case 'done':
      return `${what} is done.`;
    case 'decline':
      return `You declined ${what}: it is back with ${personWords(after.to, me)}.`;
  }
}

/** A refusal in words: someone moved it first, it is not the caller's, or the server's own message. */
export function moveErrorWords(error: { readonly code?: string; readonly message: string }): string {
  if (error.code === 'HANDOFF_STATE')
    return `It has changed since you loaded it (${error.message}); the list is reloaded so you see who has it now.`;
  if (error.code === 'HANDOFF_NOT_YOURS')
    return `This one is not yours to act on (${error.message}): ask whoever holds it, or have it offered to you.`;
  return error.message;
}

/** The count line under a queue. */
export function queueCount(items: readonly Handoff[]): string {
  if (items.length === 0) return 'Nothing here: no handoffs are waiting.';
  const open = items.filter(isOpen).length;
  const overdue = items.filter((h) => isOpen(h) && h.overdue).length;
  return `${open} open handoff${open === 1 ? '' : 's'}${overdue > 0 ? `, ${overdue} overdue` : ''}.`;
}

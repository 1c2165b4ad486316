/** @module Plain-language names for the proposal codes the queue shows. */
import type { ProposalDetail, QueryOf } from '../../api/types.js';
import { humanize } from '../../ui/format.js';

/**
 * The built-in action types, as the API document lists them for the queue's filter. A server with
 * extensions accepts more; their proposals read by their own rendering (`proposalHeading`).
 */
export type ActionType = NonNullable<QueryOf<'/review', 'get'>['actionType']>;

/** Every built-in action type, named (a new one fails the typecheck until it has a name). */
const actions: Readonly<Record<ActionType, string>> = {
  'appointment.status': 'Change appointment status',
  'task.create': 'Create a task',
  'task.update': 'Update a task',
  'service-request.status': 'Change referral/order status',
  'communication.send': 'Send a message to a practice',
  'document-reference.draft': 'File a document draft',
  'reminder.send': 'Send a patient reminder',
};

export function isActionType(value: string): value is ActionType {
  return Object.hasOwn(actions, value);
}

export function actionLabel(action: string): string {
  return isActionType(action) ? actions[action] : humanize(action);
}

/**
 * What an opened proposal is and does, as its action renders it on the server (its definition's
 * `render`), so an extension's action reads right with no console change. A built-in action keeps
 * the name the queue lists it by; a rendering that is only the type (an action no longer
 * registered) falls back to the type in words.
 */
export function proposalHeading(detail: Pick<ProposalDetail, 'action' | 'rendering'>): {
  readonly title: string;
  readonly lines: readonly string[];
} {
  const rendered = detail.rendering.title.trim();
  const title =
    isActionType(detail.action) || rendered === '' || rendered === detail.action
      ? actionLabel(detail.action)
      : rendered;
  return { title, lines: detail.rendering.lines.filter((l) => l.trim() !== '') };
}

export function statusLabel(status: string): string {
  return humanize(status);
}

export const priorityNames: Readonly<Record<number, string>> = {
  1: 'Urgent',
  2: 'High',
  3: 'Normal',
  4: 'Low',
  5: 'Lowest',
};

/** The change a proposal makes, in one line: its rendering's title and lines ("Create a task — status: requested"). */
export function changeLine(
  change: { readonly title: string; readonly lines: readonly string[] } | undefined,
  options: { readonly withTitle?: boolean } = {},
): string | undefined {
  if (change === undefined) return undefined;
  // Joined with semicolons, so a line's own closing stop would double up ("this week.; status").
  const lines = change.lines.map((l) => l.trim().replace(/[.;]$/, '')).filter((l) => l !== '');
  // Beside an Action column the title would say it twice: the lines alone, the title when there are none.
  if (options.withTitle === false) return lines.length > 0 ? lines.join('; ') : change.title;
  return lines.length > 0 ? `${change.title} — ${lines.join('; ')}` : change.title;
}

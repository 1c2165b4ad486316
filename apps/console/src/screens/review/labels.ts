/** @module Plain-language names for the proposal codes the queue shows. */
import type { ProposalSummary } from '../../api/types.js';
import { humanize } from '../../ui/format.js';

export type ActionType = ProposalSummary['action'];

/** Every action type the API declares, named (a new one fails the typecheck until it has a name). */
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

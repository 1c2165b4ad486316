/**
 * @module Steward's own actions, declared with `defineAction` like any deployment's: five EHR writes
 * (through the one EHR writer) and two messages (through the messaging committer).
 */
import { s } from '@steward/core';
import {
  ActionRegistry,
  defineAction,
  type ActionDefinition,
  type ActionField,
  type ActionRendering,
} from './define-action.js';

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const statusLine = (p: Readonly<Record<string, unknown>>): string[] =>
  typeof p['status'] === 'string' ? [`status: ${p['status']}`] : [];
const described = (title: string, p: Readonly<Record<string, unknown>>, field: string): ActionRendering => {
  // What it is about, in words: the field named, else the resource's code as text (a Task's "Book recheck").
  const what = text(p[field]) !== '' ? text(p[field]) : codeText(p['code']);
  return { title, lines: [...(what !== '' ? [what] : []), ...statusLine(p)] };
};
const codeText = (code: unknown): string => {
  if (code === null || typeof code !== 'object') return '';
  const c = code as { text?: unknown; coding?: unknown };
  if (typeof c.text === 'string') return c.text;
  const first: unknown = Array.isArray(c.coding) ? c.coding[0] : undefined;
  return first !== null && typeof first === 'object' ? text((first as { display?: unknown }).display) : '';
};

// The form fields a reviewer edits, with FHIR R4's value sets for the coded ones.
const choice = (path: string, label: string, options: readonly string[]): ActionField => ({
  path,
  label,
  kind: 'choice',
  options,
});
const note: ActionField = { path: 'note/0/text', label: 'Note', kind: 'long-text' };
const taskFields: readonly ActionField[] = [
  choice('status', 'Status', [
    'draft',
    'requested',
    'received',
    'accepted',
    'rejected',
    'ready',
    'cancelled',
    'in-progress',
    'on-hold',
    'failed',
    'completed',
    'entered-in-error',
  ]),
  choice('priority', 'Priority', ['routine', 'urgent', 'asap', 'stat']),
  { path: 'description', label: 'Description', kind: 'long-text' },
  { path: 'restriction/period/end', label: 'Due by', kind: 'date-time', help: 'When the task must be done.' },
  note,
];
const messageFields: readonly ActionField[] = [
  {
    path: 'channel',
    label: 'Channel',
    kind: 'text',
    help: 'How it is sent (the template and the recipient stay as drafted).',
  },
];

/** A message proposal's payload: references, codes and times only; the committer renders the text. */
export const messagePayload = s.object({
  template: s.string().optional(),
  channel: s.string().optional(),
  start: s.string().optional(),
  zone: s.string().optional(),
  correlationKey: s.string().optional(),
});

/**
 * A message as a reviewer reads it on the queue: the template's id in words and the channel
 * (`referral-overdue-received` by sms → "Referral overdue received, by sms"); the text itself is
 * rendered only by the committer.
 */
function messageLines(p: { readonly template?: string | undefined; readonly channel?: string | undefined }): string[] {
  if (p.template === undefined) return [];
  const words = p.template.replace(/[-_]+/g, ' ').trim();
  return [`${words.charAt(0).toUpperCase()}${words.slice(1)}${p.channel !== undefined ? `, by ${p.channel}` : ''}`];
}

/** What a sent message cannot do, said before approval. */
export const unsentable = 'a message, once sent, cannot be recalled';

export const appointmentStatus = defineAction({
  type: 'appointment.status',
  commit: { via: 'ehr', resourceType: 'Appointment', write: 'update' },
  payload: s.object({ status: s.string() }),
  render: (p) => ({ title: 'Change the appointment status', lines: [`status: ${p.status}`] }),
  reversible: true,
  fields: [
    choice('status', 'Status', [
      'proposed',
      'pending',
      'booked',
      'arrived',
      'fulfilled',
      'cancelled',
      'noshow',
      'entered-in-error',
      'checked-in',
      'waitlist',
    ]),
    { path: 'comment', label: 'Comment', kind: 'long-text' },
  ],
});

export const taskCreate = defineAction({
  type: 'task.create',
  commit: { via: 'ehr', resourceType: 'Task', write: 'create' },
  payload: s.object({}),
  render: (p) => described('Create a task', p, 'description'),
  reversible: true,
  compensation: { status: 'cancelled' },
  fields: taskFields,
});

export const taskUpdate = defineAction({
  type: 'task.update',
  commit: { via: 'ehr', resourceType: 'Task', write: 'update' },
  payload: s.object({}),
  render: (p) => described('Update a task', p, 'description'),
  reversible: true,
  fields: taskFields,
});

export const serviceRequestStatus = defineAction({
  type: 'service-request.status',
  commit: { via: 'ehr', resourceType: 'ServiceRequest', write: 'update' },
  payload: s.object({}),
  // What the request is for, why (the drafter's last note: "Close the referral: consult note received"), and the status.
  render: (payload) => {
    const p = payload as Readonly<Record<string, unknown>>;
    const notes = Array.isArray(p['note']) ? (p['note'] as { text?: unknown }[]) : [];
    const why = text(notes.at(-1)?.text);
    const what = codeText(p['code']);
    return {
      title: 'Change the referral status',
      lines: [...(what !== '' ? [what] : []), ...(why !== '' ? [why] : []), ...statusLine(p)],
    };
  },
  reversible: true,
  fields: [
    choice('status', 'Status', ['draft', 'active', 'on-hold', 'revoked', 'completed', 'entered-in-error', 'unknown']),
    note,
  ],
});

export const documentReferenceDraft = defineAction({
  type: 'document-reference.draft',
  commit: { via: 'ehr', resourceType: 'DocumentReference', write: 'create' },
  // Preliminary only: a clinician finalises notes in the EHR.
  payload: s.object({ docStatus: s.literal('preliminary') }),
  render: (p) => described('Draft a note', p, 'description'),
  reversible: true,
  compensation: { status: 'entered-in-error' },
  fields: [{ path: 'description', label: 'Description', kind: 'long-text' }],
});

export const communicationSend = defineAction({
  type: 'communication.send',
  commit: { via: 'channel' },
  payload: messagePayload,
  render: (p) => ({ title: 'Send a message', lines: messageLines(p) }),
  reversible: false,
  irreversibleReason: unsentable,
  fields: messageFields,
});

export const reminderSend = defineAction({
  type: 'reminder.send',
  commit: { via: 'channel' },
  payload: messagePayload,
  render: (p) => ({ title: 'Send a reminder', lines: messageLines(p) }),
  reversible: false,
  irreversibleReason: unsentable,
  fields: messageFields,
});

export const builtinActionDefinitions: readonly ActionDefinition[] = [
  appointmentStatus,
  taskCreate,
  taskUpdate,
  serviceRequestStatus,
  documentReferenceDraft,
  communicationSend,
  reminderSend,
];

/** The registry of the built-in actions; a deployment adds its own with `builtinActions.with([...])`. */
export const builtinActions = new ActionRegistry(builtinActionDefinitions);

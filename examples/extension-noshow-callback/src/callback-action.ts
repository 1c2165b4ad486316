/**
 * @module The example's own action: a call-back task in the EHR after a missed appointment. An EHR
 * create, written by Steward's one EHR writer like the built-in actions; withdrawn on rollback by
 * cancelling the task (its compensation).
 */
import { s } from '@steward/core';
import { defineAction } from '@steward/proposals';

/** The task's code: what the clinic's work lists filter on. */
export const CALLBACK_CODE = { system: 'urn:example:clinic-tasks', code: 'no-show-callback' } as const;

export const callbackTaskCreate = defineAction({
  type: 'callback-task.create',
  commit: { via: 'ehr', resourceType: 'Task', write: 'create' },
  // Beyond the generic rules (a Task, no id): it is a requested call-back, for the patient, about the appointment.
  payload: s.object({
    status: s.literal('requested'),
    intent: s.literal('order'),
    description: s.string({ maxLength: 200 }),
    for: s.object({ reference: s.string({ pattern: /^Patient\/[A-Za-z0-9.-]{1,64}$/ }) }),
    focus: s.object({ reference: s.string({ pattern: /^Appointment\/[A-Za-z0-9.-]{1,64}$/ }) }),
  }),
  render: (p) => ({
    title: 'Call the patient back after a missed appointment',
    lines: [p.description, p.focus.reference],
  }),
  reversible: true,
  compensation: { status: 'cancelled' },
});

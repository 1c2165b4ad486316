/** @module Appointment follow-up sequencing: the workflow, its route, its schedule rules, its lists and figures. */
export {
  followupWorkflow,
  followupWorkflowV1,
  followupHandoffKinds,
  defaultFollowupSettings,
  followupStages,
  FOLLOWUP,
} from './followup-workflow.js';
export type { FollowupState, FollowupStage } from './followup-workflow.js';
export { followupStart, appointmentSignal, orderSignal, replySignal, followupSignalNames } from './followup-signals.js';
export type {
  FollowupSettings,
  FollowupStart,
  AppointmentSignal,
  OrderSignal,
  ReplySignal,
  FollowupSignalName,
} from './followup-signals.js';
export { followupRoute, followupKey, orderRefOf, isRecheckOrder, recheckCodes } from './followup-route.js';
export type { FollowupRouteOptions } from './followup-route.js';
export { planReminders, nextAllowed, inQuietHours, instantOf } from './reminder-schedule.js';
export type { QuietHours, PlannedReminder, ReminderPlanInput } from './reminder-schedule.js';
export { listFollowups, followupFigures } from './followup-queries.js';
export type { FollowupFilter, FollowupItem, FollowupFigures, StageFigure } from './followup-queries.js';

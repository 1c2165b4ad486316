/** @module Actions: what a proposal does, declared with `defineAction`, and the registry the desk and the applier read. */
export { defineAction, ActionRegistry } from './define-action.js';
export type {
  ActionDefinition,
  ActionField,
  ActionRendering,
  EhrCommit,
  ChannelCommitSpec,
  PayloadOf,
} from './define-action.js';
export {
  builtinActions,
  builtinActionDefinitions,
  messagePayload,
  unsentable,
  appointmentStatus,
  taskCreate,
  taskUpdate,
  serviceRequestStatus,
  documentReferenceDraft,
  communicationSend,
  reminderSend,
} from './builtin-actions.js';

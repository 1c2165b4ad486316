/** @module Actions: what a proposal does, declared with `defineAction`, and the registry the desk and the applier read. */
import { builtinActions } from './builtin-actions.js';

export { defineAction, ActionRegistry } from './define-action.js';
export type { ActionDefinition, ActionRendering, EhrCommit, ChannelCommitSpec, PayloadOf } from './define-action.js';
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

/** The built-in action types (a deployment's own are in its registry: `ActionRegistry.types()`). */
export const actionTypes: readonly string[] = builtinActions.types();
/** The built-in channel action types. */
export const channelActionTypes: readonly string[] = builtinActions.channelTypes();

/** Whether `value` is a built-in action type. */
export function isActionType(value: string): boolean {
  return builtinActions.has(value);
}

/** Whether a built-in action type is committed through a channel (not the EHR). */
export function isChannelAction(action: string): boolean {
  return builtinActions.has(action) && builtinActions.isChannel(action);
}

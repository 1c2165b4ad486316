/**
 * @module An example extension: a deployment's own workflow (call back after a missed appointment)
 * and its own action (`callback-task.create`), added to Steward without forking it. Pass it to the
 * server: `startServer(config, logger, { extensions: [noshowCallbackExtension] })`. docs/extending.md.
 */
import type { StewardExtension } from '@steward/server';
import { callbackTaskCreate } from './callback-action.js';
import { noshowCallbackPackage } from './callback-workflow.js';

export { callbackTaskCreate, CALLBACK_CODE } from './callback-action.js';
export {
  noshowCallbackWorkflow,
  noshowCallbackRoute,
  noshowCallbackPackage,
  callbackStart,
  NOSHOW_CALLBACK,
} from './callback-workflow.js';
export type { CallbackStart, CallbackState } from './callback-workflow.js';

export const noshowCallbackExtension: StewardExtension = {
  name: 'example-noshow-callback',
  actions: [callbackTaskCreate],
  workflows: [noshowCallbackPackage],
};

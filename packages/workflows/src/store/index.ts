/** @module The workflows' store as the composition root hands it out (engines, routers, merge lookups). */
export { workflowStore } from './workflow-store.js';
export type { WorkflowStore } from './workflow-store.js';

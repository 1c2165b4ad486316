/** @module Workflows in the server: engine, worker, event router, proposal drafting and the background applier. */
export { startWorkflowRuntime } from './workflow-runtime.js';
export type { WorkflowRuntime, WorkflowRuntimeOptions } from './workflow-runtime.js';
export { workflowCatalog } from './catalog.js';
export type { WorkflowCatalog } from './catalog.js';

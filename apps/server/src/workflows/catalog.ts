/** @module Which workflows this Steward runs, and the routes that feed them from EHR events. */
import type { Route, WorkflowDefinition } from '@steward/workflows';

export const workflowCatalog: {
  readonly definitions: readonly WorkflowDefinition[];
  readonly routes: readonly Route[];
} = { definitions: [], routes: [] };

/** @module Which workflows this Steward runs, and the routes that feed them from EHR events. */
import {
  createReferralRoute,
  followupRoute,
  followupWorkflow,
  referralWorkflow,
  type Route,
  type WorkflowDefinition,
} from '@steward/workflows';
import type { Kernel } from '../kernel.js';

export interface WorkflowCatalog {
  readonly definitions: readonly WorkflowDefinition[];
  readonly routes: readonly Route[];
}

export function workflowCatalog(kernel: Kernel): WorkflowCatalog {
  // Workflow state keeps the site, so lists and reports filter and authorize by it.
  const siteOf = async (connectionId: string): Promise<string | undefined> =>
    (await kernel.connections.get(connectionId).catch(() => undefined))?.site;
  return {
    definitions: [referralWorkflow, followupWorkflow],
    routes: [createReferralRoute({ siteOf }), followupRoute({ siteOf })],
  };
}

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
  // Workflow state keeps the site, so lists and reports filter and authorize by it. A connection's
  // site never changes, so it is read once per connection, not once per routed event.
  const sites = new Map<string, Promise<string | undefined>>();
  const siteOf = (connectionId: string): Promise<string | undefined> => {
    let site = sites.get(connectionId);
    if (site === undefined) {
      site = kernel.connections.get(connectionId).then(
        (c) => c.site,
        () => undefined,
      );
      sites.set(connectionId, site);
    }
    return site;
  };
  return {
    definitions: [referralWorkflow, followupWorkflow],
    // Referral rules are read per request (one indexed row), so a site's change applies to the next message.
    routes: [
      createReferralRoute({ siteOf, rulesOf: (id) => kernel.referralRules.effectiveFor(id) }),
      followupRoute({ siteOf }),
    ],
  };
}

/**
 * @module Which workflows this Steward runs: the built-in workflow packages and the extensions', in
 * one catalog (definitions, the routes that feed them from EHR events, their effects).
 */
import { builtinWorkflowPackages, WorkflowCatalog, type WorkflowPackage } from '@steward/workflows';
import type { Kernel } from '../kernel.js';

export type { WorkflowCatalog };

export function workflowCatalog(
  kernel: Kernel,
  packages: readonly WorkflowPackage[] = [...builtinWorkflowPackages, ...kernel.workflowPackages],
): WorkflowCatalog {
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
  // Referral rules are read per request (one indexed row), so a site's change applies to the next message.
  return new WorkflowCatalog(packages, { siteOf, referralRulesOf: (id) => kernel.referralRules.effectiveFor(id) });
}

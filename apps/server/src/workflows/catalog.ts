/**
 * @module Which workflows this Steward runs: the built-in workflow packages and the extensions', in
 * one catalog (definitions, the routes that feed them from EHR events, their effects).
 */
import { builtinWorkflowPackages, handoffRaiser, WorkflowCatalog, type WorkflowPackage } from '@steward/workflows';
import { NotFoundError } from '@steward/core';
import type { Kernel } from '../kernel.js';
import { localServiceAccount } from '../local-accounts.js';
import { handoffOwners, mirrorTasksAt } from './handoff-owners.js';

export type { WorkflowCatalog };

/**
 * A connection's site, for workflow state (lists and reports filter and authorize by it). A
 * connection's site never changes, so it is read once per connection, not once per routed event.
 * A connection that is gone has no site; any other failure (the store did not answer) is thrown,
 * so the router's round fails, is logged and is retried, and it is not remembered.
 */
export function connectionSites(
  connections: Pick<Kernel['connections'], 'get'>,
): (connectionId: string) => Promise<string | undefined> {
  const sites = new Map<string, Promise<string | undefined>>();
  return (connectionId) => {
    let site = sites.get(connectionId);
    if (site === undefined) {
      site = connections.get(connectionId).then(
        (c) => c.site,
        (e: unknown) => {
          if (e instanceof NotFoundError) return undefined;
          sites.delete(connectionId);
          throw e;
        },
      );
      sites.set(connectionId, site);
    }
    return site;
  };
}

export function workflowCatalog(
  kernel: Kernel,
  packages: readonly WorkflowPackage[] = [...builtinWorkflowPackages, ...kernel.workflowPackages],
  /** The sites whose workflows mirror handoffs to the EHR as FHIR Tasks (STEWARD_HANDOFF_TASK_MIRROR; `*`: all). */
  settings: { readonly taskMirrorSites?: readonly string[] } = {},
): WorkflowCatalog {
  const siteOf = connectionSites(kernel.connections);
  // Escalations act as the workflows' account (automation), made once on first use.
  let account: ReturnType<typeof localServiceAccount> | undefined;
  const asWorkflows = async () => ({
    actor: await (account ??= localServiceAccount(kernel, 'steward-workflows', 'automation', 'HOPERAT')),
  });
  // Referral rules are read per request (one indexed row), so a site's change applies to the next message.
  return new WorkflowCatalog(packages, {
    siteOf,
    referralRulesOf: (id) => kernel.referralRules.effectiveFor(id),
    // Read when a workflow starts (one indexed row), so a site's change applies to the next workflow.
    siteClockOf: (site) => kernel.sites.clockOf(site),
    // In or out of network from the clinic directory, asked as the connection's own account.
    networkOf: async (id, participants) => {
      const c = await kernel.connections.get(id);
      const views = await kernel.directory.describe(
        { actor: kernel.connections.actorOf(c), sourceAddress: 'workflow-router' },
        id,
        participants.map((p) => ({
          kind: p.kind,
          ref: p.ehrId !== undefined ? `${p.kind}/${p.ehrId}` : null,
          identifier: p.identifiers[0] !== undefined ? `${p.identifiers[0].system}|${p.identifiers[0].value}` : null,
        })),
      );
      return views.map((v) => v.network);
    },
    // A referral's number from the other channel: the same person (merges followed) at the same site.
    patientIdsOf: (id) => kernel.patients.idsOfPerson(id),
    // Workflows' handoffs: raised, closed and escalated as the workflows' account; an owner named by the
    // EHR is the staff member who is that practitioner at the site (handoff-owners.ts).
    handoffs: handoffRaiser({
      service: kernel.handoffs,
      ctx: asWorkflows,
      ...handoffOwners(kernel, asWorkflows),
    }),
    mirrorTasksOf: (site) => Promise.resolve(mirrorTasksAt(settings.taskMirrorSites ?? [], site)),
    siteConnectionsOf: async (id) => {
      const site = await siteOf(id);
      if (site === undefined) return [id];
      const all = await kernel.connections.all();
      return [id, ...all.filter((c) => c.site === site && c.id !== id).map((c) => c.id)];
    },
  });
}

/**
 * @module Who owns a workflow's handoff at a site, from the clinic model: the staff member who is the
 * practitioner the EHR names as the work's owner (a referral's requester, a recheck's orderer), by
 * their NPI or by the directory entry the EHR reference resolves to; else the site's owner pool (when
 * it has members). Read as the workflows' account (staff.read, directory.read), outside decide.
 */
import type { RequestContext } from '@steward/core';
import type { HandoffRaiserDeps } from '@steward/workflows';
import type { Kernel } from '../kernel.js';

const NPI_SYSTEM = 'http://hl7.org/fhir/sid/us-npi';

export function handoffOwners(
  kernel: Pick<Kernel, 'staff' | 'sites' | 'directory' | 'connections' | 'workflowStore'>,
  ctx: () => Promise<RequestContext>,
): Pick<HandoffRaiserDeps, 'ownerAt' | 'ownerPoolOf' | 'patientOf'> {
  return {
    ownerAt: async (site, owner) => {
      const practitioners = (await kernel.staff.list(await ctx(), { site })).filter((m) => m.practitioner !== null);
      if (practitioners.length === 0) return undefined;
      const keys = new Set<string>();
      if (owner.identifier?.startsWith(`${NPI_SYSTEM}|`) === true)
        keys.add(owner.identifier.slice(NPI_SYSTEM.length + 1));
      if (owner.connectionId !== null && (owner.ref !== null || owner.identifier !== null)) {
        const connection = await kernel.connections.get(owner.connectionId);
        const [view] = await kernel.directory.describe(
          { actor: kernel.connections.actorOf(connection), sourceAddress: 'workflow-handoffs' },
          owner.connectionId,
          [{ kind: owner.ref?.split('/')[0] ?? 'Practitioner', ref: owner.ref, identifier: owner.identifier }],
        );
        if (view?.entryId !== null && view?.entryId !== undefined) keys.add(view.entryId);
      }
      return practitioners.find((m) => m.practitioner !== null && keys.has(m.practitioner))?.userId;
    },
    ownerPoolOf: async (site) => {
      const pool = (await kernel.sites.get(site))?.ownerPool ?? null;
      return pool !== null && (await kernel.staff.membersOf(pool)).length > 0 ? pool : undefined;
    },
    patientOf: (eventId) => kernel.workflowStore.eventPatient(eventId),
  };
}

/** Whether a site mirrors handoffs as FHIR Tasks (`*`: every site). */
export function mirrorTasksAt(sites: readonly string[], site: string | null): boolean {
  return sites.includes('*') || (site !== null && sites.includes(site));
}

/**
 * @module Who owns a workflow's handoff at a site, from the clinic model: the staff member who is the
 * practitioner the EHR names as the work's owner (a referral's requester, a recheck's orderer), by
 * their NPI or by the directory entry the EHR reference resolves to; else the site's owner pool (when
 * it has members). Read as the workflows' account (staff.read, directory.read), outside decide.
 */
import { NotFoundError, type RequestContext } from '@steward/core';
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
        const entry = await entryOf(kernel, owner.connectionId, owner.ref, owner.identifier);
        if (entry !== undefined) keys.add(entry);
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

/** The directory entry an EHR reference or identifier names on a connection (a connection gone: none). */
async function entryOf(
  kernel: Pick<Kernel, 'directory' | 'connections'>,
  connectionId: string,
  ref: string | null,
  identifier: string | null,
): Promise<string | undefined> {
  let connection;
  try {
    connection = await kernel.connections.get(connectionId);
  } catch (e) {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  }
  const [view] = await kernel.directory.describe(
    { actor: kernel.connections.actorOf(connection), sourceAddress: 'workflow-handoffs' },
    connectionId,
    [{ kind: ref?.split('/')[0] ?? 'Practitioner', ref, identifier }],
  );
  return view?.entryId ?? undefined;
}

/** Whether a site mirrors handoffs as FHIR Tasks (`*`: every site). */
export function mirrorTasksAt(sites: readonly string[], site: string | null): boolean {
  return sites.includes('*') || (site !== null && sites.includes(site));
}

/**
 * @module Intake's `ReferralLinks` over the referral service and the governed EHR reader: a patient's
 * referrals at a site (the referral worklist, read as the caller, audited as a search naming the
 * patient), each with its destination as the directory names it and its owner as a staff member when
 * the owner's directory entry is one's practitioner; and a request's current version in the EHR, for
 * the proposal that completes it.
 */
import type { RequestContext } from '@steward/core';
import type { EhrReader } from '@steward/ehr';
import type { StaffService } from '@steward/clinic';
import type { ReferralCandidate, ReferralLinks } from '@steward/intake';
import type { ReferralItem, ReferralService } from '@steward/workflows';

export function intakeReferralLinks(deps: {
  readonly referrals: Pick<ReferralService, 'list'>;
  readonly staff: Pick<StaffService, 'byPractitioner'>;
  readonly ehr: Pick<EhrReader, 'read'>;
}): ReferralLinks {
  const candidate = async (item: ReferralItem): Promise<ReferralCandidate> => {
    const owner =
      item.site !== null && item.requester?.entryId != null
        ? await deps.staff.byPractitioner(item.site, [item.requester.entryId])
        : undefined;
    return {
      id: item.workflowId,
      site: item.site,
      connectionId: item.connectionId,
      serviceRequest: item.serviceRequest,
      stage: item.stage,
      ended: item.status !== 'running' || item.ending !== null,
      service: item.service,
      destination:
        item.destination === null
          ? null
          : {
              name: item.destination.name,
              organization: item.destination.organization,
              service: item.destination.service,
            },
      ownerStaff: owner?.userId ?? null,
    };
  };
  return {
    ofPatient: async (ctx: RequestContext, site: string, patientId: string) => {
      const { items } = await deps.referrals.list(ctx, { site, patientIds: [patientId], limit: 50 });
      return Promise.all(items.map(candidate));
    },
    byId: async (ctx: RequestContext, site: string, id: string) => {
      const { items } = await deps.referrals.list(ctx, { site, workflowId: id, limit: 1 });
      return items[0] !== undefined ? candidate(items[0]) : undefined;
    },
    currentRequest: async (ctx: RequestContext, connectionId: string, serviceRequest: string) => {
      const id = serviceRequest.slice('ServiceRequest/'.length);
      const current = await deps.ehr.read(ctx, connectionId, { resourceType: 'ServiceRequest', id });
      return current.versionId !== undefined ? { resource: current.resource, versionId: current.versionId } : undefined;
    },
  };
}

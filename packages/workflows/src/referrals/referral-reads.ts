/**
 * @module The governed reads the API and the CLI share: `phi.search` is enforced at the site
 * asked for (without a site, only a grant for every site passes), then the list or figures are
 * read. The rows hold no PHI, but which referrals exist, where and how late is operational
 * information about patients' care, so it is read under the same permission as a search.
 */
import type { RequestContext } from '@steward/core';
import type { PolicyDecisionPoint } from '@steward/governance';
import type { Sql } from '@steward/store';
import {
  listReferrals,
  referralFigures,
  type ReferralFigureFilter,
  type ReferralFigures,
  type ReferralListFilter,
  type ReferralPage,
} from './referral-queries.js';

export interface ReferralReadDeps {
  readonly db: Sql;
  readonly policy: Pick<PolicyDecisionPoint, 'enforce'>;
}

export async function searchReferrals(
  deps: ReferralReadDeps,
  ctx: RequestContext,
  filter: ReferralListFilter,
): Promise<ReferralPage> {
  await deps.policy.enforce(ctx, 'phi.search', filter.site !== undefined ? { site: filter.site } : {});
  return listReferrals(deps.db, filter);
}

export async function reportReferrals(
  deps: ReferralReadDeps,
  ctx: RequestContext,
  filter: ReferralFigureFilter,
): Promise<ReferralFigures> {
  await deps.policy.enforce(ctx, 'phi.search', filter.site !== undefined ? { site: filter.site } : {});
  return referralFigures(deps.db, filter);
}

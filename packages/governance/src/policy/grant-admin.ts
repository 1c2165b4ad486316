/**
 * @module Governed grant administration: each method takes the request context first, asks the
 * decision point for `grants.manage` (a denial is audited and answered FORBIDDEN), then adds,
 * lists or revokes through the grant store, which audits each change. A grant names a site the
 * site check accepts (a configured site once any is; see site-check.ts).
 */
import { ValidationError, type RequestContext } from '@steward/core';
import type { PolicyDecisionPoint } from './decision-point.js';
import type { Grant, GrantStore, NewGrant } from './grants.js';
import { anySite, type SiteCheck } from './site-check.js';

export class GrantAdmin {
  constructor(
    private readonly policy: PolicyDecisionPoint,
    private readonly grants: GrantStore,
    private readonly sites: SiteCheck = anySite,
    /** Whether an action type is one this server's proposals know (the action registry); default any. */
    private readonly isActionType: (type: string) => boolean = () => true,
  ) {}

  /** A role, scoped by site and workflow, for a purpose of use; for a drafting role, optionally to action types. */
  async add(ctx: RequestContext, grant: NewGrant): Promise<Grant> {
    await this.policy.enforce(ctx, 'grants.manage');
    await this.sites.assertUsable(grant.site);
    const unknown = (grant.actionTypes ?? []).filter((t) => !this.isActionType(t));
    if (unknown.length > 0)
      throw new ValidationError('invalid grant', [
        { path: 'actionTypes', message: `not an action type this server knows: ${unknown.join(', ')}` },
      ]);
    return this.grants.add(ctx.actor, grant);
  }

  /** Live grants only. */
  async list(ctx: RequestContext): Promise<Grant[]> {
    await this.policy.enforce(ctx, 'grants.manage');
    return this.grants.list();
  }

  /** Effective at once. */
  async revoke(ctx: RequestContext, grantId: string): Promise<void> {
    await this.policy.enforce(ctx, 'grants.manage');
    await this.grants.revoke(ctx.actor, grantId);
  }
}

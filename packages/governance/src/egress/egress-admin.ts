/**
 * @module Governed egress administration: each method takes the request context first, asks the
 * decision point for `egress.manage` (a denial is audited and answered FORBIDDEN), then lists or
 * registers through the registry, which audits each change.
 */
import type { RequestContext } from '@steward/core';
import type { EgressDestination, EgressRegistry, NewDestination } from './egress-registry.js';

/** What this service asks of the policy decision point (which sits beside egress, not below it). */
export interface EgressPolicy {
  enforce(ctx: RequestContext, action: 'egress.manage', scope: object): Promise<unknown>;
}

export class EgressAdmin {
  constructor(
    private readonly policy: EgressPolicy,
    private readonly egress: Pick<EgressRegistry, 'list' | 'register'>,
  ) {}

  /** The destinations in use (disabled ones left out), by name. */
  async list(ctx: RequestContext): Promise<EgressDestination[]> {
    await this.policy.enforce(ctx, 'egress.manage', {});
    return this.egress.list();
  }

  /** A new destination with its BAA status; audited as a configuration change. */
  async register(ctx: RequestContext, destination: NewDestination): Promise<EgressDestination> {
    await this.policy.enforce(ctx, 'egress.manage', {});
    return this.egress.register(ctx.actor, destination);
  }
}

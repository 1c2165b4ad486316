/**
 * @module Break-glass as governed acts, request context first. Starting an episode is the user's
 * own act: the store refuses (and audits) a user not eligible for it. Listing and reviewing
 * episodes need `break_glass.review` (a denial is audited and answered FORBIDDEN); the review is
 * audited by the store.
 */
import type { RequestContext } from '@steward/core';
import type { BreakGlassEpisode, BreakGlassStore } from './break-glass.js';
import type { PolicyDecisionPoint } from './decision-point.js';

export class BreakGlassService {
  constructor(
    private readonly policy: Pick<PolicyDecisionPoint, 'enforce'>,
    private readonly store: Pick<BreakGlassStore, 'start' | 'list' | 'review'>,
  ) {}

  /** Time-boxed emergency access at a site, for the caller (reason required; loudly audited). */
  start(ctx: RequestContext, request: { site: string; reason: string; minutes?: number }): Promise<BreakGlassEpisode> {
    return this.store.start(ctx.actor, request);
  }

  /** Episodes for review, newest first; only those not yet reviewed with `unreviewedOnly`. */
  async list(ctx: RequestContext, filter: { readonly unreviewedOnly?: boolean } = {}): Promise<BreakGlassEpisode[]> {
    await this.policy.enforce(ctx, 'break_glass.review', {});
    return this.store.list({ unreviewedOnly: filter.unreviewedOnly === true });
  }

  /** The compliance review of an episode, with its note (sealed). */
  async review(ctx: RequestContext, episodeId: string, note: string): Promise<void> {
    await this.policy.enforce(ctx, 'break_glass.review', {});
    await this.store.review(ctx.actor, episodeId, note);
  }
}

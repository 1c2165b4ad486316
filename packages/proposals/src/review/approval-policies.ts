/**
 * @module Approval policies: for each action type, whether proposals of it are approved
 * automatically when drafted (`auto`: say, a reminder with no clinical content) or need a person,
 * optionally of named roles (`review`). Set by a compliance officer (`approval_policy.manage`),
 * audited (`approval_policy.changed`), versioned and append-only: a proposal approved
 * automatically records the version that approved it. No wildcard: a policy names exactly one
 * action type, so it never covers an action type it does not name. With no policy, an action
 * type needs review by anyone who may decide at the site.
 */
import { ValidationError, roles as allRoles, type RequestContext, type Role } from '@steward/core';
import { roleAllows } from '@steward/governance';
import type { ActionType } from '../model/index.js';
import { ProposalStore, type PolicyRow } from '../store/index.js';
import { actionsOf, actorOf, clockOf, type ProposalDeps } from './review-context.js';

export interface ApprovalPolicyInput {
  readonly actionType: ActionType;
  readonly mode: 'auto' | 'review';
  /** For `review`: the roles that may approve (any of them); empty or absent for any reviewer. */
  readonly roles?: readonly Role[];
}

export interface ApprovalPolicy {
  readonly version: number;
  readonly actionType: ActionType;
  readonly mode: 'auto' | 'review';
  readonly roles: readonly Role[];
  readonly setBy: { readonly kind: string; readonly id: string };
  readonly setAt: Date;
}

export class ApprovalPolicies {
  private readonly store: ProposalStore;

  constructor(private readonly deps: ProposalDeps) {
    this.store = new ProposalStore(deps.db, deps.cipher);
  }

  async set(ctx: RequestContext, input: ApprovalPolicyInput): Promise<ApprovalPolicy> {
    const decision = await this.deps.policy.enforce(ctx, 'approval_policy.manage');
    const roles = [...new Set(input.roles ?? [])];
    const problems: { path: string; message: string }[] = [];
    if (typeof input.actionType !== 'string' || !actionsOf(this.deps).has(input.actionType))
      problems.push({ path: 'actionType', message: 'one known action type; wildcards are not accepted' });
    if (input.mode !== 'auto' && input.mode !== 'review') problems.push({ path: 'mode', message: 'auto or review' });
    if (input.mode === 'auto' && roles.length > 0)
      problems.push({ path: 'roles', message: 'an auto policy names no roles' });
    for (const r of roles) {
      if (!(allRoles as readonly string[]).includes(r) || !roleAllows(r, 'review.decide'))
        problems.push({ path: 'roles', message: 'roles that may decide reviews' });
    }
    if (problems.length > 0) throw new ValidationError('invalid approval policy', problems);
    const now = clockOf(this.deps).now();
    const row = await this.deps.audit.transact(
      (tx) =>
        this.store.insertPolicy(tx, {
          actionType: input.actionType,
          mode: input.mode,
          roles,
          by: actorOf(ctx),
          at: now,
        }),
      (r) => [
        {
          actor: ctx.actor,
          event: 'approval_policy.changed',
          action: 'U',
          outcome: 'success',
          entity: { kind: 'ApprovalPolicy', id: input.actionType, version: Number(r.version) },
          fields: [input.mode, ...roles],
          purposeOfUse: decision.purposeOfUse,
          reason: `${input.actionType}:${input.mode}`,
        },
      ],
    );
    return toPolicy(row);
  }

  /** The policies in force, one per action type that has one. */
  async list(ctx: RequestContext): Promise<ApprovalPolicy[]> {
    await this.deps.policy.enforce(ctx, 'approval_policy.manage');
    return (await this.store.policies()).map(toPolicy);
  }
}

function toPolicy(r: PolicyRow): ApprovalPolicy {
  return {
    version: Number(r.version),
    actionType: r.action_type,
    mode: r.mode,
    roles: r.roles as Role[],
    setBy: { kind: r.set_by_kind, id: r.set_by_id },
    setAt: r.set_at,
  };
}

/**
 * @module What a person may do with one proposal now, decided once: the desk and the applier
 * refuse by it, and the API answers it with the proposal (`allowedActions`) so the console offers
 * exactly what the server would accept. `refusalOf` is pure; `viewerRights` reads what it needs
 * (review.decide at the proposal's site from the policy engine, the roles an approval policy names).
 */
import type { RequestContext } from '@steward/core';
import { roleAllows } from '@steward/governance';
import type { ActionRegistry } from '../actions/index.js';
import { reviewActions, type ReviewAction } from '../model/index.js';
import type { PolicyRow, ProposalRow, ProposalStore } from '../store/index.js';
import type { ProposalDeps } from './review-context.js';

/** What the viewer holds, as the policy engine decided it for the proposal's site. */
export interface ViewerRights {
  readonly actorId: string;
  /** `review.decide` at the proposal's site. */
  readonly mayDecide: boolean;
  /** False when the action type's approval policy names roles the viewer does not hold at the site. */
  readonly holdsApprovalRole: boolean;
  /** The roles the approval policy names (none: any reviewer). */
  readonly approvalRoles?: readonly string[];
}

/**
 * Why an action is refused: `state` (not now, for this proposal: a conflict), `self` (separation of
 * duties), `role` or `permission` (forbidden for this viewer).
 */
export interface Refusal {
  readonly kind: 'state' | 'self' | 'role' | 'permission';
  readonly reason: string;
}

type Row = Pick<
  ProposalRow,
  | 'status'
  | 'drafted_by_id'
  | 'outside_drafter_id'
  | 'action_type'
  | 'reversible'
  | 'irreversible_reason'
  | 'prior_enc'
  | 'error_retryable'
>;

const editable = ['pending_review', 'approved', 'failed'];
const assignable = ['drafted', 'pending_review', 'approved', 'failed'];

/** Why `viewer` may not take `action` on `row` now, or undefined when they may. */
export function refusalOf(
  action: ReviewAction,
  row: Row,
  viewer: ViewerRights,
  actions: ActionRegistry,
): Refusal | undefined {
  if (!viewer.mayDecide) return { kind: 'permission', reason: 'deciding reviews at this site needs review.decide' };
  switch (action) {
    case 'approve':
      if (row.status !== 'pending_review') return state(`the proposal is ${row.status}, not pending review`);
      // An outside drafter never approves any revision of what it drafted, edited or rebased (ADR 0017).
      if (row.drafted_by_id === viewer.actorId || row.outside_drafter_id === viewer.actorId)
        return { kind: 'self', reason: 'whoever drafted a proposal cannot approve it: someone else must' };
      if (!viewer.holdsApprovalRole)
        return {
          kind: 'role',
          reason: `approving ${row.action_type} needs the role ${(viewer.approvalRoles ?? []).join(' or ')}`,
        };
      return undefined;
    case 'reject':
      return row.status === 'pending_review' ? undefined : state(`a ${row.status} proposal cannot be rejected`);
    case 'edit':
      return editable.includes(row.status) ? undefined : state(`a ${row.status} proposal cannot be edited`);
    case 'assign':
      return assignable.includes(row.status) ? undefined : state(`a ${row.status} proposal cannot be assigned`);
    case 'retry':
      return row.status === 'failed' && row.error_retryable === true
        ? undefined
        : state('only a proposal that failed for a passing reason is retried; edit it instead');
    case 'rollback':
      return rollbackRefusal(row, actions);
  }
}

/** The actions `viewer` may take on `row` now, in the order a screen offers them. */
export function allowedActionsOf(row: Row, viewer: ViewerRights, actions: ActionRegistry): ReviewAction[] {
  return reviewActions.filter((a) => refusalOf(a, row, viewer, actions) === undefined);
}

function rollbackRefusal(row: Row, actions: ActionRegistry): Refusal | undefined {
  if (row.status !== 'committed' && row.status !== 'verified')
    return state(`a ${row.status} proposal cannot be rolled back`);
  const action = actions.has(row.action_type) ? actions.get(row.action_type) : undefined;
  if (!row.reversible || action === undefined || !action.reversible || action.commit.via !== 'ehr')
    return state(`this change cannot be undone: ${row.irreversible_reason ?? 'irreversible'}`);
  if (action.commit.write === 'update' && row.prior_enc === null) return state('no prior version was kept to restore');
  if (action.commit.write === 'create' && action.compensation === undefined)
    return state('this create cannot be withdrawn');
  return undefined;
}

/**
 * The viewer's rights over proposals at `site` of `actionType`. `mayDecide` may be passed when the
 * caller already decided it (a `visible` check for review.decide). Reading the approval policy
 * also gives its version, which an approval records.
 */
export async function viewerRights(
  deps: Pick<ProposalDeps, 'policy' | 'grants'>,
  store: Pick<ProposalStore, 'currentPolicy'>,
  ctx: RequestContext,
  row: Pick<ProposalRow, 'site' | 'action_type'>,
  mayDecide?: boolean,
): Promise<ViewerRights & { readonly policy: PolicyRow | undefined }> {
  const decides = mayDecide ?? (await deps.policy.decide(ctx, 'review.decide', { site: row.site })).allowed;
  const policy = await store.currentPolicy(row.action_type);
  const roles = policy?.mode === 'review' ? policy.roles : [];
  const holdsApprovalRole = roles.length === 0 || (await holdsRole(deps, ctx, row.site, roles));
  return { actorId: ctx.actor.id, mayDecide: decides, holdsApprovalRole, approvalRoles: roles, policy };
}

async function holdsRole(
  deps: Pick<ProposalDeps, 'grants'>,
  ctx: RequestContext,
  site: string,
  roles: readonly string[],
): Promise<boolean> {
  const grants = await deps.grants.ofActor(ctx.actor);
  return grants.some(
    (g) =>
      roles.includes(g.role) &&
      roleAllows(g.role, 'review.decide') &&
      (g.site === '*' || g.site === site) &&
      (g.workflow === '*' || g.workflow === ctx.workflow) &&
      (ctx.purposeOfUse === undefined || ctx.purposeOfUse === g.purposeOfUse),
  );
}

const state = (reason: string): Refusal => ({ kind: 'state', reason });
